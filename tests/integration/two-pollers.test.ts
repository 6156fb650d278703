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
		// Slot arithmetic, not the wall-clock minute: a day-long interval (the longest allowed) makes two
		// slots rare (a start across UTC midnight), and the assertions below hold either way — exactly one
		// cycle and one claimed row per slot the start spanned.
		const intervalMs = 1440 * 60_000;
		const firstSlot = Math.floor(Date.now() / intervalMs);
		const env = {
			DATABASE_URL: database.url!,
			POLL_INTERVAL_MINUTES: '1440',
			LAMBDA_API_KEY: 'secret_two_pollers',
			...fake.env()
		};
		servers.push(...(await Promise.all([startServer(env), startServer(env)])));
		// Wait until a cycle has finished (one row per provider), then a little longer for a second cycle
		// that must not come.
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
			sql`select slot::float8 as slot, instance from poll_slots order by slot`
		);
		const lastSlot = Math.floor(Date.now() / intervalMs);
		// Every slot between the start and now was claimed once (1 slot, or 2 across UTC midnight) ...
		expect(slots.map((s) => s.slot)).toEqual(
			Array.from({ length: lastSlot - firstSlot + 1 }, (_, i) => firstSlot + i)
		);
		// ... and ran exactly one cycle.
		const expectedSlots = slots.length;
		expect(cycles).toHaveLength(expectedSlots);
		for (const c of cycles) expect(c.n).toBe(3);
		// Each provider was asked once per cycle (vast.ai's answer fits one page).
		expect(fake.hits('vastai')).toBe(expectedSlots);
		expect(fake.hits('runpod')).toBe(expectedSlots);
		expect(fake.hits('lambda')).toBe(expectedSlots);
		// Both instances are up and serve the one snapshot.
		for (const s of servers) expect((await fetch(s.url + '/api/providers')).status).toBe(200);
	});
});
