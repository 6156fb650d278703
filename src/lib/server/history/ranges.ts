/** The GPU page's history section (/gpus/[slug]): its ranges and its loader. */
import { sql } from 'drizzle-orm';
import { isoFromMs, rows, type Db } from '../db/index.ts';
import { queryHistory, type HistoryResult } from './query.ts';
import { DAY_MS } from './time.ts';

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
	const live = extent.find((e) => e.source === 'live');
	const archive = extent.find((e) => e.source === 'archive');
	return {
		...result,
		range,
		newestLive: isoFromMs(live?.last),
		newestArchive: isoFromMs(archive?.last),
		oldestArchive: isoFromMs(archive?.first)
	};
}
