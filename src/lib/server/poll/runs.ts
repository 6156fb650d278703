/**
 * The poll_runs record of each provider's poll: started, finished, or interrupted by a process that
 * died; and the error text fit for it (no key, no URL query).
 */
import { sql } from 'drizzle-orm';
import { redactSecrets, stripUrlQueries } from '#adapters/errors.ts';
import type { ProviderId } from '#adapters/types.ts';
import type { Config } from '../config.ts';
import { rows, type Database, type Db } from '../db/index.ts';
import type { ProviderPollResult } from './types.ts';

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

/** A short message: drizzle wraps database errors in "Failed query: <the whole SQL>"; keep the cause. */
export function describeError(err: unknown): string {
	if (!(err instanceof Error)) return String(err);
	if (err.message.startsWith('Failed query:') && err.cause instanceof Error) {
		return `database error: ${err.cause.message}`;
	}
	return err.message;
}

/** The poll runs this process has started and not yet finished, per database handle. */
const liveRuns = new WeakMap<Database, Set<number>>();
export function liveRunsOf(database: Database): Set<number> {
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

export async function insertRun(
	db: Db,
	cycleId: string,
	provider: ProviderId,
	startedAt: Date
): Promise<number> {
	const [row] = await rows<{ id: number | string }>(
		db,
		sql`insert into poll_runs (cycle_id, provider, started_at, status)
		    values (${cycleId}, ${provider}, ${startedAt.toISOString()}::timestamptz, 'running') returning id`
	);
	return Number(row!.id);
}

export async function finishRun(
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
