/**
 * The poller on both engines, against the loopback fake providers (real HTTP, real database):
 * snapshots with their aggregates and history points, replacement of the previous snapshot, Lambda
 * without a key, every fault of every provider (the previous snapshot stays, is flagged stale, the run
 * is recorded, the other providers are untouched, the cycle ends in bounded time), listeners, and the
 * scheduler's one-poll-per-interval rule.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADAPTERS } from '#adapters/index.ts';
import type { NormalizedOffer, ProviderId } from '#adapters/types.ts';
import { DEFAULT_TRUST } from '../../src/lib/trust.ts';
import { loadConfig, type Config } from '../../src/lib/server/config.ts';
import { rows } from '../../src/lib/server/db/index.ts';
import { listOffers } from '../../src/lib/server/offers/list.ts';
import { claimPollSlot, createPollerHook } from '../../src/lib/server/poll/scheduler.ts';
import {
	onCycleComplete,
	onSnapshotStored,
	type CycleCompleteEvent,
	type SnapshotStoredEvent
} from '../../src/lib/server/poll/events.ts';
import { pollOnce } from '../../src/lib/server/poll/poller.ts';
import { getFreshness, getProviderHealth } from '../../src/lib/server/providers.ts';
import { storeSnapshot } from '../../src/lib/server/poll/snapshots.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';
import {
	FAULTS,
	recordedPayloads,
	startFakeProviders,
	type Fault,
	type FakeProviders
} from '../helpers/fake-providers.ts';

const PROVIDERS: ProviderId[] = ['vastai', 'runpod', 'lambda'];
const TIMEOUT_MS = 300;
/** Fast, but still exercised: 20 ms then 40 ms of backoff, no request spacing. */
const HTTP = { baseBackoffMs: 20, minIntervalMs: 0 };
/** PROVIDER_TIMEOUT_MS per attempt × 3 attempts + the backoff + slack for the database work. */
const CYCLE_BOUND_MS = 3 * TIMEOUT_MS + 60 + 2000;
const HOUR_AGO = () => new Date(Date.now() - 3600_000);

/** What each fault must be reported as. */
const EXPECTED: Record<Fault, RegExp> = {
	timeout: /timed out after 300 ms after 3 attempts/,
	reset: /failed: (ECONNRESET|UND_ERR_SOCKET|EPIPE|other side closed).* after 3 attempts/,
	'429': /answered HTTP 429 \(rate limited\).* after 3 attempts/,
	'500': /answered HTTP 500.* after 3 attempts/,
	html: /HTML page instead of JSON/,
	truncated: /invalid JSON/,
	shape: /the answer changed shape/,
	empty: /held no usable offer/,
	'401': /HTTP 401: global\/invalid-api-key/
};

function parsedOffers(provider: ProviderId, at: Date): NormalizedOffer[] {
	return ADAPTERS[provider].parse(recordedPayloads()[provider], at).offers;
}

function median(values: number[]): number {
	const s = [...values].sort((a, b) => a - b);
	const m = s.length / 2;
	return s.length % 2 ? s[Math.floor(m)]! : (s[m - 1]! + s[m]!) / 2;
}

describe.each(ENGINES)('poller on %s', (engine) => {
	let database: TestDatabase;
	let fake: FakeProviders;
	let config: Config;
	/** the short PROVIDER_TIMEOUT_MS the fault cases are reported with */
	let faultConfig: Config;

	beforeAll(async () => {
		database = await createTestDatabase(engine);
		fake = await startFakeProviders({ lambdaKey: 'secret_test_key' });
		config = loadConfig({
			...fake.env(),
			LAMBDA_API_KEY: 'secret_test_key',
			// Generous where nothing times out on purpose: a loaded machine must not fail a healthy poll.
			PROVIDER_TIMEOUT_MS: '20000',
			POLL_INTERVAL_MINUTES: '10'
		});
		faultConfig = { ...config, providerTimeoutMs: TIMEOUT_MS };
	});
	afterAll(async () => {
		await fake?.close();
		await database?.destroy();
	});
	beforeEach(() => fake.reset());

	const currentSnapshot = async (provider: ProviderId) => {
		const [s] = await rows<{ id: number; n: number }>(
			database.db,
			sql`select s.id::int as id, (select count(*)::int from offers o where o.snapshot_id = s.id) as n
			    from snapshots s where provider = ${provider} order by id desc limit 1`
		);
		return s;
	};

	it('stores each provider’s answer as its snapshot, with aggregates and poll history', async () => {
		const at = new Date('2026-09-01T10:00:00.000Z');
		const cycle = await pollOnce(database, config, { http: HTTP, now: () => at });
		expect(cycle.ok).toBe(true);
		for (const r of cycle.results) {
			expect(r, r.provider).toMatchObject({ status: 'ok', observedAt: at.toISOString() });
			const expected = parsedOffers(r.provider, at);
			expect(r.offersStored).toBe(expected.length);
			const stored = await rows<{ n: number; snap: number }>(
				database.db,
				sql`select count(*)::int as n, max(snapshot_id)::int as snap from offers where provider = ${r.provider}`
			);
			expect(stored[0]).toEqual({ n: expected.length, snap: r.snapshotId });
			const [run] = await rows<{
				status: string;
				offers_stored: number;
				snapshot_id: number;
				error: string | null;
			}>(
				database.db,
				sql`select status, offers_stored, snapshot_id::int as snapshot_id, error from poll_runs where id = ${r.pollRunId!}`
			);
			expect(run).toEqual({
				status: 'ok',
				offers_stored: expected.length,
				snapshot_id: r.snapshotId,
				error: null
			});
		}
		// Aggregates by the full key, over all listed offers, equal a recomputation from the parsed answer.
		const vast = parsedOffers('runpod', at);
		const aggs = await rows<{
			gpu: string;
			pricing: string;
			cloud: string;
			min_usd: number;
			median_usd: number;
			max_usd: number;
			n: number;
			available_n: number;
		}>(
			database.db,
			sql`select gpu, pricing, cloud, min_usd, median_usd, max_usd, n, available_n from price_aggregates
			    where provider = 'runpod' and observed_at = ${at.toISOString()}::timestamptz order by gpu, pricing, cloud`
		);
		const groups = new Map<string, NormalizedOffer[]>();
		for (const o of vast) {
			const k = `${o.gpu}|${o.pricing}|${o.cloud ?? ''}`;
			groups.set(k, [...(groups.get(k) ?? []), o]);
		}
		expect(aggs).toHaveLength(groups.size);
		for (const a of aggs) {
			const g = groups.get(`${a.gpu}|${a.pricing}|${a.cloud}`)!;
			const prices = g.map((o) => o.pricePerGpuHourUsd);
			expect(a).toMatchObject({
				min_usd: Math.min(...prices),
				max_usd: Math.max(...prices),
				n: g.length,
				available_n: g.filter((o) => o.available).length
			});
			expect(a.median_usd).toBeCloseTo(median(prices), 12);
		}
		// Series-level poll points: gpu × provider × pricing × cloud ('' when none), source live.
		const hist = await rows<{
			gpu: string;
			provider: string;
			pricing: string;
			cloud: string;
			median_usd: number;
			n: number;
			available_n: number;
		}>(
			database.db,
			sql`select gpu, provider, pricing, cloud, median_usd, n, available_n from price_history
			    where resolution = 'poll' and source = 'live' and t = ${at.toISOString()}::timestamptz`
		);
		const lambdaPoint = hist.find((h) => h.provider === 'lambda' && h.gpu === 'a100-sxm-40gb');
		// Two regions with capacity → two offers at $1.99.
		expect(lambdaPoint).toMatchObject({
			pricing: 'on_demand',
			cloud: '',
			median_usd: 1.99,
			n: 2,
			available_n: 2
		});
		const vastPoints = hist.filter((h) => h.provider === 'vastai').map((h) => [h.gpu, h.pricing, h.cloud]);
		expect(vastPoints.sort()).toEqual([
			['rtx-4090', 'on_demand', 'community'],
			['rtx-4090', 'spot', 'community']
		]);
	});

	it('replaces a provider’s offers with its new snapshot and keeps the old snapshot row', async () => {
		// Its own earlier snapshot (not one a test above happened to leave).
		await pollOnce(database, config, { http: HTTP, providers: ['runpod'] });
		const before = await currentSnapshot('runpod');
		const cycle = await pollOnce(database, config, { http: HTTP, providers: ['runpod'] });
		const after = await currentSnapshot('runpod');
		expect(after!.id).toBe(cycle.results[0]!.snapshotId);
		expect(after!.id).toBeGreaterThan(before!.id);
		const [left] = await rows<{ n: number }>(
			database.db,
			sql`select count(*)::int as n from offers where provider = 'runpod' and snapshot_id <> ${after!.id}`
		);
		expect(left!.n).toBe(0);
		const [old] = await rows<{ n: number }>(
			database.db,
			sql`select count(*)::int as n from snapshots where id = ${before!.id}`
		);
		expect(old!.n).toBe(1);
	});

	it('writes a snapshot all or nothing: a failing insert leaves the previous one current', async () => {
		const before = await currentSnapshot('lambda');
		const good = parsedOffers('lambda', new Date());
		// smallint overflow: the database refuses the second offer after the snapshot row was inserted.
		const bad = [good[0]!, { ...good[0]!, gpuCount: 70_000 }];
		await expect(
			storeSnapshot(database.db, 'lambda', null, new Date(), bad, {
				settings: DEFAULT_TRUST,
				scope: PROVIDERS
			})
		).rejects.toThrow();
		expect(await currentSnapshot('lambda')).toEqual(before);
	});

	it('polls Lambda without a key from SkyPilot’s catalog, never the keyed API (tests/db/lambda-catalog-poll.test.ts)', async () => {
		const noKey = loadConfig({ ...fake.env(), PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS) });
		const cycle = await pollOnce(database, noKey, { http: HTTP });
		expect(cycle.ok).toBe(true);
		expect(cycle.results.find((r) => r.provider === 'lambda')).toMatchObject({ status: 'ok' });
		expect(fake.hits('lambda')).toBe(0);
		expect(fake.hits('lambda-catalog')).toBe(1);
		const health = await getProviderHealth(database.db, noKey);
		expect(health.find((h) => h.provider === 'lambda')).toMatchObject({
			enabled: true,
			disabledReason: null,
			source: 'skypilot-catalog'
		});
		// With the key again, the API is the source.
		await pollOnce(database, config, { http: HTTP, providers: ['lambda'] });
		expect((await getFreshness(database.db, config)).find((f) => f.provider === 'lambda')!.source).toBe(
			'api'
		);
	});

	const cases: [ProviderId, Fault][] = [
		...PROVIDERS.flatMap((p) => FAULTS.filter((f) => f !== '401').map((f) => [p, f] as [ProviderId, Fault])),
		['lambda', '401']
	];

	it.each(cases)(
		'%s answering with %s: reported, previous snapshot intact and stale, others untouched',
		async (provider, fault) => {
			// A good snapshot an hour old (two intervals are 20 min: it is stale by now).
			const seed = await pollOnce(database, config, { http: HTTP, providers: [provider], now: HOUR_AGO });
			expect(seed.results[0]!.status).toBe('ok');
			const previous = await currentSnapshot(provider);
			fake.set(provider, { fault });
			const t0 = Date.now();
			const cycle = await pollOnce(database, faultConfig, { http: HTTP });
			const elapsed = Date.now() - t0;
			expect(elapsed).toBeLessThan(CYCLE_BOUND_MS);
			expect(cycle.ok).toBe(false);
			const failed = cycle.results.find((r) => r.provider === provider)!;
			expect(failed.status).toBe('failed');
			expect(failed.error).toMatch(EXPECTED[fault]);
			expect(failed.error!.startsWith(`[${provider}]`)).toBe(true);
			// The others polled fine and replaced their own snapshots.
			for (const r of cycle.results.filter((x) => x.provider !== provider))
				expect(r.status, r.provider).toBe('ok');
			// The previous snapshot is still the current one, offers intact.
			expect(await currentSnapshot(provider)).toEqual(previous);
			// The run is on record, with the error.
			const [run] = await rows<{ status: string; error: string; finished: boolean }>(
				database.db,
				sql`select status, error, finished_at is not null as finished from poll_runs where id = ${failed.pollRunId!}`
			);
			expect(run).toMatchObject({ status: 'failed', finished: true });
			expect(run!.error).toMatch(EXPECTED[fault]);
			// Flagged stale (and failing) where the API and the pages read it.
			const fresh = (await getFreshness(database.db, config)).find((f) => f.provider === provider)!;
			expect(fresh).toMatchObject({ stale: true, lastPollFailed: true, snapshotId: previous!.id });
			const others = (await getFreshness(database.db, config)).filter((f) => f.provider !== provider);
			for (const f of others) expect(f).toMatchObject({ stale: false, lastPollFailed: false });
			const health = (await getProviderHealth(database.db, config)).find((h) => h.provider === provider)!;
			expect(health.state).toBe('stale');
			expect(health.lastError?.message).toMatch(EXPECTED[fault]);
			const listed = await listOffers(database.db, { provider }, { limit: 5000, scope: PROVIDERS });
			expect(listed.total).toBe(previous!.n);
		}
	);

	it('counts names it cannot map and treats an answer without usable offers as an outage', async () => {
		const offer = (recordedPayloads().vastai as { offers: Record<string, unknown>[] }).offers[0]!;
		fake.set('vastai', {
			payload: {
				offers: [
					{ ...offer, id: 1, gpu_name: 'GTX 1080 Ti' },
					{ ...offer, id: 2, gpu_name: 'RTX 9090' },
					{ ...offer, id: 3, gpu_name: 'RTX 9090' },
					{ ...offer, id: 4, dph_total: 0, min_bid: 0 }
				]
			}
		});
		const cycle = await pollOnce(database, config, { http: HTTP, providers: ['vastai'] });
		const r = cycle.results[0]!;
		expect(r).toMatchObject({
			status: 'failed',
			offersSeen: 4,
			skipped: 1,
			rejectedPrices: 1,
			unmapped: { 'RTX 9090': 2 }
		});
		expect(r.error).toMatch(
			/held no usable offer \(4 items, 1 skipped, 1 unmapped names, 1 rejected prices\)/
		);
		const [run] = await rows<{ unmapped: unknown; skipped_reasons: unknown; rejected_prices: number }>(
			database.db,
			sql`select unmapped, skipped_reasons, rejected_prices from poll_runs where id = ${r.pollRunId!}`
		);
		const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
		expect(parse(run!.unmapped)).toEqual({ 'RTX 9090': 2 });
		expect(parse(run!.skipped_reasons)).toEqual({
			'excluded: pre-Volta GPU (no tensor cores): outside the catalog': 1
		});
		expect(run!.rejected_prices).toBe(1);
	});

	it('calls the registered listeners after each stored snapshot and after each cycle; a failing listener harms nothing', async () => {
		const snaps: SnapshotStoredEvent[] = [];
		const cycles: CycleCompleteEvent[] = [];
		fake.set('runpod', { fault: '500' });
		const offA = onSnapshotStored((e) => void snaps.push(e));
		const offB = onCycleComplete((e) => void cycles.push(e));
		const offC = onSnapshotStored(() => {
			throw new Error('listener bug');
		});
		try {
			const cycle = await pollOnce(database, config, { http: HTTP });
			expect(snaps.map((s) => s.provider).sort()).toEqual(['lambda', 'vastai']);
			for (const s of snaps) {
				expect(s.snapshotId).toBe(cycle.results.find((r) => r.provider === s.provider)!.snapshotId);
				expect(s.database).toBe(database);
			}
			expect(cycles).toHaveLength(1);
			expect(cycles[0]!.cycle).toBe(cycle);
		} finally {
			offA();
			offB();
			offC();
		}
		await pollOnce(database, config, { http: HTTP, providers: ['vastai'] });
		expect(cycles).toHaveLength(1);
	});

	it('lets exactly one scheduler poll per interval slot', async () => {
		const slot = 1_000_000 + Math.floor(Math.random() * 1000);
		expect(await claimPollSlot(database.db, slot, 'a')).toBe(true);
		expect(await claimPollSlot(database.db, slot, 'b')).toBe(false);
		expect(await claimPollSlot(database.db, slot + 1, 'b')).toBe(true);
	});

	it('runs the in-process scheduler once at start, and a second instance in the same interval does not poll', async () => {
		const everyMinute = { ...config, pollIntervalMinutes: 1 };
		const app = { config: everyMinute, database, startedAt: new Date(), stop: async () => {} };
		// Time made explicit: both schedulers read one pinned clock, 10 s into a 1-minute slot far from any
		// slot a real clock (or another test) picks, so "the same interval" never depends on the wall clock.
		const slot = 2_000_000_000 + Math.floor(Math.random() * 1_000_000);
		const now = () => slot * 60_000 + 10_000;
		const [{ n: before }] = (await rows<{ n: number }>(
			database.db,
			sql`select count(distinct cycle_id)::int as n from poll_runs`
		)) as [{ n: number }];
		const logs: string[] = [];
		const stopA = await createPollerHook({ http: HTTP, now, log: (l) => logs.push(l) })(app);
		// one summary line per provider (progress lines, "storing N offers", come before them)
		const summaries = () => logs.filter((l) => /^\[poll\] \w+: (ok|FAILED|disabled)/.test(l)).length;
		for (let i = 0; i < 300 && summaries() < 3; i++) await new Promise((r) => setTimeout(r, 50));
		expect(logs.some((l) => /^\[poll\] vastai: ok/.test(l))).toBe(true);
		// Another instance (same database) starting within the same minute finds the slot taken.
		const otherDb =
			engine === 'postgres'
				? await (
						await import('../../src/lib/server/db/index.ts')
					).openDatabase({ url: database.url!, poolMax: 2 })
				: database;
		const stopB = await createPollerHook({ http: HTTP, now, log: (l) => logs.push('B ' + l) })({
			...app,
			database: otherDb
		});
		await new Promise((r) => setTimeout(r, 500));
		if (stopA) await stopA();
		if (stopB) await stopB();
		if (otherDb !== database) await otherDb.close();
		const [{ n: after }] = (await rows<{ n: number }>(
			database.db,
			sql`select count(distinct cycle_id)::int as n from poll_runs`
		)) as [{ n: number }];
		expect(after - before).toBe(1);
		const claimed = await rows<{ instance: string }>(
			database.db,
			sql`select instance from poll_slots where slot = ${slot}`
		);
		expect(claimed).toHaveLength(1);
		expect(logs.filter((l) => l.startsWith('B '))).toEqual([]);
	});
});
