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
	const [low, high] = middlePositions(sorted.length);
	return midpoint(sorted[low]!, sorted[high]!);
}

/** The middle positions of `n` sorted values: the same one twice when `n` is odd. */
export function middlePositions(n: number): [number, number] {
	const low = Math.floor(0.5 * (n - 1));
	return [low, n % 2 ? low : low + 1];
}

/** Halfway from `low` to `high` in percentile_cont's own float steps (`low` itself when they are one value). */
export function midpoint(low: number, high: number): number {
	return low === high ? low : low + (high - low) * 0.5;
}
