/**
 * Staleness and provider state on their own (src/lib/server/providers.ts). The rule, read from the code:
 *  - stale      = the current snapshot is older than 2 × POLL_INTERVAL_MINUTES (2 × 10 min when polling
 *                 is off), strictly: exactly two intervals old is still fresh. Age alone decides it; a
 *                 failed poll does not make a young snapshot stale.
 *  - state      = disabled (not polled with this configuration) › no snapshot: failing if the newest
 *                 finished poll failed, else no-data › stale › failing (newest finished poll failed) › ok.
 * Each case writes its own snapshot and poll runs at explicit times and reads with an explicit "now", so
 * nothing depends on the wall clock or on another test (every test starts from empty tables).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADAPTERS } from '#adapters/index.ts';
import { PROVIDERS, type ProviderId } from '#adapters/types.ts';
import { loadConfig, type Config } from '../../src/lib/server/config.ts';
import { rows } from '../../src/lib/server/db/index.ts';
import { getFreshness, getProviderHealth, staleAfterMs } from '../../src/lib/server/providers.ts';
import { storeSnapshot } from '../../src/lib/server/poll/snapshots.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';
import { DEFAULT_TRUST } from '../../src/lib/trust.ts';
import { recordedPayloads } from '../helpers/fake-providers.ts';

const MIN = 60_000;
const NOW = new Date('2026-10-01T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe('staleAfterMs', () => {
	// Written out by hand: 2 intervals × minutes × 60,000 ms.
	it('is two poll intervals, and two default (10-minute) intervals when polling is off', () => {
		expect(staleAfterMs({ pollIntervalMinutes: 10 })).toBe(1_200_000);
		expect(staleAfterMs({ pollIntervalMinutes: 60 })).toBe(7_200_000);
		expect(staleAfterMs({ pollIntervalMinutes: 1 })).toBe(120_000);
		expect(staleAfterMs({ pollIntervalMinutes: 0 })).toBe(1_200_000);
	});
});

describe.each(ENGINES)('freshness and provider state on %s', (engine) => {
	let database: TestDatabase;
	const cfg = (env: Record<string, string> = {}): Config =>
		loadConfig({ LAMBDA_API_KEY: 'secret_freshness', POLL_INTERVAL_MINUTES: '10', ...env });

	beforeAll(async () => {
		database = await createTestDatabase(engine);
	});
	afterAll(async () => {
		await database?.destroy();
	});
	beforeEach(async () => {
		await database.db.execute(
			sql`truncate snapshots, offers, price_aggregates, price_history, poll_runs restart identity cascade`
		);
	});

	/** A finished poll run at `at` (ok or failed), and for ok ones the snapshot it stored. */
	async function poll(provider: ProviderId, status: 'ok' | 'failed' | 'running', at: Date): Promise<void> {
		const [run] = await rows<{ id: number }>(
			database.db,
			sql`insert into poll_runs (cycle_id, provider, started_at, finished_at, status, error)
			    values (${'c-' + at.toISOString()}, ${provider}, ${at.toISOString()}::timestamptz,
			            ${status === 'running' ? null : at.toISOString()}::timestamptz, ${status},
			            ${status === 'failed' ? `[${provider}] answered HTTP 500` : null})
			    returning id::int as id`
		);
		if (status !== 'ok') return;
		const offers = ADAPTERS[provider].parse(recordedPayloads()[provider], at).offers;
		await storeSnapshot(database.db, provider, run!.id, at, offers, {
			settings: DEFAULT_TRUST,
			scope: PROVIDERS
		});
	}

	const health = async (provider: ProviderId, config = cfg(), now = NOW) =>
		(await getProviderHealth(database.db, config, now)).find((h) => h.provider === provider)!;
	const fresh = async (provider: ProviderId, config = cfg(), now = NOW) =>
		(await getFreshness(database.db, config, now)).find((f) => f.provider === provider)!;

	it('ok: a snapshot younger than two intervals, the last poll succeeded', async () => {
		await poll('vastai', 'ok', ago(5 * MIN));
		expect(await health('vastai')).toMatchObject({
			state: 'ok',
			stale: false,
			lastPollFailed: false,
			ageSeconds: 300,
			lastError: null
		});
	});

	it('stale by age alone: every poll succeeded, the newest is older than two intervals', async () => {
		await poll('vastai', 'ok', ago(21 * MIN));
		expect(await fresh('vastai')).toMatchObject({ stale: true, lastPollFailed: false, ageSeconds: 1260 });
		expect((await health('vastai')).state).toBe('stale');
	});

	it('failing, not stale, by failure alone: a young snapshot, then a failed poll', async () => {
		await poll('vastai', 'ok', ago(5 * MIN));
		await poll('vastai', 'failed', ago(1 * MIN));
		expect(await fresh('vastai')).toMatchObject({ stale: false, lastPollFailed: true, ageSeconds: 300 });
		const h = await health('vastai');
		expect(h.state).toBe('failing');
		expect(h.lastError).toEqual({ at: ago(1 * MIN).toISOString(), message: '[vastai] answered HTTP 500' });
	});

	it('stale and failing at once reads as stale', async () => {
		await poll('vastai', 'ok', ago(60 * MIN));
		await poll('vastai', 'failed', ago(1 * MIN));
		expect(await health('vastai')).toMatchObject({ state: 'stale', stale: true, lastPollFailed: true });
	});

	it('a later successful poll clears failing; a poll still running does not count', async () => {
		await poll('vastai', 'failed', ago(8 * MIN));
		await poll('vastai', 'ok', ago(6 * MIN));
		await poll('vastai', 'running', ago(1 * MIN));
		expect(await health('vastai')).toMatchObject({ state: 'ok', lastPollFailed: false });
		await poll('runpod', 'ok', ago(8 * MIN));
		await poll('runpod', 'failed', ago(6 * MIN));
		await poll('runpod', 'running', ago(1 * MIN));
		expect(await health('runpod')).toMatchObject({ state: 'failing', lastPollFailed: true });
	});

	it('the boundary: exactly two intervals old is fresh, one millisecond more is stale', async () => {
		const observed = ago(5 * MIN);
		await poll('vastai', 'ok', observed);
		const at = (ms: number) => new Date(observed.getTime() + ms);
		expect(await fresh('vastai', cfg(), at(20 * MIN))).toMatchObject({ stale: false, ageSeconds: 1200 });
		expect((await health('vastai', cfg(), at(20 * MIN))).state).toBe('ok');
		expect(await fresh('vastai', cfg(), at(20 * MIN + 1))).toMatchObject({ stale: true });
		expect((await health('vastai', cfg(), at(20 * MIN + 1))).state).toBe('stale');
	});

	it('follows POLL_INTERVAL_MINUTES: an hour-old snapshot is fresh with 60-minute polls', async () => {
		await poll('vastai', 'ok', ago(60 * MIN));
		expect(await fresh('vastai', cfg({ POLL_INTERVAL_MINUTES: '60' }))).toMatchObject({ stale: false });
		expect(await fresh('vastai', cfg({ POLL_INTERVAL_MINUTES: '29' }))).toMatchObject({ stale: true });
	});

	it('with polling off (POLL_INTERVAL_MINUTES=0) a snapshot goes stale after 20 minutes, not never or at once', async () => {
		const off = cfg({ POLL_INTERVAL_MINUTES: '0' });
		expect(off.pollIntervalMinutes).toBe(0);
		await poll('vastai', 'ok', ago(20 * MIN));
		expect(await fresh('vastai', off)).toMatchObject({ stale: false });
		expect(await fresh('vastai', off, new Date(NOW.getTime() + 1))).toMatchObject({ stale: true });
		expect((await health('vastai', off, new Date(NOW.getTime() + 1))).state).toBe('stale');
	});

	it('no-data: never polled; failing: polled, never succeeded', async () => {
		expect(await health('vastai')).toMatchObject({
			state: 'no-data',
			snapshotId: null,
			observedAt: null,
			ageSeconds: null,
			stale: false,
			lastPollFailed: false,
			lastRun: null
		});
		await poll('runpod', 'failed', ago(2 * MIN));
		expect(await health('runpod')).toMatchObject({
			state: 'failing',
			snapshotId: null,
			stale: false,
			lastPollFailed: true
		});
	});

	it('disabled: a provider left out of PROVIDERS — even with a fresh snapshot; Lambda without its key is not (its keyless catalog)', async () => {
		await poll('lambda', 'ok', ago(1 * MIN));
		await poll('runpod', 'ok', ago(1 * MIN));
		const noKey = await health('lambda', loadConfig({ POLL_INTERVAL_MINUTES: '10' }));
		expect(noKey).toMatchObject({ state: 'ok', enabled: true, disabledReason: null });
		const notListed = await health('runpod', cfg({ PROVIDERS: 'vastai,lambda' }));
		expect(notListed).toMatchObject({ state: 'disabled', enabled: false });
		expect(notListed.disabledReason).toMatch(/PROVIDERS/);
		expect(await health('lambda')).toMatchObject({ state: 'ok', enabled: true, disabledReason: null });
	});
});
