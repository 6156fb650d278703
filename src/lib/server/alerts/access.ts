/**
 * Who may see a watch in full and change it: the holder of its manage token (shown once, when the watch
 * is created; only its SHA-256 is stored) or the operator's ADMIN_TOKEN. Everyone else sees the watch
 * without its webhook URL — for Slack, Discord, ntfy or a Teams connector that URL is the credential.
 *
 * Comparisons are constant-time: the presented token is hashed and the digests (always 32 bytes, so a
 * token of any length compares in the same time) go through crypto.timingSafeEqual.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Watch } from './watches.ts';
import { rows, type Db } from '../db/index.ts';
import { redactUrl } from './webhook.ts';

/** 32 random bytes: guessing one is out of reach, base64url keeps it usable in a URL path. */
const TOKEN_BYTES = 32;
/** Longest credential looked at (a manage token is 43 characters): a megabyte header is not hashed. */
const MAX_TOKEN_LENGTH = 512;

export function newManageToken(): string {
	return randomBytes(TOKEN_BYTES).toString('base64url');
}

function digest(token: string): Buffer {
	return createHash('sha256').update(token, 'utf8').digest();
}

/** What the database stores of a manage token. */
export function hashManageToken(token: string): string {
	return digest(token).toString('hex');
}

/** The token of `Authorization: Bearer <token>`; null without one (or with another scheme). */
export function bearerToken(request: Request): string | null {
	const header = request.headers.get('authorization');
	if (!header) return null;
	const m = /^Bearer[ \t]+(\S.*)$/i.exec(header.trim());
	return m ? m[1]!.trim() : '';
}

/** Constant-time equality of a presented token with a stored SHA-256 (hex). */
function matchesHash(presented: string, storedHashHex: string | null): boolean {
	if (storedHashHex === null || !/^[0-9a-f]{64}$/.test(storedHashHex)) return false;
	return timingSafeEqual(digest(presented), Buffer.from(storedHashHex, 'hex'));
}

export function isAdminToken(presented: string, adminToken: string | undefined): boolean {
	if (!adminToken || presented.length > MAX_TOKEN_LENGTH) return false;
	return timingSafeEqual(digest(presented), digest(adminToken));
}

export type Access = 'none' | 'wrong' | 'owner' | 'admin';

/**
 * The access a credential gives to one watch: none (no credential: 401), wrong (403), owner or admin.
 * `tokenHash` is the watch's stored manage_token_hash.
 */
export function accessTo(
	tokenHash: string | null,
	presented: string | null,
	adminToken: string | undefined
): Access {
	if (presented === null) return 'none';
	if (presented === '' || presented.length > MAX_TOKEN_LENGTH) return 'wrong';
	// Both comparisons always run: which one matched does not show in the time taken.
	const admin = isAdminToken(presented, adminToken);
	const owner = matchesHash(presented, tokenHash);
	return admin ? 'admin' : owner ? 'owner' : 'wrong';
}

/** The id of the watch a manage token belongs to (the manage link), or undefined. */
export async function watchIdByToken(db: Db, token: string): Promise<number | undefined> {
	if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return undefined;
	// A lookup by the token's hash: what the index compares is a digest the client cannot steer byte by
	// byte, so the lookup leaks nothing useful about stored tokens.
	const r = await rows<{ id: number; manage_token_hash: string }>(
		db,
		sql`select id, manage_token_hash from alert_watches where manage_token_hash = ${hashManageToken(token)}`
	);
	const hit = r[0];
	return hit && matchesHash(token, hit.manage_token_hash) ? Number(hit.id) : undefined;
}

/** A watch as anyone may see it: the webhook as scheme and host only. */
export type PublicWatch = Omit<Watch, 'webhookUrl'> & { webhook: string | null };

export function publicWatch(w: Watch): PublicWatch {
	const { webhookUrl, ...rest } = w;
	return { ...rest, webhook: redactUrl(webhookUrl) };
}

/** A watch as its owner (or the admin) sees it: everything, the webhook also redacted for display. */
export function fullWatch(w: Watch): Watch & { webhook: string | null } {
	return { ...w, webhook: redactUrl(w.webhookUrl) };
}

export type WatchAuth =
	{ ok: true; access: 'owner' | 'admin' } | { ok: false; status: 401 | 403 | 404; message: string };

/**
 * May the credential change watch `id`? 401 without a credential (before looking the watch up), 404
 * when there is no such watch, 403 for a credential that is neither its manage token nor ADMIN_TOKEN.
 */
export async function authorizeWatch(
	db: Db,
	id: number,
	presented: string | null,
	adminToken: string | undefined
): Promise<WatchAuth> {
	if (presented === null)
		return {
			ok: false,
			status: 401,
			message: "needs the watch's manage token: send Authorization: Bearer <manageToken>"
		};
	const r = await rows<{ manage_token_hash: string | null }>(
		db,
		sql`select manage_token_hash from alert_watches where id = ${id}`
	);
	if (!r[0]) return { ok: false, status: 404, message: 'no such watch' };
	const access = accessTo(r[0].manage_token_hash, presented, adminToken);
	if (access === 'owner' || access === 'admin') return { ok: true, access };
	return { ok: false, status: 403, message: 'this token does not manage this watch' };
}
