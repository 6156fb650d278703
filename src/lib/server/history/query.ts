/**
 * The bucketed history query behind GET /api/history and the GPU page's chart and table: its
 * parameters (zod schema) and its SQL. Which bucket and stored resolution a range reads is ./buckets.ts.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { gpuBySlug } from '#catalog/gpus.ts';
import { PROVIDERS } from '#adapters/types.ts';
import type { HistorySeries } from '../../format/history.ts';
import { rows, type Db } from '../db/index.ts';
import {
	BUCKETS,
	bucketIndex,
	chooseBucket,
	MAX_POINTS_PER_SERIES,
	pointCount,
	STORED,
	type BucketKey,
	type Resolution
} from './buckets.ts';
import { BIN_ORIGIN, DAY_MS, DAY_S } from './time.ts';

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
