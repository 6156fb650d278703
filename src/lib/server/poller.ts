/**
 * The poller: one cycle asks every enabled provider concurrently and stores each answer as that
 * provider's new snapshot (snapshots.ts, one transaction). A failure, a changed shape or an answer with
 * no usable offer is an outage: the previous snapshot stays (and goes stale with age), and the poll_runs
 * row says what happened. One provider never affects another.
 *
 * Public API (kept stable; other modules hook in here):
 *  - pollOnce(target, config, options?) → CycleResult        one cycle, per-provider results
 *  - onSnapshotStored(fn) / onCycleComplete(fn) → unsubscribe listeners run after each stored snapshot /
 *                                                             after each cycle (history rollups, alerts)
 *  - pollerHook                                              the in-process scheduler, a StartHook
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import { ADAPTERS, apiKeyFor, disabledReason, pollingAdapter } from '#adapters/index.ts';
import { PayloadShapeError, ProviderError, redactSecrets, stripUrlQueries } from '#adapters/errors.ts';
import { createHttpClient, type HttpPolicy } from '#adapters/http.ts';
import type { OfferSource, ParseResult, ProviderId } from '#adapters/types.ts';
import type { App, StartHook } from './app.ts';
import type { Config } from './config.ts';
import { isDatabaseUnavailable } from './db/errors.ts';
import { LOCK_KEYS, rows, type Database, type Db } from './db/index.ts';
import { enabledProviders } from './providers.ts';
import { storeSnapshot } from './snapshots.ts';

export type ProviderPollStatus = 'ok' | 'failed' | 'disabled';

export interface ProviderPollResult {
	provider: ProviderId;
	status: ProviderPollStatus;
	/** why it was not polled (status disabled), e.g. "switched off (not in PROVIDERS)" */
	disabledReason?: string;
	/** what went wrong (status failed); never contains an API key */
	error?: string;
	errorKind?: string;
	pollRunId?: number;
	snapshotId?: number;
	observedAt?: string;
	startedAt: string;
	durationMs: number;
	requests: number;
	/** items in the answer */
	offersSeen: number;
	offersStored: number;
	availableStored: number;
	/** where the prices came from (Lambda without a key: `skypilot-catalog`, stock unknown) */
	source?: OfferSource;
	skipped: number;
	skippedReasons: Record<string, number>;
	unmapped: Record<string, number>;
	rejectedPrices: number;
	notes: string[];
}

export interface CycleResult {
	cycleId: string;
	startedAt: string;
	finishedAt: string;
	results: ProviderPollResult[];
	/** every enabled provider succeeded */
	ok: boolean;
}

export interface PollOptions {
	/** poll only these (default: every provider; disabled ones are reported as such) */
	providers?: ProviderId[];
	/** HTTP policy overrides (tests shrink the backoff; the timeout defaults to PROVIDER_TIMEOUT_MS) */
	http?: Partial<HttpPolicy>;
	/** the clock (tests store snapshots "in the past") */
	now?: () => Date;
	/** stops in-flight requests (server shutdown) */
	signal?: AbortSignal;
	cycleId?: string;
	/** progress lines (e.g. "vastai: storing 9,000 offers"); default: none */
	log?: (line: string) => void;
}

export interface SnapshotStoredEvent {
	database: Database;
	config: Config;
	provider: ProviderId;
	snapshotId: number;
	pollRunId: number | undefined;
	observedAt: Date;
	offersStored: number;
}

export interface CycleCompleteEvent {
	database: Database;
	config: Config;
	cycle: CycleResult;
}

export type SnapshotListener = (event: SnapshotStoredEvent) => void | Promise<void>;
export type CycleListener = (event: CycleCompleteEvent) => void | Promise<void>;

const snapshotListeners: SnapshotListener[] = [];
const cycleListeners: CycleListener[] = [];

/** Runs `fn` after each provider snapshot is committed. Returns an unsubscribe function. */
export function onSnapshotStored(fn: SnapshotListener): () => void {
	snapshotListeners.push(fn);
	return () => remove(snapshotListeners, fn);
}

/** Runs `fn` after each cycle (all providers done, successful or not). Returns an unsubscribe function. */
export function onCycleComplete(fn: CycleListener): () => void {
	cycleListeners.push(fn);
	return () => remove(cycleListeners, fn);
}

function remove<T>(list: T[], item: T): void {
	const i = list.indexOf(item);
	if (i >= 0) list.splice(i, 1);
}

/** Listeners run one after another; a listener's error is logged and never fails the poll. */
async function notify<E>(list: ((e: E) => void | Promise<void>)[], event: E, what: string): Promise<void> {
	for (const fn of [...list]) {
		try {
			await fn(event);
		} catch (err) {
			console.error(`[poll] ${what} listener failed:`, err);
		}
	}
}

const MAX_ERROR_LENGTH = 1000;

/** The API keys of this configuration: never in a message, a log line or a poll record. */
export function configSecrets(config: Pick<Config, 'lambdaApiKey' | 'runpodApiKey'>): string[] {
	return [config.lambdaApiKey, config.runpodApiKey].filter((k): k is string => Boolean(k));
}

/** An error message fit for the poll record, logs and pages: no key, no URL query, no control characters. */
export function safeErrorMessage(message: string, secrets: readonly string[]): string {
	return (
		redactSecrets(stripUrlQueries(message), secrets)
			// eslint-disable-next-line no-control-regex
			.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
			.slice(0, MAX_ERROR_LENGTH)
	);
}

/** One poll cycle over the providers, concurrently. Never throws for a provider's failure. */
export async function pollOnce(
	target: Database | Pick<App, 'database'>,
	config: Config,
	options: PollOptions = {}
): Promise<CycleResult> {
	const database = 'database' in target ? target.database : target;
	const now = options.now ?? (() => new Date());
	const cycleId = options.cycleId ?? randomUUID();
	const startedAt = now();
	const ids = options.providers ?? (Object.keys(ADAPTERS) as ProviderId[]);
	await closeInterruptedRuns(database).catch(() => {
		// Bookkeeping only: a database that cannot take this update fails the cycle's own writes below.
	});
	const results = await Promise.all(
		ids.map((id) => pollProvider(database, config, id, cycleId, options, now))
	);
	const cycle: CycleResult = {
		cycleId,
		startedAt: startedAt.toISOString(),
		finishedAt: now().toISOString(),
		results,
		ok: results.every((r) => r.status !== 'failed')
	};
	await notify(cycleListeners, { database, config, cycle }, 'cycle');
	return cycle;
}

async function pollProvider(
	database: Database,
	config: Config,
	id: ProviderId,
	cycleId: string,
	options: PollOptions,
	now: () => Date
): Promise<ProviderPollResult> {
	const settings = {
		enabledProviders: config.providers,
		lambdaApiKey: config.lambdaApiKey,
		runpodApiKey: config.runpodApiKey
	};
	// Lambda without a key: SkyPilot's public catalog (adapters/lambda-catalog.ts) instead of the API.
	const adapter = pollingAdapter(id, settings);
	const source = adapter.source ?? 'api';
	const [baseUrl, ...fallbackUrls] =
		source === 'skypilot-catalog' ? config.lambdaCatalogUrls : [config.apiUrls[id]];
	const started = now();
	const t0 = performance.now();
	const result: ProviderPollResult = {
		provider: id,
		status: 'failed',
		startedAt: started.toISOString(),
		durationMs: 0,
		requests: 0,
		offersSeen: 0,
		offersStored: 0,
		availableStored: 0,
		skipped: 0,
		skippedReasons: {},
		unmapped: {},
		rejectedPrices: 0,
		notes: []
	};
	const off = disabledReason(id, settings);
	if (off) {
		result.status = 'disabled';
		result.disabledReason = off;
		return result;
	}
	const db = database.db;
	const secrets = configSecrets(config);
	let pollRunId: number | undefined;
	try {
		pollRunId = await insertRun(db, cycleId, id, started);
		result.pollRunId = pollRunId;
		liveRunsOf(database).add(pollRunId);
	} catch (err) {
		// Without a database there is nothing to record into; report and move on.
		result.error = safeErrorMessage(`[${id}] could not record the poll: ${describeError(err)}`, secrets);
		result.errorKind = 'database';
		result.durationMs = Math.round(performance.now() - t0);
		return result;
	}
	let parsed: ParseResult | undefined;
	try {
		const http = createHttpClient(id, {
			timeoutMs: config.providerTimeoutMs,
			...options.http,
			signal: options.signal ?? options.http?.signal,
			secrets
		});
		const fetched = await adapter.fetch({
			baseUrl: baseUrl!,
			fallbackUrls,
			apiKey: apiKeyFor(id, settings),
			http
		});
		result.requests = fetched.requests;
		result.notes = fetched.notes;
		const observedAt = now();
		try {
			parsed = adapter.parse(fetched.payload, observedAt);
		} catch (err) {
			if (err instanceof PayloadShapeError) {
				throw new ProviderError(id, 'shape', `the answer changed shape: ${err.message}`);
			}
			throw err;
		}
		result.offersSeen = parsed.itemsSeen;
		result.skippedReasons = { ...parsed.skippedReasons };
		for (const note of fetched.notes) result.skippedReasons[note] = (result.skippedReasons[note] ?? 0) + 1;
		result.skipped = Object.values(parsed.skippedReasons).reduce((a, b) => a + b, 0);
		result.unmapped = parsed.unmapped;
		result.rejectedPrices = parsed.rejectedPrices;
		if (parsed.offers.length === 0) {
			throw new ProviderError(
				id,
				'empty',
				`the answer held no usable offer (${parsed.itemsSeen} items, ${result.skipped} skipped, ` +
					`${Object.keys(parsed.unmapped).length} unmapped names, ${parsed.rejectedPrices} rejected prices)`
			);
		}
		options.log?.(`[poll] ${id}: storing ${parsed.offers.length} offers (poll run ${pollRunId})`);
		const stored = await storeSnapshot(
			db,
			id,
			pollRunId,
			observedAt,
			parsed.offers,
			{ settings: config.trust, scope: enabledProviders(config) },
			source
		);
		result.status = 'ok';
		result.snapshotId = stored.snapshotId;
		result.observedAt = observedAt.toISOString();
		result.offersStored = stored.offers;
		result.availableStored = stored.available;
		result.source = source;
	} catch (err) {
		result.status = 'failed';
		result.errorKind = err instanceof ProviderError ? err.kind : 'internal';
		if (err instanceof ProviderError && result.requests === 0) result.requests = err.attempts;
		const message = describeError(err);
		result.error = safeErrorMessage(message.startsWith(`[${id}]`) ? message : `[${id}] ${message}`, secrets);
	}
	result.durationMs = Math.round(performance.now() - t0);
	try {
		await finishRun(db, pollRunId, result, now());
	} catch (err) {
		console.error(`[poll] could not record the end of the ${id} poll:`, err);
	} finally {
		if (pollRunId !== undefined) liveRunsOf(database).delete(pollRunId);
	}
	if (result.status === 'ok' && result.snapshotId !== undefined) {
		await notify(
			snapshotListeners,
			{
				database,
				config,
				provider: id,
				snapshotId: result.snapshotId,
				pollRunId,
				observedAt: new Date(result.observedAt!),
				offersStored: result.offersStored
			},
			'snapshot'
		);
	}
	return result;
}

/** A short message: drizzle wraps database errors in "Failed query: <the whole SQL>"; keep the cause. */
function describeError(err: unknown): string {
	if (!(err instanceof Error)) return String(err);
	if (err.message.startsWith('Failed query:') && err.cause instanceof Error) {
		return `database error: ${err.cause.message}`;
	}
	return err.message;
}

/** The poll runs this process has started and not yet finished, per database handle. */
const liveRuns = new WeakMap<Database, Set<number>>();
function liveRunsOf(database: Database): Set<number> {
	let set = liveRuns.get(database);
	if (!set) liveRuns.set(database, (set = new Set()));
	return set;
}

/**
 * A run still "running" on Postgres this long after it started belongs to a process that died: a cycle is
 * bounded to minutes (request timeouts, at most 3 attempts and 30 s of backoff per request, a statement
 * timeout on every write).
 */
export const INTERRUPTED_RUN_AFTER_MS = 60 * 60_000;
export const INTERRUPTED_RUN_ERROR =
	'interrupted: the process stopped before this poll was recorded as finished (a snapshot is stored whole or not at all)';

/**
 * Records as failed the poll runs left "running" by a process that was killed (crash test): on PGlite the
 * data directory belongs to this process alone, so every such run not started here is one; on Postgres,
 * where other instances poll too, those older than INTERRUPTED_RUN_AFTER_MS (by the server's clock).
 */
export async function closeInterruptedRuns(database: Database): Promise<number> {
	const live = sql.param([...liveRunsOf(database)].map(String));
	const stale =
		database.engine === 'pglite'
			? sql``
			: sql` and started_at < now() - ${`${INTERRUPTED_RUN_AFTER_MS / 1000} seconds`}::interval`;
	const closed = await rows<{ id: number }>(
		database.db,
		sql`update poll_runs set status = 'failed', error = ${INTERRUPTED_RUN_ERROR}
		    where status = 'running' and not (id = any(${live}::bigint[]))${stale}
		    returning id`
	);
	return closed.length;
}

async function insertRun(db: Db, cycleId: string, provider: ProviderId, startedAt: Date): Promise<number> {
	const [row] = await rows<{ id: number | string }>(
		db,
		sql`insert into poll_runs (cycle_id, provider, started_at, status)
		    values (${cycleId}, ${provider}, ${startedAt.toISOString()}::timestamptz, 'running') returning id`
	);
	return Number(row!.id);
}

async function finishRun(
	db: Db,
	id: number | undefined,
	r: ProviderPollResult,
	finishedAt: Date
): Promise<void> {
	if (id === undefined) return;
	await db.execute(sql`
		update poll_runs set
		  finished_at = ${finishedAt.toISOString()}::timestamptz,
		  status = ${r.status},
		  error = ${r.error ?? null},
		  offers_seen = ${r.offersSeen},
		  offers_stored = ${r.offersStored},
		  skipped = ${r.skipped},
		  skipped_reasons = ${JSON.stringify(r.skippedReasons)}::jsonb,
		  unmapped = ${JSON.stringify(r.unmapped)}::jsonb,
		  rejected_prices = ${r.rejectedPrices},
		  duration_ms = ${r.durationMs},
		  snapshot_id = ${r.snapshotId ?? null}
		where id = ${id}`);
}

// ---------------------------------------------------------------------------------------------------
// The in-process scheduler
// ---------------------------------------------------------------------------------------------------

/**
 * Claims the poll slot (interval number since the epoch) for this instance. The instance whose insert
 * lands runs that interval's cycle: several app instances sharing one database poll once per interval.
 */
export async function claimPollSlot(db: Db, slot: number, instance: string): Promise<boolean> {
	const claimed = await rows<{ slot: number | string }>(
		db,
		sql`insert into poll_slots (slot, instance) values (${slot}, ${instance})
		    on conflict (slot) do nothing returning slot`
	);
	if (claimed.length > 0) {
		// Slots only matter around now; keep the table small.
		await db.execute(sql`delete from poll_slots where slot < ${slot - 1000}`);
	}
	return claimed.length > 0;
}

export interface SchedulerOptions extends Pick<PollOptions, 'http'> {
	/** logs (default console.log) */
	log?: (line: string) => void;
	/** a cycle that could not run (default console.error); `err` only for unexpected errors */
	logError?: (line: string, err?: unknown) => void;
	/**
	 * The clock that picks the interval slot and the next tick, in ms since the epoch (default Date.now).
	 * Tests pin it so "two instances in one interval" does not depend on the wall-clock minute.
	 */
	now?: () => number;
}

/** One line per provider for logs and the CLI. */
export function summarizeResult(r: ProviderPollResult): string {
	if (r.status === 'disabled') return `${r.provider}: disabled (${r.disabledReason})`;
	const unmapped = Object.keys(r.unmapped).length;
	const tail = `${r.skipped} skipped, ${unmapped} unmapped names, ${r.rejectedPrices} rejected prices, ${(r.durationMs / 1000).toFixed(1)} s`;
	if (r.status === 'ok') return `${r.provider}: ok, ${r.offersStored} offers stored (${tail})`;
	return `${r.provider}: FAILED — ${r.error} (${tail})`;
}

/**
 * The scheduler as a StartHook: every POLL_INTERVAL_MINUTES (0 disables), cycles never overlap; on
 * Postgres the advisory lock and the poll_slots row make exactly one instance poll per interval. The
 * first cycle runs right after start unless another instance already polled this interval.
 */
export function createPollerHook(options: SchedulerOptions = {}): StartHook {
	return async (app) => {
		const minutes = app.config.pollIntervalMinutes;
		if (minutes === 0) return;
		const intervalMs = minutes * 60_000;
		const log = options.log ?? ((line: string) => console.log(line));
		const logError =
			options.logError ??
			((line: string, err?: unknown) => (err === undefined ? console.error(line) : console.error(line, err)));
		const clock = options.now ?? Date.now;
		const instance = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
		const controller = new AbortController();
		let timer: ReturnType<typeof setTimeout> | undefined;
		let running: Promise<void> | undefined;
		let stopped = false;

		const tick = async () => {
			if (stopped || running) return;
			running = (async () => {
				const slot = Math.floor(clock() / intervalMs);
				const res = await app.database.tryWithLock(LOCK_KEYS.poll, async () => {
					if (!(await claimPollSlot(app.database.db, slot, instance))) return null;
					return pollOnce(app.database, app.config, {
						http: options.http,
						signal: controller.signal,
						log
					});
				});
				if (!res.acquired || res.value === null) return;
				for (const r of res.value.results) log(`[poll] ${summarizeResult(r)}`);
			})()
				.catch((err) => {
					if (stopped) return;
					if (isDatabaseUnavailable(err)) {
						// An outage, not a bug: no stack trace; the next interval tries again.
						const why = safeErrorMessage(describeError(err), configSecrets(app.config));
						logError(
							`[poll] cycle failed: the database is unavailable (${why}); retrying at the next interval`
						);
					} else logError('[poll] cycle failed:', err);
				})
				.finally(() => {
					running = undefined;
				});
			await running;
		};

		const schedule = (delayMs: number) => {
			if (stopped) return;
			timer = setTimeout(() => {
				void tick().then(() => {
					const now = clock();
					// Aim at the start of the next interval, so all instances compete for the same slot.
					schedule((Math.floor(now / intervalMs) + 1) * intervalMs - now + 50);
				});
			}, delayMs);
			timer.unref?.();
		};
		schedule(0);

		return async () => {
			stopped = true;
			if (timer) clearTimeout(timer);
			controller.abort(new Error('server stopping'));
			await running;
		};
	};
}

/** The scheduler with default options, for hooks.server.ts. */
export const pollerHook: StartHook = createPollerHook();
