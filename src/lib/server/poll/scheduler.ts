/**
 * The in-process poll scheduler (a StartHook): one cycle per POLL_INTERVAL_MINUTES, and on Postgres one
 * instance per interval (advisory lock + poll_slots).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import type { StartHook } from '../app.ts';
import { isDatabaseUnavailable } from '../db/errors.ts';
import { LOCK_KEYS, rows, type Db } from '../db/index.ts';
import { configSecrets, describeError, safeErrorMessage } from './runs.ts';
import { pollOnce } from './poller.ts';
import { type PollOptions, type ProviderPollResult } from './types.ts';

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
