/**
 * History at scale on both engines: a simulated year of 10-minute polls (two series, generated in SQL),
 * rolled up into hour and day points, queried at every range with the point cap, exact values checked
 * against the generator, retention of poll points and aggregates, and live points next to the archive.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArchive } from '../../src/lib/server/archive.ts';
import { TRACKER_HEADER } from '../../src/lib/server/archive-parse.ts';
import { rows } from '../../src/lib/server/db/index.ts';
import { ensurePartitions } from '../../src/lib/server/db/partitions.ts';
import { applyRetention, runHistoryMaintenance } from '../../src/lib/server/history/retention.ts';
import { MAX_POINTS_PER_SERIES } from '../../src/lib/server/history/buckets.ts';
import { POLL_RETENTION_DAYS } from '../../src/lib/server/history/time.ts';
import { queryHistory } from '../../src/lib/server/history/query.ts';
import { rollupHistory } from '../../src/lib/server/history/rollup.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-11-27T00:00:00Z');
const START = new Date(NOW.getTime() - 365 * DAY);
const POLLS = 365 * 144; // one every 10 minutes

/** The generator, in JavaScript, for poll k of series s (the SQL below writes the same). */
function poll(k: number, s: number) {
	const median = 2 + s + 0.5 * Math.sin((2 * Math.PI * k) / 144) + 0.001 * (k % 7);
	return {
		median,
		min: median - 0.3 - 0.01 * (k % 5),
		max: median + 0.4 + 0.002 * (k % 3),
		n: 10 + (k % 20)
	};
}
const pctCont = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	const mid = (s.length - 1) / 2;
	return (s[Math.floor(mid)]! + s[Math.ceil(mid)]!) / 2;
};
/** Hour h (0-based from START) as the rollup defines it. */
function hourPoint(h: number, s: number) {
	const ps = Array.from({ length: 6 }, (_, i) => poll(h * 6 + i, s));
	return {
		min: Math.min(...ps.map((p) => p.min)),
		median: pctCont(ps.map((p) => p.median)),
		max: Math.max(...ps.map((p) => p.max)),
		n: Math.round(ps.reduce((a, p) => a + p.n, 0) / 6)
	};
}

describe.each(ENGINES)('history on %s', (engine) => {
	let database: TestDatabase;
	const count = async (q: ReturnType<typeof sql>) =>
		Number((await rows<{ n: number }>(database.db, q))[0]!.n);

	beforeAll(async () => {
		database = await createTestDatabase(engine);
		await ensurePartitions(database.db, START, NOW);
		await database.db.execute(sql`
			insert into price_history (gpu, resolution, provider, pricing, cloud, source, t, min_usd, median_usd, max_usd, n, available_n)
			select 'h100-sxm', 'poll', s.provider, s.pricing, s.cloud, 'live',
			       ${START.toISOString()}::timestamptz + k * interval '10 minutes',
			       m.median - 0.3 - 0.01 * (k % 5), m.median, m.median + 0.4 + 0.002 * (k % 3), 10 + k % 20, 5
			from generate_series(0, ${POLLS - 1}) as k
			cross join (values (0, 'vastai', 'on_demand', ''), (1, 'runpod', 'spot', 'community')) as s(i, provider, pricing, cloud)
			cross join lateral (select 2 + s.i + 0.5 * sin(2 * pi() * k / 144) + 0.001 * (k % 7) as median) m`);
	});
	afterAll(async () => {
		await database?.destroy();
	});

	it('rolls a year of poll points into hour and day points, idempotently', async () => {
		expect(await count(sql`select count(*)::int as n from price_history where resolution = 'poll'`)).toBe(
			2 * POLLS
		);
		const first = await rollupHistory(database.db, START, NOW);
		expect(first).toEqual({ hourPoints: 2 * 365 * 24, sixHourPoints: 2 * 365 * 4, dayPoints: 2 * 365 });
		const again = await rollupHistory(database.db, START, NOW);
		expect(again).toEqual(first);
		expect(await count(sql`select count(*)::int as n from price_history where resolution = 'hour'`)).toBe(
			2 * 365 * 24
		);
		expect(await count(sql`select count(*)::int as n from price_history where resolution = 'day'`)).toBe(
			2 * 365
		);
		expect(await count(sql`select count(*)::int as n from price_history where resolution = '6h'`)).toBe(
			2 * 365 * 4
		);
	});

	it('stores exact hour and day rollups', async () => {
		const d = 200; // a day in the middle of the year
		const t = new Date(START.getTime() + d * DAY).toISOString();
		const [got] = await rows<{ min_usd: number; median_usd: number; max_usd: number; n: number }>(
			database.db,
			sql`select min_usd, median_usd, max_usd, n from price_history where gpu = 'h100-sxm' and resolution = 'day'
			    and provider = 'runpod' and pricing = 'spot' and cloud = 'community' and source = 'live' and t = ${t}::timestamptz`
		);
		const hours = Array.from({ length: 24 }, (_, h) => hourPoint(d * 24 + h, 1));
		expect(Number(got!.min_usd)).toBeCloseTo(Math.min(...hours.map((h) => h.min)), 9);
		expect(Number(got!.max_usd)).toBeCloseTo(Math.max(...hours.map((h) => h.max)), 9);
		expect(Number(got!.median_usd)).toBeCloseTo(pctCont(hours.map((h) => h.median)), 9);
		expect(Number(got!.n)).toBe(Math.round(hours.reduce((a, h) => a + h.n, 0) / 24));
		// The six-hour point from 12:00 of that day: hours 12…17.
		const [six] = await rows<{ min_usd: number; median_usd: number; max_usd: number }>(
			database.db,
			sql`select min_usd, median_usd, max_usd from price_history where gpu = 'h100-sxm' and resolution = '6h'
			    and provider = 'runpod' and pricing = 'spot' and cloud = 'community' and source = 'live'
			    and t = ${new Date(START.getTime() + d * DAY + 12 * 3_600_000).toISOString()}::timestamptz`
		);
		const sixHours = hours.slice(12, 18);
		expect(Number(six!.min_usd)).toBeCloseTo(Math.min(...sixHours.map((h) => h.min)), 9);
		expect(Number(six!.max_usd)).toBeCloseTo(Math.max(...sixHours.map((h) => h.max)), 9);
		expect(Number(six!.median_usd)).toBeCloseTo(pctCont(sixHours.map((h) => h.median)), 9);
	});

	it.each([
		['1 day', '10m', 'poll', 144, 1],
		['7 days', '1h', 'hour', 168, 7],
		['30 days', '6h', '6h', 120, 30],
		['90 days', '6h', '6h', 360, 90],
		['1 year', '1d', 'day', 365, 365]
	])(
		'a %s range picks %s buckets from %s points, %i per series',
		async (_l, bucket, resolution, points, days) => {
			const res = await queryHistory(
				database.db,
				{ gpu: 'h100-sxm', from: new Date(NOW.getTime() - days * DAY), to: NOW },
				NOW
			);
			expect(res).toMatchObject({ bucket, resolution });
			expect(res.series.map((s) => [s.provider, s.source])).toEqual([
				['runpod', 'live'],
				['vastai', 'live']
			]);
			for (const s of res.series) {
				expect(s.points.length).toBe(points);
				expect(s.points.length).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
			}
		}
	);

	it('with no range returns all history within the cap, and grows a too-small requested bucket', async () => {
		const all = await queryHistory(database.db, { gpu: 'h100-sxm' }, NOW);
		expect(all.from).toBe(START.toISOString());
		expect(all.bucket).toBe('1d');
		expect(all.series[0]!.points).toHaveLength(365);
		const forced = await queryHistory(
			database.db,
			{ gpu: 'h100-sxm', bucket: '5m', from: START, to: NOW },
			NOW
		);
		expect(forced.bucket).toBe('1d');
		const week = await queryHistory(
			database.db,
			{ gpu: 'h100-sxm', bucket: '1d', provider: 'vastai', from: new Date(NOW.getTime() - 7 * DAY), to: NOW },
			NOW
		);
		expect(week.series).toHaveLength(1);
		expect(week.series[0]!.points).toHaveLength(7);
	});

	it('downsamples in SQL: a requested 3-hour bucket is the min/median/max over its hour points', async () => {
		const res = await queryHistory(
			database.db,
			{
				gpu: 'h100-sxm',
				provider: 'vastai',
				bucket: '3h',
				from: new Date(NOW.getTime() - 30 * DAY),
				to: NOW
			},
			NOW
		);
		expect(res).toMatchObject({ bucket: '3h', resolution: 'hour' });
		const firstHour = (NOW.getTime() - 30 * DAY - START.getTime()) / 3_600_000;
		const p = res.series[0]!.points[10]!;
		expect(p.t).toBe(new Date(START.getTime() + (firstHour + 30) * 3_600_000).toISOString());
		const hours = [0, 1, 2].map((i) => hourPoint(firstHour + 30 + i, 0));
		expect(p.min).toBeCloseTo(Math.min(...hours.map((h) => h.min)), 4);
		expect(p.max).toBeCloseTo(Math.max(...hours.map((h) => h.max)), 4);
		expect(p.median).toBeCloseTo(pctCont(hours.map((h) => h.median)), 4);
	});

	it('keeps poll points for the retention window and drops old aggregate partitions', async () => {
		const agg = (
			t: Date
		) => sql`insert into price_aggregates (snapshot_id, observed_at, provider, gpu, gpu_count, pricing, cloud, region, min_usd, median_usd, max_usd, n, available_n)
			values (1, ${t.toISOString()}::timestamptz, 'vastai', 'h100-sxm', 1, 'on_demand', '', 'US', 1, 1, 1, 1, 1)`;
		const old = new Date(NOW.getTime() - 60 * DAY);
		const recentButExpired = new Date(NOW.getTime() - 3 * DAY - 3_600_000);
		const fresh = new Date(NOW.getTime() - DAY);
		await ensurePartitions(database.db, old, NOW, ['price_aggregates']);
		for (const t of [old, recentButExpired, fresh]) await database.db.execute(agg(t));
		// A row of a day that had no partition sits in the default partition: deleted row by row.
		await database.db.execute(agg(new Date(START.getTime() - 30 * DAY)));
		const hourBefore = await count(
			sql`select count(*)::int as n from price_history where resolution = 'hour'`
		);

		const partSize = (name: string) => count(sql`select pg_total_relation_size(${name}::regclass)::int as n`);
		const octoberBefore = await partSize('price_history_2026_10');

		const res = await applyRetention(database, NOW);
		expect(res.pollPointsDeleted).toBe(2 * (POLLS - POLL_RETENTION_DAYS * 144));
		// Months wholly before the 14-day poll cutoff (2026-11-13) are rewritten once, so the space of
		// their deleted poll points is returned instead of lingering as dead rows.
		expect(res.historyPartitionsCompacted).toContain('price_history_2026_10');
		expect(res.historyPartitionsCompacted).not.toContain('price_history_2026_11');
		expect(await partSize('price_history_2026_10')).toBeLessThan(octoberBefore / 3);
		// Every daily partition that ends before the 3-day cutoff (2026-11-24) is dropped, none after it.
		expect(res.aggregatePartitionsDropped).toContain('price_aggregates_2026_09_28');
		expect(res.aggregatePartitionsDropped.at(-1)).toBe('price_aggregates_2026_11_23');
		const left = await rows<{ name: string }>(
			database.db,
			sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
			    join pg_class p on p.oid = i.inhparent where p.relname = 'price_aggregates' order by 1`
		);
		expect(left.map((r) => r.name)).toEqual(
			expect.arrayContaining(['price_aggregates_2026_11_24', 'price_aggregates_2026_11_26'])
		);
		expect(
			left.filter((r) => r.name !== 'price_aggregates_default' && r.name < 'price_aggregates_2026_11_24')
		).toEqual([]);
		expect(res.aggregateRowsDeleted).toBe(1);
		expect(res.vacuumed).toBe(engine === 'pglite');
		expect(await count(sql`select count(*)::int as n from price_aggregates`)).toBe(1);
		expect(await count(sql`select count(*)::int as n from price_history where resolution = 'poll'`)).toBe(
			2 * POLL_RETENTION_DAYS * 144
		);
		expect(await count(sql`select count(*)::int as n from price_history where resolution = 'hour'`)).toBe(
			hourBefore
		);
		// Nothing more to delete or compact on the next run; ranges still answer (from hour points where
		// polls are gone).
		const again = await applyRetention(database, NOW);
		expect(again.pollPointsDeleted).toBe(0);
		expect(again.historyPartitionsCompacted).toEqual([]);
		const old20 = await queryHistory(
			database.db,
			{ gpu: 'h100-sxm', from: new Date(NOW.getTime() - 20 * DAY), to: new Date(NOW.getTime() - 19 * DAY) },
			NOW
		);
		expect(old20).toMatchObject({ resolution: 'hour', bucket: '1h' });
		expect(old20.series[0]!.points).toHaveLength(24);
		expect((await runHistoryMaintenance(database, NOW))?.rollup.hourPoints).toBe(2 * 2);
	});

	it('keeps archive and live points as separate series', async () => {
		const csv = [
			TRACKER_HEADER.join(','),
			'2026-11-20,vast.ai,H100_SXM,1,US,on_demand,1.5,1.9,2.4,4,https://console.vast.ai/api/v0/bundles/,2026-11-20T20:30:09+00:00'
		].join('\n');
		await importArchive(database.db, { fileName: 'tiny.csv', content: csv });
		const res = await queryHistory(
			database.db,
			{ gpu: 'h100-sxm', provider: 'vastai', from: new Date(NOW.getTime() - 10 * DAY), to: NOW },
			NOW
		);
		expect(res.series.map((s) => s.source)).toEqual(['live', 'archive']);
		const archive = res.series.find((s) => s.source === 'archive')!;
		expect(archive.points).toEqual([
			{ t: '2026-11-20T00:00:00.000Z', min: 1.5, median: 1.9, max: 2.4, n: 4 }
		]);
		expect(res.archiveBucket).toBe('1d');
		expect(res.series.find((s) => s.source === 'live')!.points.length).toBeGreaterThan(100);
	});
});
