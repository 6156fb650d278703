/**
 * Background work of the history and alerts features, plugged into the app as StartHooks and into
 * the poller (after each cycle).
 */
import type { App, StartHook } from './app.ts';
import { evaluateAlerts, type EvaluateResult } from './alerts/evaluate.ts';
import { storeTrends } from './cache/stored-trends.ts';
import { runHistoryMaintenance } from './history/retention.ts';
import { onCycleComplete } from './poll/events.ts';
import { enabledProviders } from './providers.ts';

/**
 * After every poll cycle: roll the new poll points up into hour/day points (and hourly, retention),
 * then evaluate the alert watches against the offers the poll just stored.
 */
export async function afterPollCycle(
	app: Pick<App, 'database' | 'config'>,
	now: Date = new Date()
): Promise<{ alerts: EvaluateResult }> {
	await runHistoryMaintenance(app.database, now);
	// /trends once per cycle, from the day points the rollup just wrote (issue 15)
	await storeTrends(app.database.db, enabledProviders(app.config));
	const alerts = await evaluateAlerts(app.database.db, now, {
		allowPrivate: app.config.alertAllowPrivate,
		scope: enabledProviders(app.config)
	});
	return { alerts };
}

/**
 * Subscribes afterPollCycle to the poller's cycle listeners (the server's scheduler and `npm run poll`).
 * Returns the unsubscribe function.
 */
export function runAfterEveryPoll(log: (line: string) => void = console.log): () => void {
	return onCycleComplete(async ({ database, config, cycle }) => {
		// The cycle's own clock: its points are what the rollup window must cover.
		const { alerts } = await afterPollCycle({ database, config }, new Date(cycle.finishedAt));
		for (const f of alerts.fired) {
			log(
				`[alerts] watch #${f.watchId} fired: ${f.gpu} ${f.pricing} at $${f.pricePerGpuHourUsd}/GPU-h on ${f.provider}` +
					(f.webhookStatus === 'none' ? '' : ` (webhook ${f.webhookStatus} after ${f.webhookAttempts} tries)`)
			);
		}
	});
}

/**
 * Rollups and retention also run on their own timer, so they keep going when polling is off or slow
 * (a rollup of the last two hours is idempotent and cheap when nothing changed).
 */
export const MAINTENANCE_EVERY_MS = 10 * 60 * 1000;
const FIRST_RUN_AFTER_MS = 60 * 1000;

/** StartHook: the maintenance timer, and rollups + alert evaluation after every poll cycle. */
export const historyMaintenanceHook: StartHook = async (app) => {
	let running: Promise<unknown> | undefined;
	const tick = () => {
		if (running) return;
		running = runHistoryMaintenance(app.database)
			.then(() => storeTrends(app.database.db, enabledProviders(app.config)))
			.catch((err) => console.error('[history] maintenance failed:', err))
			.finally(() => (running = undefined));
	};
	const first = setTimeout(tick, FIRST_RUN_AFTER_MS);
	const every = setInterval(tick, MAINTENANCE_EVERY_MS);
	first.unref();
	every.unref();
	const unsubscribe = runAfterEveryPoll();
	return async () => {
		unsubscribe();
		clearTimeout(first);
		clearInterval(every);
		await running;
	};
};
