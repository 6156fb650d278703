/**
 * Opens the database on one of two engines behind one drizzle code path:
 *  - DATABASE_URL=postgres://… → a real Postgres server through postgres.js;
 *  - otherwise PGlite (Postgres compiled to WASM, in-process) in DATA_DIR.
 * Migrations (drizzle-kit SQL in migrations/) are applied on open.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type { Sql } from 'postgres';
import { followDataVersion } from '../cache/data-version.ts';
import { acquireDataDirLock, type DataDirLock } from './lock.ts';
import { ensurePartitions } from './partitions.ts';
import * as schema from './schema.ts';
import type { Database, Db } from './types.ts';

export { schema };
export type { Database, Db, Engine } from './types.ts';
// The one reader of raw results on both engines (./read.ts); re-exported for the modules that open here.
export { isoFromMs, json, num, numOrNull, rows, textList } from './read.ts';

export interface OpenOptions {
	/** postgres:// URL; unset → PGlite */
	url?: string;
	/** PGlite: the app data directory (holds pgdata/ and the lock file) */
	dataDir?: string;
	/** PGlite: a tarball from `dumpDataDir` to start from (tests use a migrated template) */
	loadDataDir?: Blob;
	/** PGlite: in-memory database (tests) */
	memory?: boolean;
	poolMax?: number;
	/** default true */
	migrate?: boolean;
}

/** Finds migrations/ by walking up from this module (works from src/ and from the bundled build/). */
export function migrationsFolder(): string {
	const candidates: string[] = [];
	let dir = dirname(fileURLToPath(import.meta.url));
	for (let i = 0; i < 8; i++) {
		candidates.push(join(dir, 'migrations'));
		const parent = dirname(dir);
		if (parent === dir) break;
		dir = parent;
	}
	candidates.push(resolve('migrations'));
	const found = candidates.find((c) => existsSync(join(c, 'meta', '_journal.json')));
	if (!found) throw new Error(`[db] migrations folder not found (looked in ${candidates.join(', ')})`);
	return found;
}

const DAY_MS = 86_400_000;

/** Postgres statement_timeout of every connection (PGlite has no timer to enforce one). */
export const STATEMENT_TIMEOUT_MS = 60_000;
/** Postgres idle_in_transaction_session_timeout of every connection. */
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

/** Advisory lock keys (64-bit space; small fixed numbers are enough for one app). */
export const LOCK_KEYS = { migrate: 727_001, poll: 727_002, retention: 727_003, archive: 727_004 } as const;

export async function openDatabase(opts: OpenOptions): Promise<Database> {
	let listen: PGlite['listen'] | undefined;
	const database = opts.url
		? await openPostgres(opts.url, opts.poolMax ?? 10)
		: await openPglite(opts, (client) => (listen = client.listen.bind(client)));
	try {
		if (opts.migrate !== false) {
			await migrateDatabase(database);
			// PGlite: the data version is known from the bump's notifications (migration 0009), not read
			// per request (src/lib/server/cache/data-version.ts). Only once that migration is applied.
			if (listen) await followDataVersion(database.db, listen);
		}
		// Partitions around now (writers also ensure their own before inserting).
		const now = Date.now();
		await ensurePartitions(database.db, new Date(now - 31 * DAY_MS), new Date(now + 62 * DAY_MS), [
			'price_history'
		]);
		await ensurePartitions(database.db, new Date(now - DAY_MS), new Date(now + 2 * DAY_MS), [
			'price_aggregates'
		]);
	} catch (err) {
		await database.close().catch(() => {});
		throw err;
	}
	return database;
}

/**
 * Memory settings of PGlite on a data directory. Its Postgres runs in this process and WebAssembly memory
 * never shrinks, so whatever it touches once stays resident: Postgres's default 128 MB of shared buffers
 * and 64 MB of maintenance memory (the retention job's index builds) would take the server past 450 MB
 * (README "Performance"). The data files it no longer holds are read from the OS page cache.
 */
const PGLITE_MEMORY_SETTINGS = ['shared_buffers=32MB', 'maintenance_work_mem=16MB'];

async function openPglite(opts: OpenOptions, opened: (client: PGlite) => void): Promise<Database> {
	const { PGlite } = await import('@electric-sql/pglite');
	const { drizzle } = await import('drizzle-orm/pglite');
	let lock: DataDirLock | undefined;
	let client: PGlite;
	if (opts.memory || !opts.dataDir) {
		client = await PGlite.create({ loadDataDir: opts.loadDataDir });
	} else {
		const dataDir = resolve(opts.dataDir);
		lock = acquireDataDirLock(dataDir);
		try {
			client = await PGlite.create({
				dataDir: join(dataDir, 'pgdata'),
				loadDataDir: opts.loadDataDir,
				startParams: [...PGlite.defaultStartParams, ...PGLITE_MEMORY_SETTINGS.flatMap((c) => ['-c', c])]
			});
		} catch (err) {
			lock.release();
			throw err;
		}
	}
	const db = drizzle({ client, schema }) as unknown as Db;
	opened(client);
	let closed = false;
	const held = new Set<number>();
	return {
		engine: 'pglite',
		db,
		async tryWithLock(key, fn) {
			// One process owns a PGlite directory (file lock): only re-entry within it needs guarding.
			if (held.has(key)) return { acquired: false };
			held.add(key);
			try {
				return { acquired: true, value: await fn() };
			} finally {
				held.delete(key);
			}
		},
		async close() {
			if (closed) return;
			closed = true;
			try {
				await client.close();
			} finally {
				lock?.release();
			}
		}
	};
}

async function openPostgres(url: string, poolMax: number): Promise<Database> {
	const { default: postgres } = await import('postgres');
	const { drizzle } = await import('drizzle-orm/postgres-js');
	const client: Sql = postgres(url, {
		max: poolMax,
		onnotice: () => {},
		// A stopped server must not hang requests: fail fast, the caller answers 503 and retries later.
		connect_timeout: 10,
		idle_timeout: 60,
		connection: {
			application_name: 'gpu-rental-dashboard',
			// No statement may run unbounded (a request stuck on a lock, a runaway query): the longest
			// legitimate ones (a snapshot of a full vast.ai market, an hour's rollup, the archive import)
			// take seconds. A transaction left open by a vanished client must not hold its locks.
			statement_timeout: STATEMENT_TIMEOUT_MS,
			idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS
		}
	});
	/**
	 * Advisory locks are session-level, so they live on one dedicated connection, kept open (no idle or
	 * lifetime limit: closing it would drop the locks under a running job). Not a reserved connection of
	 * the pool: postgres.js 3.4 writes a query for a reserved connection the server has closed (outage)
	 * to its null socket from a timer, an uncaught TypeError that kills the process. This client simply
	 * reconnects; a lock held by a session that died with the outage is gone with it, as it should be.
	 */
	const locks: Sql = postgres(url, {
		max: 1,
		onnotice: () => {},
		connect_timeout: 10,
		idle_timeout: 0,
		max_lifetime: null,
		connection: { application_name: 'gpu-rental-dashboard (locks)', statement_timeout: STATEMENT_TIMEOUT_MS }
	});
	const db = drizzle({ client, schema }) as unknown as Db;
	let closed = false;
	/** keys held by this instance: session locks are re-entrant, one session serves every job here */
	const held = new Set<number>();
	return {
		engine: 'postgres',
		db,
		async tryWithLock(key, fn) {
			if (held.has(key)) return { acquired: false };
			held.add(key);
			try {
				const [row] = await locks<{ ok: boolean }[]>`select pg_try_advisory_lock(${key}) as ok`;
				if (!row?.ok) return { acquired: false };
				try {
					return { acquired: true, value: await fn() };
				} finally {
					await locks`select pg_advisory_unlock(${key})`.catch(() => {});
				}
			} finally {
				held.delete(key);
			}
		},
		async close() {
			if (closed) return;
			closed = true;
			await Promise.all([client.end({ timeout: 3 }), locks.end({ timeout: 3 })]);
		}
	};
}

async function migrateDatabase(database: Database): Promise<void> {
	const folder = migrationsFolder();
	if (database.engine === 'pglite') {
		const { migrate } = await import('drizzle-orm/pglite/migrator');
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		await migrate(database.db as any, { migrationsFolder: folder });
		return;
	}
	const { migrate } = await import('drizzle-orm/postgres-js/migrator');
	// Several instances may start at once: serialize migrations on an advisory lock (blocking).
	for (;;) {
		const res = await database.tryWithLock(LOCK_KEYS.migrate, async () => {
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			await migrate(database.db as any, { migrationsFolder: folder });
		});
		if (res.acquired) return;
		await new Promise((r) => setTimeout(r, 250));
	}
}
