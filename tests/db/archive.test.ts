/**
 * Archive import on both engines: the bundled file on a first start (recorded in meta), counts and
 * exact values checked against the CSV itself, the daily series rollup recomputed here independently,
 * a second import that adds nothing, an overlapping file that adds only its new rows, and a SkyPilot
 * snapshot.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slugForTrackerName } from '../../src/lib/server/archive-names.ts';
import {
	ARCHIVE_ATTRIBUTION,
	bootstrapArchive,
	BOOTSTRAP_META_KEY,
	importArchive
} from '../../src/lib/server/archive.ts';
import { rows } from '../../src/lib/server/db/index.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const FILE = join(ROOT, 'archive', 'observations-vast-runpod-lambda-2026-05-08_2026-07-20.csv');
const SKYPILOT = join(ROOT, 'tests', 'fixtures', 'archive', 'skypilot-vast-v7-excerpt.csv');
const content = readFileSync(FILE);

/** The CSV read here with a plain split (its fields hold no commas or quotes). */
const csv = content
	.toString('utf8')
	.trim()
	.split(/\r?\n/)
	.slice(1)
	.map((line) => {
		const [date, provider, gpuModel, gpuCount, region, rental, min, median, max, n, url, fetchedAt] =
			line.split(',');
		return {
			date: date!,
			provider: { 'vast.ai': 'vastai', runpod: 'runpod', lambda: 'lambda' }[provider!]!,
			gpuModel: gpuModel!,
			gpuCount: Number(gpuCount),
			region: region!,
			rental: rental!,
			min: Number(min),
			median: Number(median),
			max: Number(max),
			n: Number(n),
			url: url!,
			fetchedAt: fetchedAt!
		};
	});
type CsvRow = (typeof csv)[number];

/** archive/README.md: RunPod secure/community are clouds; `any` (and everything else) has none. */
const cloudOf = (r: CsvRow) =>
	r.provider === 'runpod' && (r.region === 'secure' || r.region === 'community') ? r.region : '';
const inSeries = (r: CsvRow) => !r.url.includes('getdeploying.com');

/** The documented day rollup, recomputed: min of mins, max of maxes, n-weighted (lower) median of medians, sum n. */
function expectedDay(gpuModel: string, provider: string, rental: string, cloud: string, date: string) {
	const group = csv.filter(
		(r) =>
			r.gpuModel === gpuModel &&
			r.provider === provider &&
			r.rental === rental &&
			cloudOf(r) === cloud &&
			r.date === date &&
			inSeries(r)
	);
	const byMedian = [...group].sort((a, b) => a.median - b.median);
	const total = group.reduce((s, r) => s + r.n, 0);
	let cum = 0;
	const median = byMedian.find((r) => (cum += r.n) * 2 >= total)!.median;
	return {
		min: Math.min(...group.map((r) => r.min)),
		median,
		max: Math.max(...group.map((r) => r.max)),
		n: total,
		groups: group.length
	};
}

describe.each(ENGINES)('archive import on %s', (engine) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(engine);
	});
	afterAll(async () => {
		await database?.destroy();
	});

	const count = async (q: ReturnType<typeof sql>) =>
		Number((await rows<{ n: number }>(database.db, q))[0]!.n);

	it('imports the bundled archive on the first start of an empty database and records it in meta', async () => {
		const logs: string[] = [];
		const res = await bootstrapArchive(database, (m) => logs.push(m));
		expect(res).toMatchObject({
			alreadyImported: false,
			rowsTotal: 17727,
			imported: 17727,
			duplicate: 0,
			unmappedRows: 0
		});
		expect(logs.join('\n')).toMatch(/imported the bundled archive — 17727 observations/);
		const [meta] = await rows<{ value: { imported: number; sha256: string } | string }>(
			database.db,
			sql`select value from meta where key = ${BOOTSTRAP_META_KEY}`
		);
		const value = typeof meta!.value === 'string' ? JSON.parse(meta!.value) : meta!.value;
		expect(value.imported).toBe(17727);
		expect(await bootstrapArchive(database)).toBe('done-before');
	});

	it('stores every row as published', async () => {
		expect(await count(sql`select count(*)::int as n from archive_observations`)).toBe(csv.length);
		const [imp] = await rows<{
			rows_total: number;
			rows_imported: number;
			rows_unmapped: number;
			attribution: string;
			format: string;
		}>(
			database.db,
			sql`select rows_total, rows_imported, rows_unmapped, attribution, format from archive_imports`
		);
		expect(imp).toMatchObject({
			rows_total: 17727,
			rows_imported: 17727,
			rows_unmapped: 0,
			format: 'tracker-csv'
		});
		expect(imp!.attribution).toBe(ARCHIVE_ATTRIBUTION);
		// Spot checks: first row, last row, a RunPod secure row, a vast.ai spot row, a third-party row.
		const picks = [
			csv[0]!,
			csv[csv.length - 1]!,
			csv.find((r) => r.provider === 'runpod' && r.region === 'secure' && r.gpuModel === 'H200')!,
			csv.find((r) => r.provider === 'vastai' && r.rental === 'spot' && r.gpuCount === 8)!,
			csv.find((r) => r.url.includes('getdeploying'))!
		];
		for (const r of picks) {
			const [row] = await rows<{
				gpu: string;
				cloud: string;
				min_usd: number;
				median_usd: number;
				max_usd: number;
				n: number;
				source_url: string;
				fetched_ms: number;
			}>(
				database.db,
				sql`select gpu, cloud, min_usd, median_usd, max_usd, n, source_url, extract(epoch from fetched_at)::float8 * 1000 as fetched_ms
				    from archive_observations
				    where provider = ${r.provider} and source_gpu_name = ${r.gpuModel} and gpu_count = ${r.gpuCount}
				      and region = ${r.region} and pricing = ${r.rental} and t = ${r.date + 'T00:00:00Z'}::timestamptz`
			);
			expect(row, JSON.stringify(r)).toBeDefined();
			expect(row!.gpu).toBe(slugForTrackerName(r.gpuModel));
			expect(row!.cloud).toBe(cloudOf(r));
			expect([Number(row!.min_usd), Number(row!.median_usd), Number(row!.max_usd), Number(row!.n)]).toEqual([
				r.min,
				r.median,
				r.max,
				r.n
			]);
			expect(row!.source_url).toBe(r.url);
			// Stored to the millisecond (JavaScript dates), the CSV has microseconds in some rows.
			expect(Math.abs(Number(row!.fetched_ms) - Date.parse(r.fetchedAt))).toBeLessThan(1);
		}
	});

	it('rolls the rows into one archive day point per GPU × provider × pricing × cloud, as documented', async () => {
		const keys = new Set(
			csv
				.filter(inSeries)
				.map((r) => [slugForTrackerName(r.gpuModel), r.provider, r.rental, cloudOf(r), r.date].join('|'))
		);
		expect(
			await count(
				sql`select count(*)::int as n from price_history where source = 'archive' and resolution = 'day'`
			)
		).toBe(keys.size);
		const cases: [string, string, string, string, string][] = [
			['H100_SXM', 'vastai', 'on_demand', '', '2026-07-20'],
			['H100_SXM', 'vastai', 'spot', '', '2026-06-01'],
			['RTX_4090', 'vastai', 'on_demand', '', '2026-05-15'],
			['H200', 'runpod', 'on_demand', 'secure', '2026-07-01'],
			['A100_SXM_80GB', 'runpod', 'spot', 'community', '2026-06-10'],
			['B200', 'lambda', 'on_demand', '', '2026-05-08']
		];
		for (const [model, provider, pricing, cloud, date] of cases) {
			const want = expectedDay(model, provider, pricing, cloud, date);
			const [got] = await rows<{ min_usd: number; median_usd: number; max_usd: number; n: number }>(
				database.db,
				sql`select min_usd, median_usd, max_usd, n from price_history
				    where gpu = ${slugForTrackerName(model)!} and resolution = 'day' and source = 'archive'
				      and provider = ${provider} and pricing = ${pricing} and cloud = ${cloud} and t = ${date + 'T00:00:00Z'}::timestamptz`
			);
			expect(got, `${model} ${provider} ${pricing} ${cloud} ${date}`).toBeDefined();
			expect({
				min: Number(got!.min_usd),
				median: Number(got!.median_usd),
				max: Number(got!.max_usd),
				n: Number(got!.n)
			}).toEqual({
				min: want.min,
				median: want.median,
				max: want.max,
				n: want.n
			});
		}
		// The getdeploying.com rows (RunPod H200 at its $0.50 placeholder) stay out of the series.
		expect(
			await count(
				sql`select count(*)::int as n from price_history where gpu = 'h200' and provider = 'runpod' and source = 'archive' and min_usd < 1`
			)
		).toBe(0);
	});

	it('adds nothing when the same file is imported again', async () => {
		const before = await count(sql`select count(*)::int as n from archive_observations`);
		const points = await count(sql`select count(*)::int as n from price_history`);
		const again = await importArchive(database.db, { fileName: FILE, content });
		expect(again).toMatchObject({ alreadyImported: true, imported: 0 });
		expect(await count(sql`select count(*)::int as n from archive_observations`)).toBe(before);
		expect(await count(sql`select count(*)::int as n from archive_imports`)).toBe(1);
		expect(await count(sql`select count(*)::int as n from price_history`)).toBe(points);
	});

	it('adds only the new rows of an overlapping file and updates the affected day', async () => {
		const lines = content.toString('utf8').trim().split(/\r?\n/);
		const extra =
			'2026-07-20,vast.ai,H100_SXM,8,JP,on_demand,1.5,1.6,1.7,3,https://console.vast.ai/api/v0/bundles/,2026-07-20T20:30:09+00:00';
		const overlapping = [lines[0], ...lines.slice(1, 501), extra].join('\n') + '\n';
		const res = await importArchive(database.db, { fileName: 'overlap.csv', content: overlapping });
		expect(res).toMatchObject({ alreadyImported: false, rowsTotal: 501, imported: 1, duplicate: 500 });
		const [day] = await rows<{ min_usd: number; n: number }>(
			database.db,
			sql`select min_usd, n from price_history where gpu = 'h100-sxm' and provider = 'vastai' and pricing = 'on_demand'
			    and cloud = '' and source = 'archive' and resolution = 'day' and t = '2026-07-20T00:00:00Z'::timestamptz`
		);
		const before = expectedDay('H100_SXM', 'vastai', 'on_demand', '', '2026-07-20');
		expect(Number(day!.min_usd)).toBe(Math.min(before.min, 1.5));
		expect(Number(day!.n)).toBe(before.n + 3);
	});

	it('imports a SkyPilot vms.csv snapshot at its --observed-at time', async () => {
		const res = await importArchive(database.db, {
			fileName: SKYPILOT,
			content: readFileSync(SKYPILOT),
			observedAt: new Date('2025-06-01T12:00:00Z')
		});
		expect(res).toMatchObject({
			format: 'skypilot-vms',
			rowsTotal: 16,
			observations: 15,
			imported: 15,
			unmappedRows: 1
		});
		expect(res.unmapped).toEqual({ 'RTX_4090 (48 GB)': 1 });
		const [p] = await rows<{ min_usd: number; max_usd: number; n: number }>(
			database.db,
			sql`select min_usd, max_usd, n from price_history where gpu = 'h100-sxm' and provider = 'vastai' and pricing = 'on_demand'
			    and source = 'archive' and resolution = 'day' and t = '2025-06-01T00:00:00Z'::timestamptz`
		);
		// 1x H100 SXM at $1.80 (CZ) and 8x at $17.07 per instance-hour (US) → $2.13375 per GPU-hour.
		expect({ min: Number(p!.min_usd), max: Number(p!.max_usd), n: Number(p!.n) }).toEqual({
			min: 1.8,
			max: 17.07 / 8,
			n: 2
		});
	});
});
