/**
 * The compare page reads the per-poll aggregates of each provider's current snapshot. They must agree
 * with the offers themselves, and retention must never take them away: a provider whose polls have
 * failed for longer than the aggregate window keeps its last snapshot on show (flagged stale).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '#adapters/index.ts';
import { PROVIDERS, type ProviderId } from '#adapters/types.ts';
import { DEFAULT_TRUST } from '../../src/lib/trust.ts';
import { AGGREGATE_RETENTION_DAYS } from '../../src/lib/server/history/time.ts';
import { applyRetention } from '../../src/lib/server/history/retention.ts';
import { usdPerMillionTrainingTokens } from '../../src/lib/estimator/index.ts';
import { compareByGpu, filterOptions, sortCompareRows } from '../../src/lib/server/offers/compare.ts';
import { listOffers } from '../../src/lib/server/offers/list.ts';
import { rows } from '../../src/lib/server/db/index.ts';
import {
	aggregateOffers,
	assessSnapshot,
	FULL_KEY,
	SERIES_KEY,
	storeSnapshot
} from '../../src/lib/server/poll/snapshots.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';
import { recordedPayloads } from '../helpers/fake-providers.ts';

const TRUST = { settings: DEFAULT_TRUST, scope: PROVIDERS };

const DAY = 86_400_000;
const SCOPE: ProviderId[] = ['vastai', 'runpod', 'lambda'];

function offersOf(provider: ProviderId, at: Date) {
	return ADAPTERS[provider].parse(recordedPayloads()[provider], at).offers;
}

describe.each(ENGINES)('current aggregates on %s', (engine) => {
	let database: TestDatabase;
	const now = new Date();
	const longAgo = new Date(now.getTime() - (AGGREGATE_RETENTION_DAYS + 2) * DAY);

	beforeAll(async () => {
		database = await createTestDatabase(engine);
		// Lambda's last good poll is five days old; the others are current.
		await storeSnapshot(database.db, 'lambda', null, longAgo, offersOf('lambda', longAgo), TRUST);
		await storeSnapshot(database.db, 'vastai', null, now, offersOf('vastai', now), TRUST);
		await storeSnapshot(database.db, 'runpod', null, now, offersOf('runpod', now), TRUST);
	});
	afterAll(async () => {
		await database?.destroy();
	});

	it('stores each aggregate and poll point exactly as computed, nulls included', async () => {
		// The numbers travel as typed array literals ('{1.5,NULL}'::float8[]): every float8 must come back
		// bit for bit, and a group with nothing available must keep its null cheapest-available price.
		const offers = offersOf('runpod', now);
		const assessed = await assessSnapshot(database.db, 'runpod', offers, TRUST);
		const trusted = offers.filter((_, i) => assessed[i]!.trusted);
		const key = (a: { gpu: string; gpuCount?: number; pricing: string; cloud: string; region?: string }) =>
			[a.gpu, a.gpuCount ?? '', a.pricing, a.cloud, a.region ?? ''].join('|');
		const expected = aggregateOffers(trusted, FULL_KEY);
		expect(expected.some((a) => a.minAvailableUsd === null)).toBe(true);
		const stored = await rows<Record<string, string | number | null>>(
			database.db,
			sql`select gpu, gpu_count, pricing, cloud, region, min_usd, median_usd, max_usd, n, available_n,
			           min_available_usd
			    from price_aggregates
			    where snapshot_id = (select max(id) from snapshots where provider = 'runpod')`
		);
		const byKey = new Map(
			stored.map((r) => [
				key({
					gpu: String(r.gpu),
					gpuCount: Number(r.gpu_count),
					pricing: String(r.pricing),
					cloud: String(r.cloud),
					region: String(r.region)
				}),
				r
			])
		);
		expect(byKey.size).toBe(expected.length);
		for (const a of expected) {
			const r = byKey.get(key(a))!;
			expect(r, key(a)).toBeDefined();
			expect([r.min_usd, r.median_usd, r.max_usd, r.n, r.available_n].map(Number)).toEqual([
				a.minUsd,
				a.medianUsd,
				a.maxUsd,
				a.n,
				a.availableN
			]);
			expect(r.min_available_usd === null ? null : Number(r.min_available_usd)).toBe(a.minAvailableUsd);
		}
		const series = aggregateOffers(trusted, SERIES_KEY);
		const points = await rows<Record<string, string | number>>(
			database.db,
			sql`select gpu, pricing, cloud, min_usd, median_usd, max_usd, n, available_n from price_history
			    where resolution = 'poll' and provider = 'runpod' and t = ${now.toISOString()}::timestamptz`
		);
		expect(points).toHaveLength(series.length);
		for (const a of series) {
			const p = points.find((x) => x.gpu === a.gpu && x.pricing === a.pricing && x.cloud === a.cloud)!;
			expect([p.min_usd, p.median_usd, p.max_usd, p.n, p.available_n].map(Number)).toEqual([
				a.minUsd,
				a.medianUsd,
				a.maxUsd,
				a.n,
				a.availableN
			]);
		}
	});

	it('compares the same prices the offers list shows', async () => {
		const rows = await compareByGpu(database.db, {}, SCOPE);
		const { offers } = await listOffers(database.db, {}, { limit: 5000, scope: SCOPE });
		for (const row of rows) {
			for (const provider of SCOPE) {
				for (const pricing of ['on_demand', 'spot'] as const) {
					const mine = offers.filter(
						(o) => o.gpu === row.gpu && o.provider === provider && o.pricing === pricing
					);
					const cell = row.cells[provider][pricing];
					if (!mine.length) {
						expect(cell).toBeNull();
						continue;
					}
					const available = mine.filter((o) => o.available).map((o) => o.pricePerGpuHourUsd);
					expect(cell).toEqual({
						minAvailableUsd: available.length ? Math.min(...available) : null,
						minListedUsd: Math.min(...mine.map((o) => o.pricePerGpuHourUsd)),
						offers: mine.length,
						availableOffers: available.length
					});
				}
			}
		}
		expect(rows.length).toBeGreaterThan(5);
		const options = await filterOptions(database.db, SCOPE);
		expect(new Set(options.gpus.map((g) => g.slug))).toEqual(new Set(offers.map((o) => o.gpu)));
		expect(options.gpuCounts).toEqual([...new Set(offers.map((o) => o.gpuCount))].sort((a, b) => a - b));
	});

	it('prices the reference QLoRA job per million tokens at each GPU’s best on-demand price', async () => {
		const rows = await compareByGpu(database.db, {}, SCOPE);
		const priced = rows.filter((r) => r.qloraUsdPerMTokens !== null);
		expect(priced.length).toBeGreaterThan(3);
		for (const r of rows) {
			expect(r.qloraUsdPerMTokens).toBe(
				r.bestOnDemandUsd === null ? null : usdPerMillionTrainingTokens(r.gpu, r.bestOnDemandUsd)
			);
		}
		// A faster card costs less per token than its hourly price alone says: the column is not the price.
		const ratios = priced.map((r) => r.qloraUsdPerMTokens! / r.bestOnDemandUsd!);
		expect(new Set(ratios.map((x) => x.toFixed(6))).size).toBeGreaterThan(1);
		const sorted = sortCompareRows(rows, 'perf', 'asc').filter((r) => r.qloraUsdPerMTokens !== null);
		for (let i = 1; i < sorted.length; i++)
			expect(sorted[i]!.qloraUsdPerMTokens!).toBeGreaterThanOrEqual(sorted[i - 1]!.qloraUsdPerMTokens!);
	});

	it('shows a new snapshot on the next read, even one stored by another instance', async () => {
		const cheap = (o: ReturnType<typeof offersOf>[number]) => ({
			...o,
			pricePerGpuHourUsd: o.pricePerGpuHourUsd / 2,
			pricePerHourUsd: o.pricePerHourUsd / 2
		});
		const before = await compareByGpu(database.db, { provider: 'runpod' }, SCOPE);
		expect(await compareByGpu(database.db, { provider: 'runpod' }, SCOPE)).toBe(before); // kept per version
		// Another instance (its own connection pool on Postgres) stores RunPod's next snapshot.
		const other =
			engine === 'postgres'
				? await (
						await import('../../src/lib/server/db/index.ts')
					).openDatabase({ url: database.url!, poolMax: 1 })
				: database;
		try {
			await storeSnapshot(
				other.db,
				'runpod',
				null,
				new Date(),
				offersOf('runpod', new Date()).map(cheap),
				TRUST
			);
		} finally {
			if (other !== database) await other.close();
		}
		const after = await compareByGpu(database.db, { provider: 'runpod' }, SCOPE);
		expect(after).not.toBe(before);
		const h = (rows: typeof before) =>
			rows.find((r) => r.gpu === 'rtx-4090')!.cells.runpod.on_demand!.minListedUsd;
		expect(h(after)).toBeCloseTo(h(before) / 2, 9);
	});

	it('keeps a failing provider’s last snapshot on the compare page after retention', async () => {
		const before = await compareByGpu(database.db, { provider: 'lambda' }, SCOPE);
		expect(before.length).toBeGreaterThan(0);
		await applyRetention(database, now);
		expect(await compareByGpu(database.db, { provider: 'lambda' }, SCOPE)).toEqual(before);
		// Once Lambda polls again, its old snapshot's aggregates may go.
		await storeSnapshot(database.db, 'lambda', null, now, offersOf('lambda', now), TRUST);
		const res = await applyRetention(database, new Date(now.getTime() + 1000));
		const oldDay = longAgo.toISOString().slice(0, 10).replaceAll('-', '_');
		expect(res.aggregatePartitionsDropped).toContain(`price_aggregates_${oldDay}`);
		expect(await compareByGpu(database.db, { provider: 'lambda' }, SCOPE)).toEqual(before);
	});

	it('leaves the previous snapshot whole when a later statement of the snapshot fails', async () => {
		const count = async (table: string) =>
			(
				await rows<{ n: number }>(
					database.db,
					sql`select count(*)::int as n from ${sql.identifier(table)} where provider = 'vastai'`
				)
			)[0]!.n;
		const before = await compareByGpu(database.db, { provider: 'vastai' }, SCOPE);
		const counts = [await count('snapshots'), await count('offers'), await count('price_history')];
		// A real failure inside the server, after the offers went in: the aggregates insert raises.
		await database.db.execute(sql`create function refuse_aggregates() returns trigger language plpgsql as
			$$ begin raise exception 'aggregates refused by the test'; end $$`);
		await database.db.execute(sql`create trigger refuse_aggregates before insert on price_aggregates
			for each row execute function refuse_aggregates()`);
		try {
			const later = new Date(now.getTime() + 60_000);
			const err: unknown = await storeSnapshot(
				database.db,
				'vastai',
				null,
				later,
				offersOf('vastai', later),
				TRUST
			).then(
				() => null,
				(e: unknown) => e
			);
			// drizzle wraps the server's error ("Failed query: …") and keeps it as the cause
			const cause = (err as { cause?: { message?: string } } | null)?.cause;
			expect(cause?.message ?? String(err)).toMatch(/aggregates refused by the test/);
		} finally {
			await database.db.execute(sql`drop trigger refuse_aggregates on price_aggregates`);
			await database.db.execute(sql`drop function refuse_aggregates()`);
		}
		expect([await count('snapshots'), await count('offers'), await count('price_history')]).toEqual(counts);
		expect(await compareByGpu(database.db, { provider: 'vastai' }, SCOPE)).toEqual(before);
	});
});
