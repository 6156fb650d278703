/**
 * The data version: one number that goes up, at commit, in every transaction that changes what the
 * shared answers are built from (the `data_version` row and its triggers, migration 0008). Every
 * instance on one Postgres reads the same row, so an answer kept in memory by one instance is dropped
 * as soon as another instance (or `npm run poll`, or `npm run import`) stores a snapshot.
 *
 * On Postgres it is read on every cacheable request — one primary-key lookup. Requests that arrive
 * together share reads: a request never uses a read that was already on its way when it arrived (that
 * read may predate a commit the request's client has seen), it waits for the next one, which all such
 * requests share.
 *
 * On PGlite no request reads it: the database lives in this process alone (the data-dir lock), so every
 * commit that moves the version is this process's own, and the bump's notification (migration 0009,
 * channel `data_version`, sent at commit with the new value) reaches the listener set up at open
 * (followDataVersion) before the committing statement's caller resumes — so before any later request
 * can ask. A read on PGlite would also wait behind whatever else holds its one connection (a rollup, a
 * kept answer's rebuild), which is where the compare page's slow requests came from.
 */
import { sql } from 'drizzle-orm';
import { num, rows } from '../db/read.ts';
import type { Db } from '../db/types.ts';

interface Reads {
	inFlight?: Promise<number>;
	next?: Promise<number>;
}

const reads = new WeakMap<Db, Reads>();

/** The channel the bump notifies on (migration 0009). */
export const DATA_VERSION_CHANNEL = 'data_version';

/** Versions pushed by notifications (PGlite): the newest committed version, once followed. */
const pushed = new WeakMap<Db, { version: number }>();

/**
 * Follows the data version of an in-process database (PGlite) through its notifications instead of
 * reading it per request. `listen` subscribes to a channel (PGlite's `listen`). Only for a database no
 * other process can write to: another process's commit would notify this one late or not at all.
 */
export async function followDataVersion(
	db: Db,
	listen: (channel: string, onPayload: (payload: string) => void) => Promise<unknown>
): Promise<void> {
	let newest: number | undefined;
	await listen(DATA_VERSION_CHANNEL, (payload) => {
		const v = Number(payload);
		if (!Number.isFinite(v)) return;
		newest = Math.max(newest ?? v, v);
		const state = pushed.get(db);
		if (state) state.version = Math.max(state.version, v);
	});
	// Listening from here on: the row read now is at least as new as anything committed before, and
	// every later commit notifies.
	const read = await queryVersion(db);
	pushed.set(db, { version: Math.max(read, newest ?? read) });
}

async function queryVersion(db: Db): Promise<number> {
	const [r] = await rows<{ version: string | number }>(
		db,
		sql`select version from data_version where id = 1`
	);
	if (!r) throw new Error('[cache] the data_version row is missing (migration 0008)');
	return num(r.version);
}

export function readDataVersion(db: Db): Promise<number> {
	const known = pushed.get(db);
	if (known) return Promise.resolve(known.version);
	let r = reads.get(db);
	if (!r) reads.set(db, (r = {}));
	const state = r;
	if (!state.inFlight) {
		state.inFlight = queryVersion(db).finally(() => (state.inFlight = undefined));
		return state.inFlight;
	}
	state.next ??= state.inFlight
		.catch(() => {})
		.then(() => {
			state.next = undefined;
			return readDataVersion(db);
		});
	return state.next;
}
