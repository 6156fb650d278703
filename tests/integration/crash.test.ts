/**
 * SIGKILL in the middle of writing a snapshot leaves the database consistent, on both engines, for
 * both writers (`npm run poll` and the server's own poll): after the kill the previous snapshot is still
 * current, no part of the half-written one is visible (no snapshot row, no offer, aggregate or history
 * point of it), the killed run is left "running" (it never finished), the server starts again on the
 * same database — on PGlite the killed process's lock file is stale and taken over — and the next poll
 * stores a new snapshot normally and records the killed runs as interrupted (on Postgres once they are
 * older than any live poll can be).
 *
 * Making the kill land inside the write:
 *  - Postgres: this test holds a SHARE lock on `offers`, so the writer's transaction (snapshot row
 *    inserted) blocks at its offers insert; pg_stat_activity shows it waiting there; then SIGKILL.
 *  - PGlite (in-process, nothing to watch from outside): a vast.ai answer of 30,000 offers (60,000 with
 *    spot) makes the write take a while; the writer logs "storing N offers" just before its
 *    transaction, and the kill follows that line at once. The test then times a complete write of the
 *    same answer and checks the kill came well inside it.
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
import { INTERRUPTED_RUN_ERROR, pollOnce } from '../../src/lib/server/poller.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';
import { startFakeProviders, type FakeProviders } from '../helpers/fake-providers.ts';
import { freePort, spawnScript, startServer, type SpawnResult } from '../helpers/server.ts';

/** vast.ai offers in the big answer (each also has a spot price: twice as many normalized offers). */
const BIG_OFFERS = 30_000;
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

/** Spawns a writer and SIGKILLs it the moment `trigger` says so (checked on every chunk of output). */
function spawnAndKill(
	script: string,
	args: string[],
	env: Record<string, string>,
	shouldKill: (output: string) => boolean
): SpawnResult & { killedAt: Promise<{ output: string; at: number }> } {
	const child = spawnScript(script, args, env);
	let done = false;
	const killedAt = new Promise<{ output: string; at: number }>((ok, fail) => {
		const check = () => {
			if (done) return;
			if (shouldKill(child.output())) {
				done = true;
				child.proc.kill('SIGKILL');
				ok({ output: child.output(), at: performance.now() });
			}
		};
		child.proc.stdout!.on('data', check);
		child.proc.stderr!.on('data', check);
		child.proc.on('exit', () => {
			if (!done) fail(new Error(`the writer ended before the kill:\n${child.output()}`));
		});
	});
	return { ...child, killedAt };
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
	 * Runs a writer until it is inside the snapshot transaction, kills it, and returns the killed run's
	 * id and how long after the "storing" line the kill came (PGlite).
	 */
	async function killInsideWrite(
		script: string,
		extraEnv: Record<string, string>
	): Promise<{ runId: number; delayMs: number }> {
		if (engine === 'postgres') {
			const lock = await admin!.reserve();
			try {
				await lock`begin`;
				await lock`lock table offers in share mode`;
				let stuck: number | undefined;
				const writer = spawnScript(script, [], { ...env(), ...extraEnv });
				for (let i = 0; i < 600 && stuck === undefined; i++) {
					const [row] = await admin!<{ pid: number }[]>`
						select pid from pg_stat_activity
						where datname = current_database() and application_name = 'gpu-rental-dashboard'
						  and wait_event_type = 'Lock' and query ilike '%insert into offers%'`;
					if (row) stuck = row.pid;
					else await new Promise((r) => setTimeout(r, 100));
				}
				expect(stuck, writer.output()).toBeDefined();
				// the writer is blocked inside its transaction: any output now triggers the kill
				writer.proc.kill('SIGKILL');
				await writer.exited;
				const runId = Number(STORING.exec(writer.output())?.[2]);
				expect(runId, writer.output()).toBeGreaterThan(0);
				await lock`rollback`;
				// the orphaned backend finishes its insert, finds its client gone and rolls back
				for (let i = 0; i < 100; i++) {
					const [gone] = await admin!<
						{ n: number }[]
					>`select count(*)::int as n from pg_stat_activity where pid = ${stuck!}`;
					if (gone!.n === 0) break;
					await new Promise((r) => setTimeout(r, 100));
				}
				return { runId, delayMs: 0 };
			} finally {
				lock.release();
			}
		}
		let storingAt = 0;
		const writer = spawnAndKill(script, [], { ...env(), ...extraEnv }, (out) => {
			if (!STORING.test(out)) return false;
			storingAt = performance.now();
			return true;
		});
		const { output, at } = await writer.killedAt;
		await writer.exited;
		// the dead writer's lock file is left behind: the next opener must see it is stale and take it over
		const lock = JSON.parse(readFileSync(join(dataDir!, LOCK_FILE), 'utf8')) as { pid: number };
		expect(lock.pid).toBe(writer.proc.pid);
		return { runId: Number(STORING.exec(output)![2]), delayMs: at - storingAt };
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

	let killDelays: number[] = [];
	const killedRuns: number[] = [];

	it(
		'npm run poll killed inside the write: the previous snapshot stays current',
		{ timeout: 180_000 },
		async () => {
			const { runId, delayMs } = await killInsideWrite('scripts/poll.ts', {});
			killDelays.push(delayMs);
			killedRuns.push(runId);
			await expectPreviousIntact(runId);
			await expectServerShowsPrevious();
		}
	);

	it(
		'the server killed inside its poll’s write: the same, and it starts again on that database',
		{ timeout: 180_000 },
		async () => {
			const port = String(await freePort());
			const { runId, delayMs } = await killInsideWrite('scripts/start.ts', {
				PORT: port,
				HOST: '127.0.0.1',
				POLL_INTERVAL_MINUTES: '60'
			});
			killDelays.push(delayMs);
			killedRuns.push(runId);
			await expectPreviousIntact(runId);
			await expectServerShowsPrevious();
		}
	);

	it(
		'the next poll stores the new snapshot whole; on PGlite such a write outlasts the kills’ delay many times',
		{ timeout: 180_000 },
		async () => {
			expect(killedRuns).toHaveLength(2);
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
			let storingAt = 0;
			const run = spawnScript('scripts/poll.ts', [], env());
			run.proc.stdout!.on('data', () => {
				if (!storingAt && STORING.test(run.output())) storingAt = performance.now();
			});
			const code = await run.exited;
			const writeMs = performance.now() - storingAt;
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
				expect(state.runs.filter((r) => r.status === 'running')).toHaveLength(engine === 'pglite' ? 0 : 1);
			} finally {
				await database.close();
			}
			if (engine === 'pglite') {
				// The kills came a tiny fraction of such a write after its start (the kill landed inside it).
				for (const d of killDelays) expect(d).toBeLessThan(writeMs / 2);
			}
			killDelays = [];
		}
	);
});
