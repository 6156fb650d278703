/**
 * Listeners of the poller: run after each stored snapshot and after each cycle (history rollups, alerts:
 * src/lib/server/history-jobs.ts).
 */
import type { ProviderId } from '#adapters/types.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/index.ts';
import type { CycleResult } from './types.ts';

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

export const notifySnapshotStored = (event: SnapshotStoredEvent) =>
	notify(snapshotListeners, event, 'snapshot');
export const notifyCycleComplete = (event: CycleCompleteEvent) => notify(cycleListeners, event, 'cycle');
