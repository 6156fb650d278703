/**
 * Test databases on both engines. PGlite always (one in-memory database per test file, loaded from a
 * migrated template the global setup built once: a fresh initdb costs 4–6 s); a real Postgres server
 * too when TEST_DATABASE_URL is set (a throwaway database per test file, dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type Database, type Engine } from '../../src/lib/server/db/index.ts';

export const ENGINES: Engine[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase extends Database {
	/** postgres engine: the URL of this throwaway database (for child processes) */
	url?: string;
	/** close and drop */
	destroy(): Promise<void>;
}

function withDatabaseName(url: string, name: string): string {
	const u = new URL(url);
	u.pathname = '/' + name;
	return u.toString();
}

export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
	if (engine === 'pglite') {
		const templatePath = inject('pgliteTemplate');
		const blob = new Blob([readFileSync(templatePath)]);
		const database = await openDatabase({ memory: true, loadDataDir: blob });
		return { ...database, destroy: () => database.close() };
	}
	const adminUrl = process.env.TEST_DATABASE_URL;
	if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
	const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`create database "${name}"`);
	} finally {
		await admin.end({ timeout: 2 });
	}
	const url = withDatabaseName(adminUrl, name);
	const database = await openDatabase({ url, poolMax: 4 });
	return {
		...database,
		url,
		async destroy() {
			await database.close();
			const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
			try {
				await a.unsafe(`drop database if exists "${name}" with (force)`);
			} finally {
				await a.end({ timeout: 2 });
			}
		}
	};
}

/** A fresh, migrated, empty Postgres database for a child process (postgres engine only). */
export { withDatabaseName };

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteTemplate: string;
	}
}
