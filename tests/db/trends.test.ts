/**
 * Trends from stored day points: exact 7/30-day changes with their comparison days, movers, the class
 * index, and archive kept apart from live (measured back from its own last day, labelled with dates).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePartitions } from '../../src/lib/server/db/partitions.ts';
import { PROVIDERS } from '#adapters/types.ts';
import { loadTrends, type Trends } from '../../src/lib/server/trends.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';

const DAY = 86_400_000;
const ARCHIVE_END = Date.parse('2026-07-20T00:00:00Z');
const LIVE_END = Date.parse('2026-11-27T00:00:00Z');

interface DayPoint {
	gpu: string;
	provider: string;
	pricing: string;
	cloud: string;
	source: string;
	t: number;
	min: number;
	median: number;
}

function series(
	gpu: string,
	provider: string,
	source: string,
	end: number,
	days: number,
	median: (i: number) => number,
	pricing = 'on_demand',
	skip: number[] = []
): DayPoint[] {
	const out: DayPoint[] = [];
	for (let i = 0; i < days; i++) {
		if (skip.includes(i)) continue;
		const m = median(i);
		out.push({
			gpu,
			provider,
			pricing,
			cloud: '',
			source,
			t: end - (days - 1 - i) * DAY,
			min: m - 0.2,
			median: m
		});
	}
	return out;
}

describe.each(ENGINES)('trends on %s', (engine) => {
	let database: TestDatabase;
	let trends: Trends;
	beforeAll(async () => {
		database = await createTestDatabase(engine);
		await ensurePartitions(database.db, new Date(ARCHIVE_END - 40 * DAY), new Date(LIVE_END), [
			'price_history'
		]);
		const points = [
			// rising steadily: median 1.00 … 1.30 over 31 days
			...series('l4', 'vastai', 'archive', ARCHIVE_END, 31, (i) => 1 + 0.01 * i),
			// falling, with the day exactly 7 days back missing (the one after it is used)
			...series('l40s', 'runpod', 'archive', ARCHIVE_END, 31, (i) => 2 - 0.02 * i, 'on_demand', [23]),
			// only three days: no 7-day change
			...series('h200', 'lambda', 'archive', ARCHIVE_END, 3, () => 3),
			// class 24 GB consumer: +10 % and −10 % over 7 days → index change 0
			...series('rtx-4090', 'vastai', 'archive', ARCHIVE_END, 8, (i) => (i === 0 ? 0.5 : 0.55)),
			...series('rtx-3090', 'vastai', 'archive', ARCHIVE_END, 8, (i) => (i === 0 ? 0.3 : 0.27)),
			// live, a week long
			...series('h100-sxm', 'vastai', 'live', LIVE_END, 8, (i) => (i === 0 ? 2 : 2.1)),
			...series('h100-sxm', 'vastai', 'live', LIVE_END, 8, (i) => (i === 0 ? 1 : 0.9), 'spot')
		];
		for (const p of points) {
			await database.db.execute(sql`
				insert into price_history (gpu, resolution, provider, pricing, cloud, source, t, min_usd, median_usd, max_usd, n)
				values (${p.gpu}, 'day', ${p.provider}, ${p.pricing}, ${p.cloud}, ${p.source}, ${new Date(p.t).toISOString()}::timestamptz,
				        ${p.min}, ${p.median}, ${p.median + 1}, 3)`);
		}
		trends = await loadTrends(database.db, PROVIDERS);
	});
	afterAll(async () => {
		await database?.destroy();
	});

	it('computes 7- and 30-day changes from each series’ own newest point', () => {
		const l4 = trends.archive.rows.find((r) => r.gpu === 'l4')!;
		expect(l4.asOf).toBe('2026-07-20');
		expect(l4.medianUsd).toBeCloseTo(1.3, 12);
		expect(l4.change7!.fromDay).toBe('2026-07-13');
		expect(l4.change7!.median).toBeCloseTo(1.3 / 1.23 - 1, 12);
		expect(l4.change7!.cheapest).toBeCloseTo(1.1 / 1.03 - 1, 12);
		expect(l4.change30!.fromDay).toBe('2026-06-20');
		expect(l4.change30!.median).toBeCloseTo(0.3, 12);
		expect(l4.spark).toHaveLength(30);
		expect(l4.spark.at(-1)).toEqual({ day: '2026-07-20', median: 1.3 });

		const l40s = trends.archive.rows.find((r) => r.gpu === 'l40s')!;
		expect(l40s.change7!.fromDay).toBe('2026-07-12'); // 07-13 missing: the nearest within a day, the earlier on a tie
		expect(l40s.change7!.median).toBeCloseTo(1.4 / 1.56 - 1, 12);

		expect(trends.archive.rows.find((r) => r.gpu === 'h200')!).toMatchObject({
			change7: null,
			change30: null
		});
	});

	it('lists the biggest movers up and down', () => {
		expect(trends.archive.moversUp.map((r) => r.gpu)).toEqual(['rtx-4090', 'l4']);
		// l40s −10.3 % (1.56 → 1.40) falls more than rtx-3090 −10 %.
		expect(trends.archive.moversDown.map((r) => r.gpu)).toEqual(['l40s', 'rtx-3090']);
		expect(trends.live.moversUp.map((r) => [r.gpu, r.pricing])).toEqual([['h100-sxm', 'on_demand']]);
		expect(trends.live.moversDown.map((r) => [r.gpu, r.pricing])).toEqual([['h100-sxm', 'spot']]);
	});

	it('indexes classes (memory + class) by the mean of matched series changes', () => {
		const consumer24 = trends.archive.classes.find((c) => c.label === '24 GB consumer')!;
		expect(consumer24.gpus.sort()).toEqual(['rtx-3090', 'rtx-4090']);
		expect(consumer24.levelUsd).toBeCloseTo((0.55 + 0.27) / 2, 12);
		expect(consumer24.change7).toBeCloseTo((0.1 + -0.1) / 2, 12);
		expect(consumer24.change7Series).toBe(2);
		expect(consumer24.change30).toBeNull();
		expect(trends.live.classes.map((c) => c.label)).toEqual(['80 GB datacenter']);
	});

	it('keeps the archive apart from live data, dated, never as current', () => {
		expect(trends.archive.newestDay).toBe('2026-07-20');
		expect(trends.live.newestDay).toBe('2026-11-27');
		expect(trends.live.rows.every((r) => r.source === 'live')).toBe(true);
		expect(trends.archive.rows.every((r) => r.source === 'archive' && r.asOf <= '2026-07-20')).toBe(true);
	});
});
