/**
 * Values kept per data version for the estimator: GET and POST /api/estimate answers by their normalised
 * settings (the parsed request, so `?gpu=rtx-4090&method=qlora` and its reordering or a JSON body with the
 * same fields share one entry), and the /estimate page's price data, which is the same for every visit.
 * Like kept answers (answers.ts), an entry older than a minute is rebuilt: offer ages are part of it.
 */
import type { Db } from '../db/index.ts';
import { ANSWER_MAX_AGE_MS } from './answers.ts';
import { readDataVersion } from './data-version.ts';
import { VersionedLru } from './versioned-lru.ts';

/** Distinct estimates kept (least recently used out first); an answer is a few KB. */
export const ESTIMATES_KEPT = 500;

const estimates = new VersionedLru<unknown>({ maxEntries: ESTIMATES_KEPT, maxAgeMs: ANSWER_MAX_AGE_MS });
const pageData = new VersionedLru<unknown>({ maxEntries: 8, maxAgeMs: ANSWER_MAX_AGE_MS });

/** The estimate answer of `settings` at the current data version: kept, or computed once now. */
export async function cachedEstimate<T>(db: Db, settings: unknown, compute: () => Promise<T>): Promise<T> {
	const version = await readDataVersion(db);
	return estimates.get(version, JSON.stringify(settings), compute) as Promise<T>;
}

/** Data read the same way for every visit of a page (`key`), at the current data version. */
export async function cachedPageData<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
	const version = await readDataVersion(db);
	return pageData.get(version, key, compute) as Promise<T>;
}
