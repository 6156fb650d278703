/**
 * The per-client creation limit of watches (ALERT_CREATE_LIMIT_PER_HOUR, default 20): each watch is a
 * target this server will send requests to, so one client may not create them without bound.
 *
 * Counted in the database (alert_creations), not in memory: several instances behind one proxy share
 * the count, and a restart does not reset it. The count and the insert run in one transaction under a
 * transaction-level advisory lock per client, so two instances answering the same client at once
 * cannot both take the last slot.
 *
 * The client is SvelteKit's event.getClientAddress(): the socket's peer address, or — only when the
 * operator sets adapter-node's ADDRESS_HEADER (e.g. X-Forwarded-For behind a proxy, with XFF_DEPTH) —
 * that header. Without ADDRESS_HEADER a client's own X-Forwarded-For is ignored, so it cannot pick a
 * fresh address per request.
 */
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/index.ts';

export const CREATE_WINDOW_MS = 3600_000;
/** Advisory lock namespace of the limit (db/index.ts LOCK_KEYS uses 727_00x single keys). */
const LIMIT_LOCK_NAMESPACE = 727_100;

export type CreateSlot = { ok: true } | { ok: false; retryAfterSeconds: number; limit: number };

/**
 * Takes one creation slot of `client` for the last hour, or says when the next one frees up. `create`
 * runs inside the same transaction (with the transaction's handle), so a failed create takes no slot.
 */
export async function withCreateSlot<T>(
	db: Db,
	client: string,
	limit: number,
	now: Date,
	create: (tx: Db) => Promise<T>
): Promise<{ ok: true; value: T } | { ok: false; retryAfterSeconds: number; limit: number }> {
	const since = new Date(now.getTime() - CREATE_WINDOW_MS).toISOString();
	return db.transaction(async (tx) => {
		const t = tx as unknown as Db;
		await t.execute(sql`select pg_advisory_xact_lock(${LIMIT_LOCK_NAMESPACE}, hashtext(${client}))`);
		await t.execute(sql`delete from alert_creations where created_at <= ${since}::timestamptz`);
		const [r] = await rows<{ n: number; oldest_ms: number | null }>(
			t,
			sql`select count(*)::int as n, extract(epoch from min(created_at))::float8 * 1000 as oldest_ms
			    from alert_creations where client_address = ${client} and created_at > ${since}::timestamptz`
		);
		const n = Number(r?.n ?? 0);
		if (n >= limit) {
			const frees = Number(r?.oldest_ms ?? now.getTime()) + CREATE_WINDOW_MS;
			return { ok: false, limit, retryAfterSeconds: Math.max(1, Math.ceil((frees - now.getTime()) / 1000)) };
		}
		const value = await create(t);
		await t.execute(
			sql`insert into alert_creations (client_address, created_at) values (${client}, ${now.toISOString()}::timestamptz)`
		);
		return { ok: true as const, value };
	});
}
