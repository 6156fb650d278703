/**
 * The poller: one cycle asks every enabled provider concurrently and stores each answer as that
 * provider's new snapshot (./snapshots.ts, one transaction). A failure, a changed shape or an answer with
 * no usable offer is an outage: the previous snapshot stays (and goes stale with age), and the poll_runs
 * row says what happened. One provider never affects another.
 *
 * Public API (other modules hook in here):
 *  - pollOnce(target, config, options?) → CycleResult        one cycle, per-provider results
 *  - onSnapshotStored(fn) / onCycleComplete(fn) → unsubscribe listeners run after each stored snapshot /
 *    (./events.ts)                                            after each cycle (history rollups, alerts)
 *  - pollerHook (./scheduler.ts)                             the in-process scheduler, a StartHook
 */
import { randomUUID } from 'node:crypto';
import { ADAPTERS, apiKeyFor, disabledReason, pollingAdapter } from '#adapters/index.ts';
import { PayloadShapeError, ProviderError } from '#adapters/errors.ts';
import { createHttpClient } from '#adapters/http.ts';
import type { ParseResult, ProviderId } from '#adapters/types.ts';
import type { App } from '../app.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/index.ts';
import { enabledProviders } from '../providers.ts';
import { storeSnapshot } from './snapshots.ts';
import { notifyCycleComplete, notifySnapshotStored } from './events.ts';
import {
	closeInterruptedRuns,
	configSecrets,
	describeError,
	finishRun,
	insertRun,
	liveRunsOf,
	safeErrorMessage
} from './runs.ts';
import type { CycleResult, PollOptions, ProviderPollResult } from './types.ts';

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
	await notifyCycleComplete({ database, config, cycle });
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
		// Fetched and parsed in a function of its own: the decoded answer (tens of MB from vast.ai) is
		// garbage once parsed, not held while the offers are stored.
		const fetched = await (async () => {
			const { payload, requests, notes } = await adapter.fetch({
				baseUrl: baseUrl!,
				fallbackUrls,
				apiKey: apiKeyFor(id, settings),
				http
			});
			result.requests = requests;
			result.notes = notes;
			const observedAt = now();
			try {
				return { parsed: adapter.parse(payload, observedAt), observedAt };
			} catch (err) {
				if (err instanceof PayloadShapeError) {
					throw new ProviderError(id, 'shape', `the answer changed shape: ${err.message}`);
				}
				throw err;
			}
		})();
		parsed = fetched.parsed;
		const observedAt = fetched.observedAt;
		result.offersSeen = parsed.itemsSeen;
		result.skippedReasons = { ...parsed.skippedReasons };
		for (const note of result.notes) result.skippedReasons[note] = (result.skippedReasons[note] ?? 0) + 1;
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
		await notifySnapshotStored({
			database,
			config,
			provider: id,
			snapshotId: result.snapshotId,
			pollRunId,
			observedAt: new Date(result.observedAt!),
			offersStored: result.offersStored
		});
	}
	return result;
}
