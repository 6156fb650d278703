/**
 * The data version: one number that goes up, at commit, in every transaction that changes what the
 * shared answers are built from (the `data_version` row and its triggers, migration 0008). Every
 * instance on one Postgres reads the same row, so an answer kept in memory by one instance is dropped
 * as soon as another instance (or `npm run poll`, or `npm run import`) stores a snapshot.
 *
 * Read on every cacheable request — one primary-key lookup. Requests that arrive together share reads:
 * a request never uses a read that was already on its way when it arrived (that read may predate a
 * commit the request's client has seen), it waits for the next one, which all such requests share.
 */
import { sql } from 'drizzle-orm';
import { num, rows, type Db } from '../db/index.ts';

interface Reads {
	inFlight?: Promise<number>;
	next?: Promise<number>;
}

const reads = new WeakMap<Db, Reads>();

async function queryVersion(db: Db): Promise<number> {
	const [r] = await rows<{ version: string | number }>(
		db,
		sql`select version from data_version where id = 1`
	);
	if (!r) throw new Error('[cache] the data_version row is missing (migration 0008)');
	return num(r.version);
}

export function readDataVersion(db: Db): Promise<number> {
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
