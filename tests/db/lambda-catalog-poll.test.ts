/**
 * Lambda without LAMBDA_API_KEY, polled from SkyPilot's catalog on the loopback fake (real HTTP, real
 * database, both engines): the snapshot and its offers say `skypilot-catalog` and stock unknown; the
 * newest catalog version answering 404 falls back to the previous one; a truncated CSV, a changed header
 * (a new column), an HTML page and a timeout are outages — the previous snapshot stays and goes stale.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/lib/server/config.ts';
import { rows } from '../../src/lib/server/db/index.ts';
import { listOffers } from '../../src/lib/server/offers/list.ts';
import { readCurrentOffers, readCurrentSnapshots } from '../../src/lib/server/estimate-prices.ts';
import { pollOnce } from '../../src/lib/server/poll/poller.ts';
import { getFreshness, getProviderHealth, SKYPILOT_CATALOG_NOTE } from '../../src/lib/server/providers.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';
import {
	CATALOG_PATHS,
	startFakeProviders,
	type Behaviour,
	type FakeProviders
} from '../helpers/fake-providers.ts';

const TIMEOUT_MS = 300;
const HTTP = { baseBackoffMs: 20, minIntervalMs: 0 };
const HOUR_AGO = () => new Date(Date.now() - 3600_000);
/** 22 GPU instance types × 17 regions in the recorded v8 file. */
const RECORDED_OFFERS = 374;

describe.each(ENGINES)('Lambda from SkyPilot’s catalog on %s', (engine) => {
	let database: TestDatabase;
	let fake: FakeProviders;
	let config: Config;

	beforeAll(async () => {
		database = await createTestDatabase(engine);
		fake = await startFakeProviders();
		// No LAMBDA_API_KEY; the default order (newest version, then the previous one) on the fake.
		config = {
			...loadConfig({ ...fake.env(), PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS), PROVIDERS: 'lambda' }),
			lambdaCatalogUrls: [fake.url + CATALOG_PATHS.newest, fake.url + CATALOG_PATHS.previous]
		};
	});
	afterAll(async () => {
		await fake?.close();
		await database?.destroy();
	});
	beforeEach(() => fake.reset());

	const current = async () => {
		const [s] = await rows<{ id: number; n: number; source: string }>(
			database.db,
			sql`select s.id::int as id, s.source, (select count(*)::int from offers o where o.snapshot_id = s.id) as n
			    from snapshots s where provider = 'lambda' order by id desc limit 1`
		);
		return s;
	};

	it('polls the catalog without a key: list prices, stock unknown, source on snapshot and offers', async () => {
		const cycle = await pollOnce(database, config, { http: HTTP, providers: ['lambda'] });
		const r = cycle.results[0]!;
		expect(r).toMatchObject({ status: 'ok', offersStored: RECORDED_OFFERS, availableStored: 0 });
		expect(r.skippedReasons).toEqual({ 'CPU-only instance type': 34 });
		expect(fake.hits('lambda')).toBe(0);
		expect(await current()).toMatchObject({ n: RECORDED_OFFERS, source: 'skypilot-catalog' });
		const list = await listOffers(
			database.db,
			{ gpu: 'h100-sxm', gpuCount: 8 },
			{ limit: 50, scope: ['lambda'] }
		);
		expect(list.offers[0]).toMatchObject({
			available: null,
			source: 'skypilot-catalog',
			pricePerHourUsd: 31.92
		});
		expect(list.offers[0]!.pricePerGpuHourUsd).toBeCloseTo(3.99, 12);
		// available=true leaves unknown stock out.
		const onlyAvailable = await listOffers(
			database.db,
			{ available: true },
			{ limit: 50, scope: ['lambda'] }
		);
		expect(onlyAvailable.total).toBe(0);
		// The estimator counts them as list prices.
		const est = await readCurrentOffers(database.db, ['lambda'], 'h100-sxm');
		expect(est.some((o) => o.provider === 'lambda')).toBe(true);
		expect(await readCurrentSnapshots(database.db, ['lambda'])).toMatchObject([
			{ provider: 'lambda', source: 'skypilot-catalog', availableCount: 0 }
		]);
		const health = (await getProviderHealth(database.db, config)).find((h) => h.provider === 'lambda')!;
		expect(health).toMatchObject({
			enabled: true,
			state: 'ok',
			source: 'skypilot-catalog',
			sourceNote: SKYPILOT_CATALOG_NOTE
		});
	});

	it('falls back to the previous catalog version when the newest answers 404', async () => {
		fake.set('lambda-catalog', { raw: '404: Not Found', status: 404 });
		const r = (await pollOnce(database, config, { http: HTTP, providers: ['lambda'] })).results[0]!;
		expect(r.status).toBe('ok');
		expect(r.offersStored).toBe(RECORDED_OFFERS);
		expect(r.requests).toBe(2);
		expect(r.notes).toEqual([
			'catalog /skypilot/catalogs/v9/lambda/vms.csv answered 404: read /skypilot/catalogs/v8/lambda/vms.csv'
		]);
		expect(fake.hits('lambda-catalog')).toBe(1);
	});

	it('a pinned LAMBDA_CATALOG_URL is read alone: its 404 is an outage, not a fallback', async () => {
		fake.set('lambda-catalog', { raw: '404: Not Found', status: 404 });
		const pinned = loadConfig({
			...fake.env(),
			PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS),
			PROVIDERS: 'lambda'
		});
		expect(pinned.lambdaCatalogUrls).toEqual([fake.url + CATALOG_PATHS.newest]);
		const r = (await pollOnce(database, pinned, { http: HTTP, providers: ['lambda'] })).results[0]!;
		expect(r.status).toBe('failed');
		expect(r.error).toMatch(/HTTP 404/);
	});

	const faults: [string, Behaviour, RegExp][] = [
		['a truncated CSV', { fault: 'truncated' }, /changed shape: the CSV is malformed or cut short/],
		['a changed header (a new column)', { fault: 'shape' }, /changed shape: the CSV header changed/],
		['an HTML error page', { fault: 'html' }, /HTML page instead of text/],
		['a timeout', { fault: 'timeout' }, /timed out after 300 ms after 3 attempts/],
		['a header and no rows', { fault: 'empty' }, /held no usable offer/]
	];

	it.each(faults)(
		'%s: reported, previous snapshot kept and flagged stale',
		async (_name, behaviour, expected) => {
			const seed = await pollOnce(database, config, { http: HTTP, providers: ['lambda'], now: HOUR_AGO });
			expect(seed.results[0]!.status).toBe('ok');
			const previous = await current();
			fake.set('lambda-catalog', behaviour);
			const r = (await pollOnce(database, config, { http: HTTP, providers: ['lambda'] })).results[0]!;
			expect(r.status).toBe('failed');
			expect(r.error).toMatch(expected);
			expect(r.error!.startsWith('[lambda]')).toBe(true);
			expect(await current()).toEqual(previous);
			const fresh = (await getFreshness(database.db, config)).find((f) => f.provider === 'lambda')!;
			expect(fresh).toMatchObject({ stale: true, lastPollFailed: true, snapshotId: previous!.id });
			const health = (await getProviderHealth(database.db, config)).find((h) => h.provider === 'lambda')!;
			expect(health.state).toBe('stale');
			expect(health.lastError?.message).toMatch(expected);
		}
	);
});
