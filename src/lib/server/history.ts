/**
 * Price history: rollups of live poll points into hour and day points, the retention rule, and the
 * bucketed history query behind GET /api/history, the GPU page's chart and table.
 *
 * Storage (price_history, series level: GPU × provider × pricing × cloud × source). The poller writes
 * one 'poll' point per series per poll with the exact min/median/max/n of that poll. They roll up into
 * 'hour' and 'day' points, which are kept; poll points only for POLL_RETENTION_DAYS. Archive points
 * are 'day' points of source 'archive' (archive.ts).
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { gpuBySlug } from '#catalog/gpus.ts';
import { PROVIDERS } from '#adapters/types.ts';
import type { HistoryPoint, HistorySeries } from '../history-format.ts';
import { BIN_ORIGIN } from './archive.ts';
import { LOCK_KEYS, rows, type Database, type Db } from './db/index.ts';
import { ensurePartitions, partitionsEndingBefore } from './db/partitions.ts';
import { currentSnapshotIds } from './snapshots.ts';

/**
 * Retention, sized for a storage budget of ≤ 1 GB per year of 10-minute polls (52,560 polls/year).
 * `npm run bench` measures it (README "Performance"); the arithmetic behind the windows, with ~200 live
 * series (≈30 GPUs × 3 providers × on-demand/spot × cloud split), up to ~5,000 full-key aggregate rows
 * per poll (vast.ai's GPU × box size × country × pricing × cloud groups) and ~120 bytes per row with
 * its index share:
 *  - poll points:  200 × 144/day × 14 days ≈ 0.4 M rows ≈ 50 MB, steady;
 *  - aggregates:   5,000 × 144/day × 3 days ≈ 2.2 M rows ≈ 260 MB, steady (daily partitions, dropped
 *    whole, so expired rows never linger as dead space);
 *  - hour points:  200 × 8,760/year ≈ 1.75 M rows ≈ 210 MB per year (kept);
 *  - 6-hour points: 200 × 1,460/year ≈ 0.3 M rows ≈ 35 MB per year (kept);
 *  - day points:   200 × 365 ≈ 73 k rows ≈ 9 MB per year (kept); the archive adds ~5 k rows.
 * A month of poll points is deleted row by row from a partition that also holds kept hour/day points;
 * once the month lies wholly before the poll cutoff its partition is rewritten (applyRetention), so the
 * deleted rows' space is returned. 14 days of poll points cover the 7-day chart at full resolution and
 * leave a week to notice and re-run a failed rollup; 3 days of full-key aggregates cover "what did 8×H100
 * in the US cost over the weekend".
 */
export const POLL_RETENTION_DAYS = 14;
export const AGGREGATE_RETENTION_DAYS = 3;
/** Retention runs at most this often (it deletes what became older than the window since last time). */
export const RETENTION_EVERY_MS = 60 * 60 * 1000;

/** "Any range returns at most ~500 points per series" (issue 4): a chart of 500 points is ~1 px each. */
export const MAX_POINTS_PER_SERIES = 500;

const HOUR_S = 3600;
const DAY_S = 86_400;
const DAY_MS = DAY_S * 1000;

/** Bucket sizes the API offers, smallest first. */
export const BUCKETS = [
	{ key: '5m', seconds: 300 },
	{ key: '10m', seconds: 600 },
	{ key: '30m', seconds: 1800 },
	{ key: '1h', seconds: HOUR_S },
	{ key: '3h', seconds: 3 * HOUR_S },
	{ key: '6h', seconds: 6 * HOUR_S },
	{ key: '12h', seconds: 12 * HOUR_S },
	{ key: '1d', seconds: DAY_S },
	{ key: '2d', seconds: 2 * DAY_S },
	{ key: '7d', seconds: 7 * DAY_S },
	{ key: '30d', seconds: 30 * DAY_S },
	{ key: '90d', seconds: 90 * DAY_S },
	{ key: '365d', seconds: 365 * DAY_S }
] as const;
export type BucketKey = (typeof BUCKETS)[number]['key'];
export type Resolution = 'poll' | 'hour' | '6h' | 'day';

/**
 * The rollups kept, finest first: a range is read from the finest one that fits in
 * MAX_POINTS_PER_SERIES points, as stored (7 days → 168 hour points, 30/90 days → 120/360 six-hour
 * points, a year → 365 day points), so the usual ranges need no grouping at query time. Six-hour
 * points cost ~1/6 of the hour points' storage and spare the 30- and 90-day charts a grouping of
 * thousands of hour points per request (npm run bench).
 */
const STORED: { resolution: Exclude<Resolution, 'poll'>; key: BucketKey; seconds: number }[] = [
	{ resolution: 'hour', key: '1h', seconds: HOUR_S },
	{ resolution: '6h', key: '6h', seconds: 6 * HOUR_S },
	{ resolution: 'day', key: '1d', seconds: DAY_S }
];

// ---------------------------------------------------------------------------------------------------
// Rollups
// ---------------------------------------------------------------------------------------------------

/**
 * Recomputes the 'hour' points of every hour touching [from, to] from the live 'poll' points, then the
 * '6h' and 'day' points of every six hours and day touching [from, to] from the hour points. Idempotent upserts: run it after
 * every poll (the current hour and day are rewritten as polls arrive) and on any window again later.
 * Hours whose poll points are gone (retention) keep their stored rollup.
 *  - min / max: lowest minimum and highest maximum of the bucket's points (exact);
 *  - median: median of the points' medians (percentile_cont 0.5) — the typical price over the bucket;
 *  - n, available_n: mean per point, rounded — offers in a typical snapshot of the bucket.
 * Six-hour and day points come from hour points (a day's poll points may already be partly deleted), so
 * their median is the median of the hourly medians.
 */
export async function rollupHistory(
	db: Db,
	from: Date,
	to: Date
): Promise<{ hourPoints: number; sixHourPoints: number; dayPoints: number }> {
	if (to < from) return { hourPoints: 0, sixHourPoints: 0, dayPoints: 0 };
	await ensurePartitions(db, from, to, ['price_history']);
	const f = from.toISOString();
	const t = to.toISOString();
	/** Upserts `target` points of every `width` bin touching [from, to] from the `source` points. */
	const roll = async (target: Resolution, source: Resolution, width: string) => {
		const up = await rows<{ n: number }>(
			db,
			sql`with up as (
			      insert into price_history (gpu, resolution, provider, pricing, cloud, source, t, min_usd, median_usd, max_usd, n, available_n)
			      select gpu, ${target}, provider, pricing, cloud, source, date_bin(${width}::interval, t, ${BIN_ORIGIN}::timestamptz) as b,
			             min(min_usd), percentile_cont(0.5) within group (order by median_usd), max(max_usd),
			             round(avg(n))::int, round(avg(available_n))::int
			      from price_history
			      where resolution = ${source}
			        and t >= date_bin(${width}::interval, ${f}::timestamptz, ${BIN_ORIGIN}::timestamptz)
			        and t < date_bin(${width}::interval, ${t}::timestamptz, ${BIN_ORIGIN}::timestamptz) + ${width}::interval
			      group by gpu, provider, pricing, cloud, source, b
			      on conflict (gpu, resolution, source, provider, pricing, cloud, t) do update set
			        min_usd = excluded.min_usd, median_usd = excluded.median_usd, max_usd = excluded.max_usd,
			        n = excluded.n, available_n = excluded.available_n
			      returning 1
			    ) select count(*)::int as n from up`
		);
		return Number(up[0]?.n ?? 0);
	};
	const hourPoints = await roll('hour', 'poll', '1 hour');
	const sixHourPoints = await roll('6h', 'hour', '6 hours');
	const dayPoints = await roll('day', 'hour', '1 day');
	return { hourPoints, sixHourPoints, dayPoints };
}

// ---------------------------------------------------------------------------------------------------
// Retention
// ---------------------------------------------------------------------------------------------------

const RETENTION_META_KEY = 'history_retention';

export interface RetentionResult {
	pollPointsDeleted: number;
	aggregatePartitionsDropped: string[];
	aggregateRowsDeleted: number;
	vacuumed: boolean;
	/** price_history partitions rewritten (VACUUM FULL) once all their poll points were gone */
	historyPartitionsCompacted: string[];
}

/**
 * Deletes poll points older than POLL_RETENTION_DAYS and per-poll aggregates older than
 * AGGREGATE_RETENTION_DAYS. Whole daily partitions of price_aggregates that lie entirely before the
 * cutoff are dropped (cheap, returns the space at once); price_history partitions also hold the kept
 * hour/day points, so its poll points are deleted by row, only from the last run's cutoff on (so each
 * run reads a few hours of rows, not the whole history). PGlite has no autovacuum: VACUUM there after
 * deleting, so the freed space is reused.
 */
export async function applyRetention(database: Database, now: Date): Promise<RetentionResult> {
	const db = database.db;
	const pollCutoff = new Date(now.getTime() - POLL_RETENTION_DAYS * DAY_MS);
	// Every provider's current snapshot (a switched-off one may be switched on again) keeps its
	// aggregates. The current snapshot's aggregates are what the compare page shows: a provider whose polls have
	// failed for longer than the window keeps its last snapshot on show (flagged stale), never hidden.
	const [current] = await rows<{ ms: number | null }>(
		db,
		sql`select extract(epoch from min(s.observed_at))::float8 * 1000 as ms from snapshots s
		    where s.id in (${currentSnapshotIds(PROVIDERS)})`
	);
	const oldestCurrentDay = current?.ms == null ? Infinity : Math.floor(Number(current.ms) / DAY_MS) * DAY_MS;
	const aggCutoff = new Date(Math.min(now.getTime() - AGGREGATE_RETENTION_DAYS * DAY_MS, oldestCurrentDay));
	const prev = await rows<{ value: { pollCutoff?: string; aggregateCutoff?: string; compacted?: string[] } }>(
		db,
		sql`select value from meta where key = ${RETENTION_META_KEY}`
	);
	// From a day before the last cutoff (a clock step back or a late write), or from the start of time.
	const since = (iso: string | undefined) =>
		iso && !Number.isNaN(Date.parse(iso)) ? new Date(Date.parse(iso) - DAY_MS).toISOString() : '-infinity';

	const dropped: string[] = [];
	for (const name of await partitionsEndingBefore(db, 'price_aggregates', aggCutoff)) {
		// The name comes from pg_class and matches price_aggregates_YYYY_MM_DD (partitionsEndingBefore).
		await db.execute(sql.raw(`drop table if exists "${name}"`));
		dropped.push(name);
	}
	const agg = await rows<{ n: number }>(
		db,
		sql`with d as (delete from price_aggregates
		               where observed_at < ${aggCutoff.toISOString()}::timestamptz
		                 and observed_at >= ${since(prev[0]?.value?.aggregateCutoff)}::timestamptz
		               returning 1)
		    select count(*)::int as n from d`
	);
	const poll = await rows<{ n: number }>(
		db,
		sql`with d as (delete from price_history
		               where resolution = 'poll'
		                 and t < ${pollCutoff.toISOString()}::timestamptz
		                 and t >= ${since(prev[0]?.value?.pollCutoff)}::timestamptz
		               returning 1)
		    select count(*)::int as n from d`
	);
	// A month of poll points is most of a price_history partition's size, and deleting rows frees space
	// only for new rows of the same partition — which never come, as new points go to the current month.
	// So once a month lies wholly before the poll cutoff, rewrite its partition once (VACUUM FULL: only
	// its hour/day points remain, ~1/7 of the rows; a second or so, blocking reads of that month).
	const compacted = new Set(prev[0]?.value?.compacted ?? []);
	const historyPartitionsCompacted: string[] = [];
	for (const name of await partitionsEndingBefore(db, 'price_history', pollCutoff)) {
		if (compacted.has(name)) continue;
		// The name comes from pg_class and matches price_history_YYYY_MM (partitionsEndingBefore).
		await db.execute(sql.raw(`vacuum full "${name}"`));
		compacted.add(name);
		historyPartitionsCompacted.push(name);
	}
	const value = {
		pollCutoff: pollCutoff.toISOString(),
		aggregateCutoff: aggCutoff.toISOString(),
		ranAt: now.toISOString(),
		compacted: [...compacted].sort()
	};
	await db.execute(
		sql`insert into meta (key, value, updated_at) values (${RETENTION_META_KEY}, ${JSON.stringify(value)}::jsonb, now())
		    on conflict (key) do update set value = excluded.value, updated_at = now()`
	);
	const pollPointsDeleted = Number(poll[0]?.n ?? 0);
	const aggregateRowsDeleted = Number(agg[0]?.n ?? 0);
	let vacuumed = false;
	if (database.engine === 'pglite' && (pollPointsDeleted > 0 || aggregateRowsDeleted > 0)) {
		await db.execute(sql`vacuum price_history, price_aggregates`);
		vacuumed = true;
	}
	return {
		pollPointsDeleted,
		aggregatePartitionsDropped: dropped,
		aggregateRowsDeleted,
		vacuumed,
		historyPartitionsCompacted
	};
}

/** The rollup window after a poll: the last two hours, so a poll landing just after the hour also closes the previous one. */
const ROLLUP_LOOKBACK_MS = 2 * 60 * 60 * 1000;

const lastRetention = new WeakMap<Database, number>();

/**
 * What runs after every poll cycle and on the maintenance timer: roll up the recent poll points, and
 * (hourly) apply retention. One instance at a time (advisory lock); a busy lock just skips this round.
 */
export async function runHistoryMaintenance(database: Database, now: Date = new Date()) {
	const res = await database.tryWithLock(LOCK_KEYS.retention, async () => {
		const rollup = await rollupHistory(database.db, new Date(now.getTime() - ROLLUP_LOOKBACK_MS), now);
		let retention: RetentionResult | undefined;
		const last = lastRetention.get(database) ?? 0;
		if (now.getTime() - last >= RETENTION_EVERY_MS) {
			retention = await applyRetention(database, now);
			lastRetention.set(database, now.getTime());
		}
		return { rollup, retention };
	});
	return res.acquired ? res.value : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Query
// ---------------------------------------------------------------------------------------------------

/**
 * Accepted range of `from`/`to`: nothing is stored before the Unix epoch, and Postgres refuses year 0
 * (it has no year 0: `0000-01-01` was a 500). Four-digit years end at 9999.
 */
const EARLIEST_MS = Date.UTC(1970, 0, 1);
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const isoTime = z
	.string()
	.trim()
	.max(40)
	.refine(
		(s) => /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)),
		{
			message: 'expected an ISO 8601 date or date-time (e.g. 2026-07-01 or 2026-07-01T12:00:00Z)'
		}
	)
	.transform((s) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s))
	.refine((d) => d.getTime() >= EARLIEST_MS && d.getTime() <= LATEST_MS, {
		message: 'expected a time from 1970-01-01 to 9999-12-31'
	});

/** Query parameters of GET /api/history (also used by the page loader). */
export const historyQuerySchema = z
	.object({
		gpu: z
			.string()
			.trim()
			.max(60)
			.refine((s) => gpuBySlug(s) !== undefined, { message: 'unknown GPU slug' }),
		provider: z.enum(PROVIDERS).optional(),
		pricing: z.enum(['on_demand', 'spot']).optional(),
		/** `none` selects the series without a secure/community split */
		cloud: z.enum(['secure', 'community', 'none']).optional(),
		source: z.enum(['live', 'archive']).optional(),
		from: isoTime.optional(),
		to: isoTime.optional(),
		bucket: z.enum(BUCKETS.map((b) => b.key) as [BucketKey, ...BucketKey[]]).optional(),
		format: z.enum(['json', 'csv']).optional()
	})
	.refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['from'] });
export type HistoryQuery = z.output<typeof historyQuerySchema>;

export type { HistoryPoint, HistorySeries };

export interface HistoryResult {
	gpu: string;
	from: string;
	to: string;
	/** bucket of the live series */
	bucket: BucketKey;
	bucketSeconds: number;
	/** the table live points were read from */
	resolution: Resolution;
	/** archive series are day points: their bucket is at least a day */
	archiveBucket: BucketKey;
	series: HistorySeries[];
}

function bucketIndex(key: BucketKey): number {
	return BUCKETS.findIndex((b) => b.key === key);
}

/** Points date_bin gives for [from, to) with a bucket, counting the partial first and last bucket. */
function pointCount(fromMs: number, toMs: number, seconds: number): number {
	const origin = Date.parse(BIN_ORIGIN);
	const ms = seconds * 1000;
	const first = Math.floor((fromMs - origin) / ms);
	const last = Math.floor((toMs - 1 - origin) / ms);
	return last - first + 1;
}

/**
 * The bucket for a range and the stored resolution to read it from.
 *  - No bucket requested: poll points in 10-minute buckets while the range lies inside the poll
 *    retention window and fits; otherwise the finest stored rollup (hour, 6 h, day) that fits in
 *    MAX_POINTS_PER_SERIES, read as stored; past ~500 days, day points grouped into larger buckets.
 *  - A bucket requested: that bucket, grown until the range fits, grouped in SQL from the coarsest
 *    stored resolution that divides it (poll points below an hour — only inside their window, else the
 *    bucket grows to an hour —, hour points for 1–3 h, six-hour points for 6–12 h, day points from a day).
 */
export function chooseBucket(
	fromMs: number,
	toMs: number,
	nowMs: number,
	requested?: BucketKey
): { bucket: (typeof BUCKETS)[number]; resolution: Resolution } {
	const fits = (seconds: number) => pointCount(fromMs, toMs, seconds) <= MAX_POINTS_PER_SERIES;
	const insidePollWindow = fromMs >= nowMs - POLL_RETENTION_DAYS * DAY_MS;
	if (!requested) {
		if (insidePollWindow && fits(600)) return { bucket: BUCKETS[bucketIndex('10m')]!, resolution: 'poll' };
		const stored = STORED.find((s) => fits(s.seconds));
		if (stored) return { bucket: BUCKETS[bucketIndex(stored.key)]!, resolution: stored.resolution };
	}
	let i = bucketIndex(requested ?? '1d');
	while (i < BUCKETS.length - 1 && !fits(BUCKETS[i]!.seconds)) i++;
	if (BUCKETS[i]!.seconds < HOUR_S && !insidePollWindow) i = bucketIndex('1h');
	const bucket = BUCKETS[i]!;
	const from = [...STORED]
		.reverse()
		.find((s) => bucket.seconds >= s.seconds && bucket.seconds % s.seconds === 0);
	return { bucket, resolution: from?.resolution ?? 'poll' };
}

/** Earliest stored point of a GPU (any resolution), via the primary-key index (gpu, resolution, t …). */
export async function earliestPoint(db: Db, gpu: string): Promise<Date | null> {
	const r = await rows<{ ms: number | null }>(
		db,
		sql`select extract(epoch from least(
		      (select min(t) from price_history where gpu = ${gpu} and resolution = 'day'),
		      (select min(t) from price_history where gpu = ${gpu} and resolution = 'hour'),
		      (select min(t) from price_history where gpu = ${gpu} and resolution = 'poll')
		    ))::float8 * 1000 as ms`
	);
	const ms = r[0]?.ms;
	return ms === null || ms === undefined ? null : new Date(Number(ms));
}

/** Rounds stored doubles (percentile_cont may leave float noise) to 1/10,000 of a dollar. */
function round4(v: number): number {
	return Math.round(v * 10_000) / 10_000;
}

/**
 * Bucketed history of one GPU. Downsampling happens in SQL: date_bin over the table of the right
 * resolution, min of minimums, median of medians, max of maximums, mean n per point; a bucket equal to
 * the stored resolution reads the points as stored. Live series are read at the chosen resolution,
 * archive series from their day points (bucket ≥ 1 day). Each series comes back as one JSON array built
 * in SQL: a year of day points is ~2,500 rows, and handing them over one row at a time cost more than
 * the query itself on PGlite (npm run bench).
 */
export async function queryHistory(db: Db, q: HistoryQuery, now: Date = new Date()): Promise<HistoryResult> {
	const toMs = (q.to ?? now).getTime();
	let fromMs: number;
	if (q.from) fromMs = q.from.getTime();
	else fromMs = (await earliestPoint(db, q.gpu))?.getTime() ?? toMs - 30 * DAY_MS;
	if (fromMs >= toMs) fromMs = toMs - DAY_MS;
	const { bucket, resolution } = chooseBucket(fromMs, toMs, now.getTime(), q.bucket);
	// Past 500 of the largest buckets (~500 years) the range is cut at its start: the cap always holds.
	if (pointCount(fromMs, toMs, bucket.seconds) > MAX_POINTS_PER_SERIES) {
		fromMs = toMs - (MAX_POINTS_PER_SERIES - 1) * bucket.seconds * 1000;
	}
	const archiveBucket = bucket.seconds >= DAY_S ? bucket : BUCKETS[bucketIndex('1d')]!;
	const from = new Date(fromMs).toISOString();
	const to = new Date(toMs).toISOString();
	const cloud = q.cloud === 'none' ? '' : q.cloud;
	const filters = sql.join(
		[
			q.provider ? sql` and provider = ${q.provider}` : sql``,
			q.pricing ? sql` and pricing = ${q.pricing}` : sql``,
			cloud !== undefined ? sql` and cloud = ${cloud}` : sql``
		],
		sql``
	);
	const select = (sources: ('live' | 'archive')[], res: Resolution, seconds: number) => {
		const where = sql`where gpu = ${q.gpu} and resolution = ${res}
		  and source = any(${sql.param(sources)}::text[])
		  and t >= ${from}::timestamptz and t < ${to}::timestamptz ${filters}`;
		// Stored points already are the buckets (hour points for 1 h, day points for 1 d).
		if (STORED.some((x) => x.resolution === res && x.seconds === seconds))
			return sql`select source, provider, pricing, cloud, t as b, min_usd as mn, median_usd as md,
			                  max_usd as mx, n from price_history ${where}`;
		return sql`
			select source, provider, pricing, cloud,
			       date_bin(${`${seconds} seconds`}::interval, t, ${BIN_ORIGIN}::timestamptz) as b,
			       min(min_usd) as mn, percentile_cont(0.5) within group (order by median_usd) as md,
			       max(max_usd) as mx, round(avg(n))::int as n
			from price_history ${where}
			group by source, provider, pricing, cloud, b`;
	};
	// Live and archive series read apart, or in one scan when both come from day points in one bucket (a
	// year's chart): half the partitions to plan and probe.
	const parts = [];
	const live = q.source !== 'archive';
	const archive = q.source !== 'live';
	if (live && archive && resolution === 'day' && bucket.key === archiveBucket.key) {
		parts.push(select(['live', 'archive'], 'day', bucket.seconds));
	} else {
		if (live) parts.push(select(['live'], resolution, bucket.seconds));
		if (archive) parts.push(select(['archive'], 'day', archiveBucket.seconds));
	}
	const data = await rows<{
		source: string;
		provider: string;
		pricing: string;
		cloud: string;
		points: string;
	}>(
		db,
		sql`select source, provider, pricing, cloud,
		           json_agg(json_build_array((extract(epoch from b) * 1000)::bigint, mn, md, mx, n) order by b)::text
		             as points
		    from (${sql.join(parts, sql` union all `)}) p
		    group by source, provider, pricing, cloud
		    order by source desc, provider, pricing, cloud`
	);
	const series: HistorySeries[] = data.map((r) => ({
		provider: r.provider,
		pricing: r.pricing,
		cloud: r.cloud,
		source: r.source,
		points: (JSON.parse(r.points) as [number, number, number, number, number][]).map(
			([ms, min, median, max, n]) => ({
				t: new Date(ms).toISOString(),
				min: round4(min),
				median: round4(median),
				max: round4(max),
				n
			})
		)
	}));
	return {
		gpu: q.gpu,
		from,
		to,
		bucket: bucket.key,
		bucketSeconds: bucket.seconds,
		resolution,
		archiveBucket: archiveBucket.key,
		series
	};
}

const CSV_HEADER =
	'gpu,provider,pricing,cloud,source,t,min_usd_per_gpu_hour,median_usd_per_gpu_hour,max_usd_per_gpu_hour,n';

/** The same data as CSV, one row per point. Fields are slugs, enums, ISO times and numbers: nothing to quote. */
export function historyToCsv(h: HistoryResult): string {
	const lines = [CSV_HEADER];
	for (const s of h.series) {
		for (const p of s.points) {
			lines.push(
				[h.gpu, s.provider, s.pricing, s.cloud, s.source, p.t, p.min, p.median, p.max, p.n].join(',')
			);
		}
	}
	return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------
// The GPU page's history section
// ---------------------------------------------------------------------------------------------------

export const RANGES = [
	{ key: '7d', label: '7 days', days: 7 },
	{ key: '30d', label: '30 days', days: 30 },
	{ key: '90d', label: '90 days', days: 90 },
	{ key: '1y', label: '1 year', days: 365 },
	{ key: 'all', label: 'All', days: null }
] as const;
export type RangeKey = (typeof RANGES)[number]['key'];
/**
 * A year by default: it still holds the bundled archive (2026-05-08 … 2026-07-20) next to the live
 * points for the app's first months, and reads day points (≤ 366 per series).
 */
export const DEFAULT_RANGE: RangeKey = '1y';

/** The `range` parameter: absent or empty → the default; an unknown value → undefined (a 400). */
export function parseRange(v: string | null): RangeKey | undefined {
	if (v === null || v.trim() === '') return DEFAULT_RANGE;
	return RANGES.find((r) => r.key === v.trim())?.key;
}

export interface GpuHistory extends HistoryResult {
	range: RangeKey;
	/** newest stored point of each source for this GPU (any range), ISO — to say what "now" the data means */
	newestLive: string | null;
	newestArchive: string | null;
	oldestArchive: string | null;
}

/** Loader of the history part of /gpus/[slug]. */
export async function loadGpuHistory(
	db: Db,
	gpu: string,
	range: RangeKey,
	now: Date = new Date()
): Promise<GpuHistory> {
	const r = RANGES.find((x) => x.key === range)!;
	const from = r.days === null ? undefined : new Date(now.getTime() - r.days * DAY_MS);
	const [result, extent] = await Promise.all([
		queryHistory(db, { gpu, from, to: now }, now),
		rows<{ source: string; first: number; last: number }>(
			db,
			sql`select source, extract(epoch from min(t))::float8 * 1000 as first, extract(epoch from max(t))::float8 * 1000 as last
			    from price_history where gpu = ${gpu} and resolution = 'day' group by source`
		)
	]);
	const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(Number(ms)).toISOString());
	const live = extent.find((e) => e.source === 'live');
	const archive = extent.find((e) => e.source === 'archive');
	return {
		...result,
		range,
		newestLive: iso(live?.last),
		newestArchive: iso(archive?.last),
		oldestArchive: iso(archive?.first)
	};
}
