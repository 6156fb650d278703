/** `npm run migrate`: applies the migrations and exits, on PGlite and on a Postgres server. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, rows } from '../../src/lib/server/db/index.ts';
import { withDatabaseName } from '../helpers/db.ts';
import { spawnScript } from '../helpers/server.ts';

describe('npm run migrate', () => {
	const dirs: string[] = [];
	afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

	it('migrates an empty PGlite directory and exits', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'gpu-dash-migrate-'));
		dirs.push(dir);
		const run = spawnScript('scripts/migrate.ts', [], { DATA_DIR: dir });
		expect(await run.exited).toBe(0);
		expect(run.output()).toMatch(/\[migrate\] PGlite in .*: up to date/);
		const database = await openDatabase({ dataDir: dir, migrate: false });
		try {
			const [n] = await rows<{ n: number }>(
				database.db,
				sql`select count(*)::int as n from drizzle.__drizzle_migrations`
			);
			expect(n!.n).toBeGreaterThanOrEqual(3);
		} finally {
			await database.close();
		}
	});

	it.skipIf(!process.env.TEST_DATABASE_URL)('migrates a Postgres database', async () => {
		const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
		const name = `migrate_${Date.now().toString(36)}`;
		await admin.unsafe(`create database "${name}"`);
		try {
			const run = spawnScript('scripts/migrate.ts', [], {
				DATABASE_URL: withDatabaseName(process.env.TEST_DATABASE_URL!, name)
			});
			expect(await run.exited).toBe(0);
			const database = await openDatabase({
				url: withDatabaseName(process.env.TEST_DATABASE_URL!, name),
				migrate: false
			});
			try {
				const tables = await rows<{ n: number }>(
					database.db,
					sql`select count(*)::int as n from pg_tables where tablename in ('offers', 'price_history', 'alert_watches')`
				);
				expect(tables[0]!.n).toBe(3);
			} finally {
				await database.close();
			}
		} finally {
			await admin.unsafe(`drop database if exists "${name}" with (force)`);
			await admin.end();
		}
	});

	it('refuses a bad configuration naming the variable', async () => {
		const run = spawnScript('scripts/migrate.ts', [], { DATABASE_URL: 'mysql://nope' });
		expect(await run.exited).toBe(1);
		expect(run.output()).toContain('DATABASE_URL');
	});
});
