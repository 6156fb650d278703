/** Views of the current snapshots kept per snapshot version (the compare table, its filter choices). */
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/index.ts';
import type { ProviderScope } from './current.ts';
import { currentSnapshotIds } from '../poll/snapshots.ts';

/**
 * The version of "now" for a scope: the current snapshot id of each provider. Any snapshot stored by
 * any instance changes it, so views derived from the current snapshots can be kept per version and are
 * exact: the compare table and its filter choices change only when a poll stores a snapshot, while
 * they are read on every visit (three index lookups instead of the aggregation; npm run bench).
 */
async function snapshotVersion(db: Db, scope: ProviderScope): Promise<string> {
	const [r] = await rows<{ v: string | null }>(
		db,
		sql`select string_agg(coalesce(c.id::text, '-'), ',') as v from (${currentSnapshotIds(scope)}) as c(id)`
	);
	return `${scope.join(',')}:${r?.v ?? ''}`;
}

/** Views of the current snapshots, per database handle, for the version they were computed at. */
const views = new WeakMap<Db, { version: string; entries: Map<string, Promise<unknown>> }>();
/** Distinct filter combinations kept per version (most recent first out when full). */
const MAX_VIEWS = 64;

export async function perSnapshotVersion<T>(
	db: Db,
	scope: ProviderScope,
	key: string,
	compute: () => Promise<T>
): Promise<T> {
	const version = await snapshotVersion(db, scope);
	let cache = views.get(db);
	if (!cache || cache.version !== version) views.set(db, (cache = { version, entries: new Map() }));
	let hit = cache.entries.get(key) as Promise<T> | undefined;
	if (!hit) {
		hit = compute();
		cache.entries.set(key, hit);
		if (cache.entries.size > MAX_VIEWS) cache.entries.delete(cache.entries.keys().next().value!);
		// A failed computation is not kept.
		const entries = cache.entries;
		hit.catch(() => entries.delete(key));
	}
	return hit;
}
