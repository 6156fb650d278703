/**
 * SIGKILL in the middle of writing a snapshot leaves the database consistent, on both engines, for
 * both writers (`npm run poll` and the server's own poll): after the kill the previous snapshot is still
 * current, no part of the half-written one is visible (no snapshot row, no offer, aggregate or history
 * point of it), the killed run is left "running" (it never finished), the server starts again on the
 * same database — on PGlite the killed process's lock file is stale and taken over — and the next poll
 * stores a new snapshot normally and records the killed runs as interrupted (on Postgres once they are
 * older than any live poll can be).
 *
 * Making the kill land inside the write, the same way on both engines: the writer runs with the
 * test-only HOLD_SNAPSHOT_WRITE_FOR_TEST=1 (src/lib/server/poll/snapshots.ts), so its snapshot transaction
 * stops after the snapshot row and the offers are inserted and prints a marker; the kill follows the
 * marker. On Postgres the test also sees it from outside before the kill: the writer's backend is "idle
 * in transaction" holding a transaction id (it has written). On PGlite the killed process's own data
 * directory holds the uncommitted write, which opening it again must discard.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/lib/server/config.ts';
import { openDatabase, rows, type Database } from '../../src/lib/server/db/index.ts';
import { LOCK_FILE } from '../../src/lib/server/db/lock.ts';
import { INTERRUPTED_RUN_ERROR } from '../../src/lib/server/poll/runs.ts';
import { pollOnce } from '../../src/lib/server/poll/poller.ts';
import { HOLD_SNAPSHOT_WRITE_ENV, SNAPSHOT_WRITE_HELD } from '../../src/lib/server/poll/snapshots.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';
import { startFakeProviders, type FakeProviders } from '../helpers/fake-providers.ts';
import { freePort, spawnScript, startServer } from '../helpers/server.ts';

/** vast.ai offers in the big answer (each also has a spot price: twice as many normalized offers). */
// The hold (HOLD_SNAPSHOT_WRITE_FOR_TEST) puts the kill inside the write whatever its size; the answer
// only has to be a real multi-thousand-offer write past the fake's 5,000-offer page emulation.
const BIG_OFFERS = 6_000;
const STORING = /\[poll\] vastai: storing (\d+) offers \(poll run (\d+)\)/;

/**
 * One answer of BIG_OFFERS offers without `dph_total` (the price is in `search.totalHour`, as in the
 * CLI's raw output): the adapter cannot page on price, so it takes this one answer (adapters/vastai.ts).
 * Sent raw, past the fake's 5,000-offer page emulation.
 */
function bigVastAnswer(): string {
	const names = ['RTX 4090', 'RTX 3090', 'A100 SXM4', 'H100 SXM', 'L40S', 'RTX A6000', 'A40', 'RTX 6000Ada'];
	const vram = [24564, 24576, 81920, 81559, 46068, 49140, 46068, 49140];
	const places = ['Texas, US', 'Quebec, CA', 'Bavaria, DE', 'Guangxi, CN', 'Tokyo, JP', 'Ontario, CA'];
	const offers = Array.from({ length: BIG_OFFERS }, (_, i) => {
		const g = i % names.length;
		return {
			id: 10_000_000 + i,
			gpu_name: names[g],
			num_gpus: 1 + (i % 4),
			gpu_ram: vram[g],
			search: { totalHour: 0.2 + (i % 997) / 100 },
			min_bid: 0.1 + (i % 991) / 200,
			rentable: true,
			rented: false,
			hosting_type: i % 2,
			geolocation: places[i % places.length],
			reliability2: 0.99,
			verification: 'verified',
			cpu_cores: 32,
			cpu_cores_effective: 8,
			cpu_ram: 128_000,
			disk_space: 500,
			inet_down: 900,
			inet_up: 800,
			machine_id: 5000 + (i % 700)
		};
	});
	return JSON.stringify({ offers });
}

interface Snapshot {
	id: number;
	offerCount: number;
}

/** The database's view of vast.ai: its current snapshot, and checks that nothing half-written exists. */
async function inspect(db: Database['db']) {
	const snaps = await rows<{ id: number; offer_count: number; poll_run_id: number | null }>(
		db,
		sql`select id, offer_count, poll_run_id from snapshots where provider = 'vastai' order by id`
	);
	const current = await rows<{ snapshot_id: number; n: number }>(
		db,
		sql`select snapshot_id, count(*)::int as n from offers where provider = 'vastai' group by snapshot_id`
	);
	const orphanAggregates = await rows<{ n: number }>(
		db,
		sql`select count(*)::int as n from price_aggregates a where not exists (select 1 from snapshots s where s.id = a.snapshot_id)`
	);
	// every live poll point belongs to a stored snapshot's observation time
	const strayPoints = await rows<{ n: number }>(
		db,
		sql`select count(*)::int as n from price_history h
		    where h.resolution = 'poll' and h.provider = 'vastai'
		      and not exists (select 1 from snapshots s where s.provider = 'vastai' and s.observed_at = h.t)`
	);
	const runs = await rows<{ id: number; status: string }>(
		db,
		sql`select id, status from poll_runs where provider = 'vastai' order by id`
	);
	return {
		snapshots: snaps.map((s) => ({
			id: Number(s.id),
			offerCount: Number(s.offer_count),
			pollRunId: s.poll_run_id === null ? null : Number(s.poll_run_id)
		})),
		current: current.map((c) => ({ snapshotId: Number(c.snapshot_id), offers: Number(c.n) })),
		orphanAggregates: Number(orphanAggregates[0]!.n),
		strayPoints: Number(strayPoints[0]!.n),
		runs: runs.map((r) => ({ id: Number(r.id), status: r.status }))
	};
}

describe.each(ENGINES)('SIGKILL while a snapshot is written, on %s', (engine) => {
	let fake: FakeProviders;
	let big: string;
	let dataDir: string | undefined;
	let pg: TestDatabase | undefined;
	let dbEnv: Record<string, string>;
	let previous: Snapshot;
	/** Postgres: the connection holding the lock that stops the writer inside its transaction */
	let admin: postgres.Sql | undefined;

	const open = () =>
		engine === 'postgres' ? openDatabase({ url: pg!.url!, poolMax: 2 }) : openDatabase({ dataDir: dataDir! });
	const env = () => ({
		...dbEnv,
		...fake.env(),
		PROVIDERS: 'vastai',
		ARCHIVE_IMPORT: '0',
		PROVIDER_TIMEOUT_MS: '60000'
	});

	beforeAll(async () => {
		big = bigVastAnswer();
		fake = await startFakeProviders();
		let database: Database;
		if (engine === 'postgres') {
			pg = await createTestDatabase('postgres');
			database = pg;
			dbEnv = { DATABASE_URL: pg.url! };
			admin = postgres(pg.url!, { max: 2, onnotice: () => {} });
		} else {
			dataDir = mkdtempSync(join(tmpdir(), 'gpu-dash-crash-'));
			database = await openDatabase({
				dataDir,
				loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))])
			});
			dbEnv = { DATA_DIR: dataDir };
		}
		// The previous snapshot: the recorded vast.ai answer (one RTX 4090 offer, on-demand and spot).
		const cycle = await pollOnce(database, loadConfig({ ...fake.env(), PROVIDERS: 'vastai' }), {
			http: { minIntervalMs: 0 }
		});
		expect(cycle.ok).toBe(true);
		const state = await inspect(database.db);
		previous = state.snapshots.at(-1)!;
		expect(state.current).toEqual([{ snapshotId: previous.id, offers: previous.offerCount }]);
		if (engine === 'pglite') await database.close();
		fake.set('vastai', { raw: big, headers: { 'content-type': 'application/json' } });
	}, 180_000);

	afterAll(async () => {
		await admin?.end({ timeout: 2 });
		await fake?.close();
		if (pg) await pg.destroy();
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	});

	/**
	 * Runs a writer until it is held inside its snapshot transaction (after the offers insert), kills it
	 * there, and returns the killed run's id.
	 */
	async function killInsideWrite(script: string, extraEnv: Record<string, string>): Promise<number> {
		const writer = spawnScript(script, [], { ...env(), ...extraEnv, [HOLD_SNAPSHOT_WRITE_ENV]: '1' });
		try {
			// no cap of its own: a loaded machine parses and inserts slowly; the test's timeout bounds it
			while (!writer.output().includes(SNAPSHOT_WRITE_HELD)) {
				if (writer.proc.exitCode !== null || writer.proc.signalCode !== null) break;
				await new Promise((r) => setTimeout(r, 50));
			}
			expect(writer.output(), 'the writer reached the held point').toContain(SNAPSHOT_WRITE_HELD);
			const runId = Number(STORING.exec(writer.output())?.[2]);
			expect(runId, writer.output()).toBeGreaterThan(0);
			let backend: number | undefined;
			if (engine === 'postgres') {
				// Seen from outside: the writer's connection is inside a transaction that has written.
				const inside = await admin!<{ pid: number }[]>`
					select pid from pg_stat_activity
					where datname = current_database() and application_name = 'gpu-rental-dashboard'
					  and state = 'idle in transaction' and backend_xid is not null`;
				expect(inside, 'one backend holds the open write').toHaveLength(1);
				backend = inside[0]!.pid;
			}
			writer.proc.kill('SIGKILL');
			await writer.exited;
			if (backend !== undefined) {
				// the orphaned backend finds its client gone and rolls back
				for (let i = 0; i < 100; i++) {
					const [left] = await admin!<
						{ n: number }[]
					>`select count(*)::int as n from pg_stat_activity where pid = ${backend}`;
					if (left!.n === 0) break;
					await new Promise((r) => setTimeout(r, 100));
				}
			} else {
				// the dead writer's lock file is left behind: the next opener must see it is stale and take it over
				const lock = JSON.parse(readFileSync(join(dataDir!, LOCK_FILE), 'utf8')) as { pid: number };
				expect(lock.pid).toBe(writer.proc.pid);
			}
			return runId;
		} finally {
			if (writer.proc.exitCode === null && writer.proc.signalCode === null) writer.proc.kill('SIGKILL');
		}
	}

	async function expectPreviousIntact(runId: number): Promise<void> {
		// PGlite: opening takes over the dead process's lock file and recovers the data directory
		const database = await open();
		try {
			const state = await inspect(database.db);
			expect(state.current, 'the previous snapshot is current').toEqual([
				{ snapshotId: previous.id, offers: previous.offerCount }
			]);
			expect(
				state.snapshots.map((s) => s.id),
				'no snapshot row of the killed write'
			).toEqual(state.snapshots.filter((s) => s.pollRunId !== runId).map((s) => s.id));
			expect(state.snapshots.at(-1)!.id).toBe(previous.id);
			expect(state.orphanAggregates).toBe(0);
			expect(state.strayPoints).toBe(0);
			expect(state.runs.find((r) => r.id === runId)?.status, 'the killed run never finished').toBe('running');
		} finally {
			await database.close();
		}
	}

	async function expectServerShowsPrevious(): Promise<void> {
		const server = await startServer({ ...env(), POLL_INTERVAL_MINUTES: '0' });
		try {
			const body = (await (await fetch(`${server.url}/api/offers`)).json()) as {
				total: number;
				offers: { gpuName: string }[];
			};
			expect(body.total).toBe(previous.offerCount);
			expect(body.offers.every((o) => o.gpuName === 'RTX 4090')).toBe(true);
			const providers = (await (await fetch(`${server.url}/api/providers`)).json()) as {
				providers: { provider: string; snapshotId: number | null; offers: number }[];
			};
			expect(providers.providers.find((p) => p.provider === 'vastai')).toMatchObject({
				snapshotId: previous.id,
				offers: previous.offerCount
			});
			expect((await fetch(`${server.url}/gpus/rtx-4090`)).status).toBe(200);
		} finally {
			expect(await server.stop('SIGTERM')).toBe(0);
		}
	}

	it(
		'npm run poll killed inside the write: the previous snapshot stays current',
		{ timeout: 300_000 },
		async () => {
			const runId = await killInsideWrite('scripts/poll.ts', {});
			await expectPreviousIntact(runId);
			await expectServerShowsPrevious();
		}
	);

	it(
		'the server killed inside its poll’s write: the same, and it starts again on that database',
		{ timeout: 300_000 },
		async () => {
			const port = String(await freePort());
			const runId = await killInsideWrite('scripts/start.ts', {
				PORT: port,
				HOST: '127.0.0.1',
				POLL_INTERVAL_MINUTES: '60'
			});
			await expectPreviousIntact(runId);
			await expectServerShowsPrevious();
		}
	);

	it(
		'the next poll stores the new snapshot whole and records the killed runs as interrupted',
		{ timeout: 600_000 },
		async () => {
			// Its own killed runs (no reliance on the tests above): one aged past any live poll, one fresh.
			const killedRuns = [await killInsideWrite('scripts/poll.ts', {})];
			if (engine === 'postgres') {
				// Other instances may be polling right now: only runs older than any live poll are closed.
				const before = await open();
				try {
					await before.db.execute(
						sql`update poll_runs set started_at = started_at - interval '2 hours'
						    where id = ${killedRuns[0]!}`
					);
				} finally {
					await before.close();
				}
			}
			killedRuns.push(await killInsideWrite('scripts/poll.ts', {}));
			const run = spawnScript('scripts/poll.ts', [], env());
			const code = await run.exited;
			expect(code, run.output()).toBe(0);
			const database = await open();
			try {
				const state = await inspect(database.db);
				const newest = state.snapshots.at(-1)!;
				expect(newest.id).toBeGreaterThan(previous.id);
				expect(newest.offerCount).toBe(2 * BIG_OFFERS);
				expect(state.current).toEqual([{ snapshotId: newest.id, offers: 2 * BIG_OFFERS }]);
				expect(state.orphanAggregates).toBe(0);
				expect(state.strayPoints).toBe(0);
				const killed = await rows<{ id: number; status: string; error: string | null }>(
					database.db,
					sql`select id::int as id, status, error from poll_runs
					    where id = any(${sql.param(killedRuns.map(String))}::bigint[]) order by id`
				);
				const interrupted = { status: 'failed', error: INTERRUPTED_RUN_ERROR };
				expect(killed.map(({ status, error }) => ({ status, error }))).toEqual(
					engine === 'pglite'
						? [interrupted, interrupted]
						: // the aged run is closed; the other, minutes old, might still be polling elsewhere
							[interrupted, { status: 'running', error: null }]
				);
				if (engine === 'pglite') expect(state.runs.filter((r) => r.status === 'running')).toEqual([]);
			} finally {
				await database.close();
			}
		}
	);
});
