/**
 * Bucket arithmetic of the history query, pure (no database): the bucket sizes the API offers, the
 * rollups kept, and which of them a range is read from.
 */
import { BIN_ORIGIN, DAY_S, DAY_MS, HOUR_S, POLL_RETENTION_DAYS } from './time.ts';

/** "Any range returns at most ~500 points per series" (issue 4): a chart of 500 points is ~1 px each. */
export const MAX_POINTS_PER_SERIES = 500;
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
export const STORED: { resolution: Exclude<Resolution, 'poll'>; key: BucketKey; seconds: number }[] = [
	{ resolution: 'hour', key: '1h', seconds: HOUR_S },
	{ resolution: '6h', key: '6h', seconds: 6 * HOUR_S },
	{ resolution: 'day', key: '1d', seconds: DAY_S }
];

export function bucketIndex(key: BucketKey): number {
	return BUCKETS.findIndex((b) => b.key === key);
}

/** Points date_bin gives for [from, to) with a bucket, counting the partial first and last bucket. */
export function pointCount(fromMs: number, toMs: number, seconds: number): number {
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
