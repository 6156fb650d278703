/**
 * Several app instances share one Postgres database; exactly one of them polls per interval (advisory
 * lock + the interval's poll_slots row). Two real server processes start at the same moment against a
 * real Postgres server and the loopback fake providers: one poll cycle runs, not two.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/lib/server/db/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startFakeProviders, type FakeProviders } from '../helpers/fake-providers.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

describe.skipIf(!process.env.TEST_DATABASE_URL)('two app instances on one Postgres database', () => {
	let database: TestDatabase;
	let fake: FakeProviders;
	const servers: RunningServer[] = [];

	beforeAll(async () => {
		database = await createTestDatabase('postgres');
		fake = await startFakeProviders();
	});
	afterAll(async () => {
		await Promise.all(servers.map((s) => s.stop('SIGTERM')));
		await fake?.close();
		await database?.destroy();
	});

	it('polls once per interval whichever instance wins', async () => {
		// Both must start inside one 1-minute interval: wait for a fresh minute if this one is nearly over.
		const left = 60_000 - (Date.now() % 60_000);
		if (left < 25_000) await new Promise((r) => setTimeout(r, left + 500));
		const slot = Math.floor(Date.now() / 60_000);
		const env = {
			DATABASE_URL: database.url!,
			POLL_INTERVAL_MINUTES: '1',
			LAMBDA_API_KEY: 'secret_two_pollers',
			...fake.env()
		};
		servers.push(...(await Promise.all([startServer(env), startServer(env)])));
		// Wait until a cycle has finished (one provider row per provider), then a little longer for a
		// second cycle that must not come.
		for (let i = 0; i < 100; i++) {
			const done = await rows<{ n: number }>(
				database.db,
				sql`select count(*)::int as n from poll_runs where finished_at is not null`
			);
			if (done[0]!.n >= 3) break;
			await new Promise((r) => setTimeout(r, 100));
		}
		await new Promise((r) => setTimeout(r, 2000));
		const cycles = await rows<{ cycle_id: string; n: number }>(
			database.db,
			sql`select cycle_id, count(*)::int as n from poll_runs group by cycle_id`
		);
		const slots = await rows<{ slot: number; instance: string }>(
			database.db,
			sql`select slot::float8 as slot, instance from poll_slots`
		);
		expect(Math.floor(Date.now() / 60_000)).toBe(slot); // still the same interval: the test is sound
		expect(cycles).toHaveLength(1);
		expect(cycles[0]!.n).toBe(3);
		expect(slots).toEqual([{ slot, instance: expect.any(String) }]);
		// Each provider was asked once (vast.ai's answer fits one page).
		expect(fake.hits('vastai')).toBe(1);
		expect(fake.hits('runpod')).toBe(1);
		expect(fake.hits('lambda')).toBe(1);
		// Both instances are up and serve the one snapshot.
		for (const s of servers) expect((await fetch(s.url + '/api/providers')).status).toBe(200);
	});
});
