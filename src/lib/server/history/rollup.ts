/**
 * Rollups of live poll points into hour, six-hour and day points (price_history, series level: GPU ×
 * provider × pricing × cloud × source). The poller writes one 'poll' point per series per poll with the
 * exact min/median/max/n of that poll; archive points are 'day' points of source 'archive'
 * (src/lib/server/archive.ts).
 */
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/index.ts';
import { ensurePartitions } from '../db/partitions.ts';
import type { Resolution } from './buckets.ts';
import { BIN_ORIGIN } from './time.ts';

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
