/** Bucket choice: any range fits in MAX_POINTS_PER_SERIES; poll points only inside their retention window. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUCKETS, chooseBucket, MAX_POINTS_PER_SERIES } from '../../src/lib/server/history/buckets.ts';
import { POLL_RETENTION_DAYS } from '../../src/lib/server/history/time.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-27T12:00:00Z');

function points(fromMs: number, toMs: number, seconds: number): number {
	const ms = seconds * 1000;
	const origin = Date.parse('2000-01-01T00:00:00Z');
	return Math.floor((toMs - 1 - origin) / ms) - Math.floor((fromMs - origin) / ms) + 1;
}

describe('bucket choice', () => {
	it.each([
		[1, '10m', 'poll'],
		[7, '1h', 'hour'],
		[30, '6h', '6h'],
		[90, '6h', '6h'],
		[365, '1d', 'day'],
		[3 * 365, '7d', 'day'],
		[100 * 365, '90d', 'day']
	])('%i days → %s from %s points', (days, bucket, resolution) => {
		const res = chooseBucket(NOW - days * DAY, NOW, NOW);
		expect(res.bucket.key).toBe(bucket);
		expect(res.resolution).toBe(resolution);
		expect(points(NOW - days * DAY, NOW, res.bucket.seconds)).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
	});

	it('honours a requested bucket, growing it when the range would give too many points', () => {
		expect(chooseBucket(NOW - 7 * DAY, NOW, NOW, '1h').bucket.key).toBe('1h');
		expect(chooseBucket(NOW - 7 * DAY, NOW, NOW, '1d').bucket.key).toBe('1d');
		expect(chooseBucket(NOW - 365 * DAY, NOW, NOW, '5m').bucket.key).toBe('1d');
	});

	it('groups a requested bucket from the coarsest stored points that divide it', () => {
		expect(chooseBucket(NOW - 2 * DAY, NOW, NOW, '30m').resolution).toBe('poll');
		expect(chooseBucket(NOW - 30 * DAY, NOW, NOW, '3h')).toMatchObject({
			resolution: 'hour',
			bucket: { key: '3h' }
		});
		expect(chooseBucket(NOW - 90 * DAY, NOW, NOW, '12h')).toMatchObject({
			resolution: '6h',
			bucket: { key: '12h' }
		});
		expect(chooseBucket(NOW - 300 * DAY, NOW, NOW, '2d')).toMatchObject({
			resolution: 'day',
			bucket: { key: '2d' }
		});
	});

	it('reads hour points once the range starts before the poll retention window', () => {
		const from = NOW - (POLL_RETENTION_DAYS + 1) * DAY;
		expect(chooseBucket(from, from + DAY, NOW)).toMatchObject({ resolution: 'hour', bucket: { key: '1h' } });
		expect(chooseBucket(from, from + DAY, NOW, '10m')).toMatchObject({
			resolution: 'hour',
			bucket: { key: '1h' }
		});
		expect(chooseBucket(NOW - DAY, NOW, NOW).resolution).toBe('poll');
	});

	it('never exceeds the point cap for any range up to 150 years', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 150 * 365 * DAY }),
				fc.integer({ min: 60_000, max: 150 * 365 * DAY }),
				(back, length) => {
					const from = NOW - back - length;
					const to = from + length;
					const { bucket } = chooseBucket(from, to, NOW);
					return (
						points(from, to, bucket.seconds) <= MAX_POINTS_PER_SERIES ||
						bucket === BUCKETS[BUCKETS.length - 1]
					);
				}
			),
			{ numRuns: 2000 }
		);
	});
});
