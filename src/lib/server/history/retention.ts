/**
 * Retention of price history and per-poll aggregates (windows and their sizing in ./time.ts), and the
 * maintenance run after every poll cycle: rollup, then (hourly) retention.
 */
import { sql } from 'drizzle-orm';
import { PROVIDERS } from '#adapters/types.ts';
import { LOCK_KEYS, rows, type Database } from '../db/index.ts';
import { partitionsEndingBefore } from '../db/partitions.ts';
import { currentSnapshotIds } from '../poll/snapshots.ts';
import { rollupHistory } from './rollup.ts';
import { AGGREGATE_RETENTION_DAYS, DAY_MS, POLL_RETENTION_DAYS, RETENTION_EVERY_MS } from './time.ts';

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
