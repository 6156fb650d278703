/**
 * Provider health and freshness: is each provider enabled (or why not), its current snapshot and its
 * age, whether that snapshot is stale (older than two poll intervals), the last poll and the last error.
 */
import { sql } from 'drizzle-orm';
import { ADAPTERS, disabledReason } from '#adapters/index.ts';
import { PROVIDERS, type OfferSource, type ProviderId } from '#adapters/types.ts';
import type { Config } from './config.ts';
import { json, numOrNull, rows, type Db } from './db/index.ts';
import { currentSnapshotIds } from './poll/snapshots.ts';

/** When polling is off (POLL_INTERVAL_MINUTES=0) a snapshot still goes stale after 2 × the default 10. */
const DEFAULT_INTERVAL_MINUTES = 10;

/**
 * How far back "last error" looks: bounds the index range read when a provider rarely fails (a year of
 * 10-minute polls is 52,560 runs per provider).
 */
const LAST_ERROR_WINDOW_MS = 30 * 24 * 3600_000;

/** Issue 3: the previous snapshot "is marked stale once it is older than two intervals". */
export function staleAfterMs(config: Pick<Config, 'pollIntervalMinutes'>): number {
	return 2 * (config.pollIntervalMinutes || DEFAULT_INTERVAL_MINUTES) * 60_000;
}

/** The providers that are polled with this configuration (and whose offers are shown). */
export function enabledProviders(config: Config): ProviderId[] {
	const settings = {
		enabledProviders: config.providers,
		lambdaApiKey: config.lambdaApiKey,
		runpodApiKey: config.runpodApiKey
	};
	return PROVIDERS.filter((p) => disabledReason(p, settings) === null);
}

/** A timestamptz column as an ISO 8601 string, identical on both engines. */
export function isoOf(column: string) {
	return sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
}

export interface Freshness {
	provider: ProviderId;
	label: string;
	snapshotId: number | null;
	observedAt: string | null;
	ageSeconds: number | null;
	stale: boolean;
	/** the newest finished poll of this provider failed */
	lastPollFailed: boolean;
	/** where the current snapshot's prices came from; null without a snapshot */
	source: OfferSource | null;
	/** said wherever these prices are shown: SkyPilot's catalog knows list prices, not stock */
	sourceNote: string | null;
}

/** Lambda without a key (issue 12): the words every page and provider health use. */
export const SKYPILOT_CATALOG_NOTE =
	"list prices from SkyPilot's public catalog, stock unknown — set LAMBDA_API_KEY for live availability";

export interface ProviderRun {
	status: string;
	startedAt: string;
	finishedAt: string | null;
	durationMs: number | null;
	error: string | null;
	offersSeen: number;
	offersStored: number;
	skipped: number;
	skippedReasons: Record<string, number>;
	unmapped: Record<string, number>;
	rejectedPrices: number;
}

export interface ProviderHealth extends Freshness {
	enabled: boolean;
	disabledReason: string | null;
	/** ok | stale | failing | no-data | disabled */
	state: 'ok' | 'stale' | 'failing' | 'no-data' | 'disabled';
	offers: number;
	availableOffers: number;
	/** the current snapshot's offers a non-informational trust flag caught (src/lib/trust.ts) */
	untrustedOffers: number;
	/** the current snapshot's trust flag → how many offers it caught */
	flagCounts: Record<string, number>;
	lastRun: ProviderRun | null;
	/** the run that produced the current snapshot: its skipped and unmapped counts */
	snapshotRun: ProviderRun | null;
	lastError: { at: string; message: string } | null;
}

type RunRow = {
	provider: string;
	status: string;
	started_at: string;
	finished_at: string | null;
	duration_ms: number | null;
	error: string | null;
	offers_seen: number;
	offers_stored: number;
	skipped: number;
	skipped_reasons: Record<string, number> | string;
	unmapped: Record<string, number> | string;
	rejected_prices: number;
};

const RUN_COLUMNS = sql.raw(`r.status, ${isoRaw('r.started_at')} as started_at,
	${isoRaw('r.finished_at')} as finished_at, r.duration_ms, r.error, r.offers_seen, r.offers_stored,
	r.skipped, r.skipped_reasons, r.unmapped, r.rejected_prices`);

function isoRaw(column: string): string {
	return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

function toRun(r: RunRow | undefined): ProviderRun | null {
	if (!r || !r.status) return null;
	return {
		status: r.status,
		startedAt: r.started_at,
		finishedAt: r.finished_at,
		durationMs: numOrNull(r.duration_ms),
		error: r.error,
		offersSeen: Number(r.offers_seen),
		offersStored: Number(r.offers_stored),
		skipped: Number(r.skipped),
		skippedReasons: json(r.skipped_reasons) ?? {},
		unmapped: json(r.unmapped) ?? {},
		rejectedPrices: Number(r.rejected_prices)
	};
}

/** Every provider's health, read with indexed lookups (a year of polls stays fast). */
export async function getProviderHealth(db: Db, config: Config, now = new Date()): Promise<ProviderHealth[]> {
	const ids = sql.param([...PROVIDERS]);
	// The current snapshot of each provider: its newest snapshot row, one index probe each (the same
	// lookup the offers, the compare page and retention use — src/lib/server/poll/snapshots.ts currentSnapshotIds).
	const snaps = await rows<{
		provider: string;
		id: number | null;
		observed_at: string | null;
		offer_count: number | null;
		available_count: number | null;
		poll_run_id: number | null;
		flag_counts: Record<string, number> | string | null;
		untrusted_count: number | null;
		source: OfferSource;
	}>(
		db,
		sql`select s.provider, s.id, ${isoOf('s.observed_at')} as observed_at, s.offer_count, s.available_count,
		           s.poll_run_id, s.flag_counts, s.untrusted_count, s.source
		    from snapshots s where s.id in (${currentSnapshotIds(PROVIDERS)})`
	);
	const lastRuns = await rows<RunRow>(
		db,
		sql`select p.provider, ${RUN_COLUMNS}
		    from unnest(${ids}::text[]) as p(provider)
		    left join lateral (
		      select * from poll_runs where provider = p.provider and status <> 'running'
		      order by started_at desc limit 1
		    ) r on true`
	);
	const lastFailures = await rows<{ provider: string; at: string | null; error: string | null }>(
		db,
		sql`select p.provider, f.at, f.error
		    from unnest(${ids}::text[]) as p(provider)
		    left join lateral (
		      select ${isoOf('coalesce(finished_at, started_at)')} as at, error from poll_runs
		      where provider = p.provider and status = 'failed'
		        and started_at > ${new Date(now.getTime() - LAST_ERROR_WINDOW_MS).toISOString()}::timestamptz
		      order by started_at desc limit 1
		    ) f on true`
	);
	const runIds = snaps.map((s) => s.poll_run_id).filter((id): id is number => id !== null);
	const snapshotRuns = runIds.length
		? await rows<RunRow>(
				db,
				sql`select r.provider, ${RUN_COLUMNS} from poll_runs r
				    where r.id = any(${sql.param(runIds.map(Number))}::bigint[])`
			)
		: [];
	const settings = {
		enabledProviders: config.providers,
		lambdaApiKey: config.lambdaApiKey,
		runpodApiKey: config.runpodApiKey
	};
	const staleMs = staleAfterMs(config);
	return PROVIDERS.map((provider) => {
		const s = snaps.find((x) => x.provider === provider);
		const lastRun = toRun(lastRuns.find((x) => x.provider === provider));
		const failure = lastFailures.find((x) => x.provider === provider);
		const snapshotRun = toRun(snapshotRuns.find((x) => x.provider === provider));
		const reason = disabledReason(provider, settings);
		const observedAt = s?.observed_at ?? null;
		const ageMs = observedAt ? Math.max(0, now.getTime() - Date.parse(observedAt)) : null;
		const stale = ageMs !== null && ageMs > staleMs;
		const lastPollFailed = lastRun?.status === 'failed';
		const state: ProviderHealth['state'] = reason
			? 'disabled'
			: !observedAt
				? lastPollFailed
					? 'failing'
					: 'no-data'
				: stale
					? 'stale'
					: lastPollFailed
						? 'failing'
						: 'ok';
		return {
			provider,
			label: ADAPTERS[provider].label,
			enabled: reason === null,
			disabledReason: reason,
			state,
			snapshotId: s?.id == null ? null : Number(s.id),
			observedAt,
			ageSeconds: ageMs === null ? null : Math.round(ageMs / 1000),
			stale,
			lastPollFailed,
			source: s?.source ?? null,
			sourceNote: s?.source === 'skypilot-catalog' ? SKYPILOT_CATALOG_NOTE : null,
			offers: Number(s?.offer_count ?? 0),
			availableOffers: Number(s?.available_count ?? 0),
			untrustedOffers: Number(s?.untrusted_count ?? 0),
			flagCounts: s?.flag_counts ? json(s.flag_counts) : {},
			lastRun,
			snapshotRun,
			lastError: failure?.at ? { at: failure.at, message: failure.error ?? 'unknown error' } : null
		};
	});
}

/** The freshness part only (pages and the offers API). */
export async function getFreshness(db: Db, config: Config, now = new Date()): Promise<Freshness[]> {
	const health = await getProviderHealth(db, config, now);
	return health.map((h) => ({
		provider: h.provider,
		label: h.label,
		snapshotId: h.snapshotId,
		observedAt: h.observedAt,
		ageSeconds: h.ageSeconds,
		stale: h.stale,
		lastPollFailed: h.lastPollFailed,
		source: h.source,
		sourceNote: h.sourceNote
	}));
}

/**
 * One provider as every page that shows a current price passes it to ProviderFreshness: the age of its
 * snapshot, whether it is stale, and where its prices come from (Lambda's keyless list prices: stock
 * unknown), so the pages say it the same way.
 */
export function freshnessRow(h: ProviderHealth) {
	return {
		provider: h.provider,
		label: h.label,
		enabled: h.enabled,
		disabledReason: h.disabledReason,
		observedAt: h.observedAt,
		stale: h.stale,
		lastPollFailed: h.lastPollFailed,
		sourceNote: h.sourceNote
	};
}

/** The freshness of every provider, for the pages that show a current price without provider health. */
export async function getPageFreshness(db: Db, config: Config, now = new Date()) {
	const health = await getProviderHealth(db, config, now);
	return { now: now.toISOString(), providers: health.map(freshnessRow) };
}
