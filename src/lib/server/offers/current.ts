/**
 * The one reader of "current offers": the offers of the newest snapshot of each provider in scope. Every
 * page, API and job that reads offers goes through `currentOffers` (the compare page reads the same
 * snapshots' aggregates through `currentSnapshotIds`), so they all agree on what "now" is.
 *
 * The provider scope is required: a provider switched off (PROVIDERS) or missing its key keeps its last
 * snapshot in the database, and that snapshot must price nothing anywhere. A price (cheapest, estimate
 * cost, alert) is taken from trusted offers only (src/lib/trust.ts): pass `{ trusted: true }`.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { ProviderId } from '#adapters/types.ts';
import { currentSnapshotIds } from '../poll/snapshots.ts';

/** The providers whose offers count: the enabled ones (providers.ts enabledProviders). */
export type ProviderScope = readonly ProviderId[];

export interface CurrentOffersOptions {
	/** true: trusted offers only (every price); false: untrusted only; absent: every offer (listings) */
	trusted?: boolean;
}

/** A subquery of the current offers (all columns of `offers`), to select from: `from ${currentOffers(…)} o`. */
export function currentOffers(scope: ProviderScope, opts: CurrentOffersOptions = {}): SQL {
	const trust = opts.trusted === undefined ? sql`` : sql` and trusted = ${opts.trusted}`;
	return sql`(select * from offers where snapshot_id in (${currentSnapshotIds(scope)})${trust})`;
}
