/**
 * The one median of the project (trust's market median, the per-poll aggregates, the archive importer's
 * SkyPilot observations). Pure and browser-safe.
 */

/**
 * The median as Postgres' percentile_cont(0.5) computes it, so a figure computed here and one computed in
 * SQL agree (https://www.postgresql.org/docs/current/functions-aggregate.html#FUNCTIONS-ORDEREDSET-TABLE).
 * `sorted` ascending, non-empty.
 */
export function medianOfSorted(sorted: ArrayLike<number>): number {
	const pos = 0.5 * (sorted.length - 1);
	const lo = Math.floor(pos);
	const first = sorted[lo]!;
	if (pos === lo) return first;
	return first + (sorted[lo + 1]! - first) * (pos - lo);
}
