/**
 * config.json of a Hugging Face model outside the estimator's list: read from the database if fetched
 * before, else fetched from the Hub (`{HF_ENDPOINT}/{id}/resolve/main/config.json`, HF_TOKEN as a
 * Bearer token when set) with a timeout and a size cap, checked by the estimator's reader, and stored.
 * Every failure is a message naming the model and the reason: not found, gated (HF_TOKEN needed or
 * refused), Hub unreachable, or a config the estimator cannot read (naming the field).
 */
import { eq } from 'drizzle-orm';
import { request } from 'undici';
import { USER_AGENT } from '#adapters/http.ts';
import { architectureFromHfConfig, ConfigError } from '../estimator/index.ts';
import type { Db } from './db/index.ts';
import { hubConfigs } from './db/schema.ts';

/** A config.json is a few kB; anything near this is not one. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
export const HUB_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;

/** Hub ids: `name` or `owner/name`, letters, digits, `-`, `_`, `.` (huggingface_hub's repo-id rule). */
const HUB_ID = /^(?:[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/)?[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

export function isHubId(id: string): boolean {
	return HUB_ID.test(id) && !id.includes('..') && !id.endsWith('.git');
}

export interface HubOptions {
	endpoint: string;
	token?: string;
	timeoutMs?: number;
}

export type HubResult =
	| { ok: true; id: string; config: Record<string, unknown>; cached: boolean }
	| {
			ok: false;
			id: string;
			reason: 'invalid-id' | 'not-found' | 'gated' | 'unreachable' | 'unreadable';
			message: string;
	  };

function failure(id: string, reason: Exclude<HubResult, { ok: true }>['reason'], why: string): HubResult {
	return { ok: false, id, reason, message: `model "${id}": ${why}` };
}

/** Reads the body up to the cap; undefined when it is larger. */
async function readCapped(body: AsyncIterable<Uint8Array>, cap: number): Promise<Buffer | undefined> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of body) {
		size += chunk.byteLength;
		if (size > cap) return undefined;
		chunks.push(Buffer.from(chunk));
	}
	return Buffer.concat(chunks);
}

/** Fetches and checks a config.json from the Hub (no database). */
export async function fetchHubConfig(id: string, opts: HubOptions): Promise<HubResult> {
	if (!isHubId(id)) return failure(id, 'invalid-id', 'is not a Hugging Face model id (owner/name)');
	const timeoutMs = opts.timeoutMs ?? HUB_TIMEOUT_MS;
	const origin = new URL(opts.endpoint).origin;
	let url = `${opts.endpoint}/${id}/resolve/main/config.json`;
	for (let hop = 0; ; hop++) {
		let res;
		try {
			const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'application/json' };
			// the token goes to the Hub only, never to a host a redirect points at
			if (opts.token && new URL(url).origin === origin) headers.authorization = `Bearer ${opts.token}`;
			res = await request(url, {
				method: 'GET',
				headers,
				headersTimeout: timeoutMs,
				bodyTimeout: timeoutMs,
				signal: AbortSignal.timeout(timeoutMs)
			});
		} catch (err) {
			const code = (err as { code?: string }).code ?? (err as Error).name;
			return failure(id, 'unreachable', `the Hugging Face Hub is unreachable at ${opts.endpoint} (${code})`);
		}
		const { statusCode, headers } = res;
		if (statusCode >= 300 && statusCode < 400 && headers.location && hop < MAX_REDIRECTS) {
			await res.body.dump();
			url = new URL(String(headers.location), url).toString();
			continue;
		}
		const errorCode = String(headers['x-error-code'] ?? '');
		if (statusCode === 200) {
			let buf: Buffer | undefined;
			try {
				buf = await readCapped(res.body, MAX_CONFIG_BYTES);
			} catch {
				return failure(id, 'unreachable', `the Hugging Face Hub stopped answering (${opts.endpoint})`);
			}
			if (!buf) return failure(id, 'unreadable', `config.json is larger than ${MAX_CONFIG_BYTES} bytes`);
			let config: unknown;
			try {
				config = JSON.parse(buf.toString('utf8'));
			} catch {
				return failure(id, 'unreadable', 'config.json is not valid JSON');
			}
			try {
				architectureFromHfConfig(config, id);
			} catch (err) {
				if (err instanceof ConfigError)
					return failure(id, 'unreadable', `config.json cannot be read: ${err.message}`);
				throw err;
			}
			return { ok: true, id, config: config as Record<string, unknown>, cached: false };
		}
		await res.body.dump();
		if (statusCode === 404 || errorCode === 'RepoNotFound' || errorCode === 'EntryNotFound')
			return failure(
				id,
				'not-found',
				`not found on the Hugging Face Hub (${opts.endpoint}), or it has no config.json`
			);
		if (statusCode === 401 || statusCode === 403) {
			return failure(
				id,
				'gated',
				opts.token
					? 'is gated or private and the Hub refused HF_TOKEN (accept the model’s license on its Hub page with that account, or use a token with access)'
					: 'is gated or private: set HF_TOKEN to a Hugging Face token with access to it'
			);
		}
		return failure(id, 'unreachable', `the Hugging Face Hub answered HTTP ${statusCode} (${opts.endpoint})`);
	}
}

/** The stored config of a Hub model, or undefined. */
export async function readCachedHubConfig(db: Db, id: string): Promise<Record<string, unknown> | undefined> {
	const rows = await db.select().from(hubConfigs).where(eq(hubConfigs.modelId, id)).limit(1);
	return rows[0]?.config as Record<string, unknown> | undefined;
}

/** The database first, then the Hub; a readable config fetched from the Hub is stored. */
export async function resolveHubConfig(db: Db, id: string, opts: HubOptions): Promise<HubResult> {
	if (!isHubId(id)) return failure(id, 'invalid-id', 'is not a Hugging Face model id (owner/name)');
	const cached = await readCachedHubConfig(db, id);
	if (cached) return { ok: true, id, config: cached, cached: true };
	const fetched = await fetchHubConfig(id, opts);
	if (fetched.ok) {
		await db
			.insert(hubConfigs)
			.values({ modelId: id, config: fetched.config })
			.onConflictDoNothing({ target: hubConfigs.modelId });
	}
	return fetched;
}
