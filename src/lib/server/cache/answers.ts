/**
 * Shared answers built once per data version (data-version.ts) and served from memory to every reader
 * after, with an ETag (304 on If-None-Match), a Cache-Control a reverse proxy or CDN may keep until the
 * next poll, and gzip/brotli made once per answer. Per-user answers (alert watches, their manage links,
 * forms) are `no-store`. Wired in src/hooks.server.ts around SvelteKit's resolve.
 */
import { createHash } from 'node:crypto';
import {
	compress,
	isCompressible,
	MIN_COMPRESS_BYTES,
	negotiateEncoding,
	type Encoding
} from './compress.ts';
import { VersionedLru } from './versioned-lru.ts';

/** What a path's answer depends on. */
export type CachePolicy = 'shared' | 'private' | 'pass';

/** Pages and APIs whose answer depends only on stored data and the URL. */
const SHARED_EXACT = new Set([
	'/',
	'/trends',
	'/models',
	'/papers',
	'/providers',
	'/estimate',
	'/api/offers',
	'/api/history',
	'/api/gpus',
	'/api/providers',
	'/api/estimate'
]);
const SHARED_PREFIXES = ['/gpus/', '/models/'];
/** Answers for one person: an alert watch's token is in its manage link, forms answer their sender. */
const PRIVATE_PREFIXES = ['/alerts', '/api/alerts'];

export function cachePolicy(method: string, pathname: string): CachePolicy {
	// SvelteKit's client-side navigation asks /path/__data.json for a page's data: same answer, same rule.
	const page = pathname.endsWith('/__data.json')
		? pathname.slice(0, -'/__data.json'.length) || '/'
		: pathname;
	if (PRIVATE_PREFIXES.some((p) => page === p || page.startsWith(p + '/'))) return 'private';
	if (method === 'HEAD') return 'pass';
	if (method !== 'GET') return 'private';
	if (SHARED_EXACT.has(page) || SHARED_PREFIXES.some((p) => page.startsWith(p))) return 'shared';
	return 'pass';
}

interface Answer {
	status: number;
	headers: [string, string][];
	body: Uint8Array<ArrayBuffer>;
	etag: string;
	encoded: Partial<Record<Encoding, Promise<Uint8Array<ArrayBuffer>>>>;
}

/** Headers of a kept answer that are made per request here, not kept. */
const NOT_KEPT = new Set([
	'content-length',
	'content-encoding',
	'etag',
	'cache-control',
	'vary',
	'set-cookie'
]);

/**
 * Kept answers: at most 32 MB (bodies and their compressed copies) and 2,000 URLs, least recently
 * used out first. An answer older than a minute is rebuilt even when no data changed (served meanwhile), so
 * "updated 3 min ago" and the stale flag (an age, not data) are never much more than a minute behind.
 */
export const ANSWER_MAX_AGE_MS = 60_000;
const answers = new VersionedLru<Answer | null>({
	maxEntries: 2000,
	maxSize: 32 * 1024 * 1024,
	size: (a) => a?.body.byteLength ?? 0,
	maxAgeMs: ANSWER_MAX_AGE_MS
});

/** Drops every kept answer (tests). */
export function clearAnswers(): void {
	answers.clear();
}

function etagOf(body: Uint8Array): string {
	return `W/"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** If-None-Match against an ETag, by weak comparison (RFC 9110 §13.1.2: GET and HEAD). */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
	if (!ifNoneMatch) return false;
	if (ifNoneMatch.trim() === '*') return true;
	const opaque = (t: string) => t.trim().replace(/^W\//, '');
	return ifNoneMatch.split(',').some((t) => opaque(t) === opaque(etag));
}

/** Cache-Control of a shared answer: browsers revalidate (ETag), proxies keep it for a poll interval. */
export function sharedCacheControl(pollIntervalMinutes: number): string {
	// polling off: data changes only by an import; ten minutes is the default interval
	const seconds = (pollIntervalMinutes > 0 ? pollIntervalMinutes : 10) * 60;
	return `public, max-age=0, s-maxage=${seconds}, stale-while-revalidate=${seconds}`;
}

/** A complete, successful answer to keep; null (the response passes as it is) for anything else. */
function keepable(response: Response): boolean {
	return (
		response.status === 200 &&
		response.headers.has('content-type') &&
		!response.headers.has('set-cookie') &&
		!response.headers.has('content-encoding')
	);
}

async function toAnswer(response: Response): Promise<Answer> {
	const body = new Uint8Array(await response.arrayBuffer());
	const headers = [...response.headers].filter(([k]) => !NOT_KEPT.has(k.toLowerCase()));
	return { status: 200, headers, body, etag: etagOf(body), encoded: {} };
}

export interface AnswerOptions {
	version: number;
	cacheControl: string;
}

/**
 * A shared answer for `request`: kept (or 304), or built by `build` at this data version and kept when
 * it is a complete 200. `build` must read the data after the version was read (the caller reads it first).
 */
export async function sharedAnswer(
	request: Request,
	build: () => Promise<Response>,
	opts: AnswerOptions
): Promise<Response> {
	const key = request.url;
	let direct: Response | undefined;
	const pending = answers.get(
		opts.version,
		key,
		async () => {
			const response = await build();
			if (keepable(response)) return toAnswer(response);
			direct = response;
			return null;
		},
		(a) => a !== null
	);
	const answer = await pending;
	if (!answer) {
		// Not keepable. The request that built it answers with it; the others that waited build their own.
		return direct ?? (await build());
	}
	const headers = new Headers(answer.headers);
	headers.set('ETag', answer.etag);
	headers.set('Cache-Control', opts.cacheControl);
	headers.set('Vary', 'Accept-Encoding');
	if (etagMatches(request.headers.get('if-none-match'), answer.etag)) {
		for (const h of ['content-type', 'content-disposition', 'x-data-attribution']) headers.delete(h);
		return new Response(null, { status: 304, headers });
	}
	const encoding = encodingFor(request, headers.get('content-type'), answer.body);
	if (!encoding) return new Response(answer.body, { status: answer.status, headers });
	let encoded = answer.encoded[encoding];
	if (!encoded) {
		encoded = answer.encoded[encoding] = compress(answer.body, encoding);
		const made = encoded;
		void made.then((b) => answers.grow(key, pending, b.byteLength)).catch(() => {});
	}
	headers.set('Content-Encoding', encoding);
	return new Response(await encoded, { status: answer.status, headers });
}

function encodingFor(request: Request, contentType: string | null, body: Uint8Array): Encoding | null {
	if (request.method === 'HEAD' || body.byteLength < MIN_COMPRESS_BYTES || !isCompressible(contentType))
		return null;
	return negotiateEncoding(request.headers.get('accept-encoding'));
}

/**
 * Any other answer (per-user, or a path not kept): compressed on the way out when it is text and the
 * client accepts it; per-user ones get `no-store` unless the route set its own Cache-Control.
 */
export async function passAnswer(
	request: Request,
	response: Response,
	policy: CachePolicy
): Promise<Response> {
	if (policy === 'private' && !response.headers.has('cache-control')) {
		response = withHeaders(response, { 'Cache-Control': 'no-store' });
	}
	if (!response.body || response.headers.has('content-encoding') || response.status === 304) return response;
	if (!isCompressible(response.headers.get('content-type'))) return response;
	const encoding = negotiateEncoding(request.headers.get('accept-encoding'));
	if (!encoding || request.method === 'HEAD') return response;
	const body = new Uint8Array(await response.arrayBuffer());
	const headers = new Headers(response.headers);
	headers.append('Vary', 'Accept-Encoding');
	headers.delete('content-length');
	if (body.byteLength < MIN_COMPRESS_BYTES) {
		return new Response(body, { status: response.status, statusText: response.statusText, headers });
	}
	headers.set('Content-Encoding', encoding);
	return new Response(await compress(body, encoding), {
		status: response.status,
		statusText: response.statusText,
		headers
	});
}

function withHeaders(response: Response, add: Record<string, string>): Response {
	const headers = new Headers(response.headers);
	for (const [k, v] of Object.entries(add)) headers.set(k, v);
	return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
