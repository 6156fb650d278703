/**
 * /trends is computed once per poll cycle (after the cycle's rollup: history-jobs.ts) and stored, one row
 * per provider scope; every visit reads the stored row. A row is recomputed on a visit only when there is
 * none yet (a new database, another PROVIDERS) or an archive import came after it (`npm run import` while
 * the server runs: the import writes day points without a poll cycle).
 */
import { sql } from 'drizzle-orm';
import type { ProviderScope } from '../offers/current.ts';
import { json, num, rows, type Db } from '../db/index.ts';
import { loadTrends, type Trends } from '../trends.ts';

function scopeKey(scope: ProviderScope): string {
	return [...scope].sort().join(',');
}

/**
 * Computes the trends of `scope` and stores them. An unchanged result is not written again, so the data
 * version (and every kept answer) moves only when the trends did.
 */
export async function storeTrends(db: Db, scope: ProviderScope): Promise<Trends> {
	const [imports] = await rows<{ n: number | string }>(db, sql`select count(*) as n from archive_imports`);
	const trends = await loadTrends(db, scope);
	await db.execute(sql`
		insert into stored_trends (scope, trends, archive_imports, computed_at)
		values (${scopeKey(scope)}, ${JSON.stringify(trends)}::jsonb, ${num(imports?.n ?? 0)}, now())
		on conflict (scope) do update
		  set trends = excluded.trends, archive_imports = excluded.archive_imports, computed_at = now()
		  where stored_trends.trends is distinct from excluded.trends
		     or stored_trends.archive_imports is distinct from excluded.archive_imports`);
	return trends;
}

/** The stored trends of `scope`, computed and stored first when missing or older than an archive import. */
export async function readTrends(db: Db, scope: ProviderScope): Promise<Trends> {
	const [row] = await rows<{ trends: Trends | string; current: boolean }>(
		db,
		sql`select trends, archive_imports = (select count(*) from archive_imports) as current
		    from stored_trends where scope = ${scopeKey(scope)}`
	);
	if (!row || !row.current) return storeTrends(db, scope);
	return json<Trends>(row.trends);
}
