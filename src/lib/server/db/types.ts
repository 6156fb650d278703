/** The database handle's types, apart from index.ts so that partitions.ts and read.ts need not import it. */
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Engine = 'pglite' | 'postgres';

export interface Database {
	engine: Engine;
	db: Db;
	/**
	 * Runs fn while holding a session-level advisory lock; returns acquired:false at once when another
	 * session (another app instance) holds it.
	 */
	tryWithLock<T>(
		key: number,
		fn: () => Promise<T>
	): Promise<{ acquired: true; value: T } | { acquired: false }>;
	close(): Promise<void>;
}
