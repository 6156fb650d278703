/**
 * The one HTTP helper every adapter uses (undici): a timeout on every attempt, a descriptive
 * User-Agent, a size cap on answers, per-provider request spacing, and a bounded retry on 429, 5xx and
 * network errors — at most 3 attempts and at most 30 s of backoff in all, honouring Retry-After within
 * that budget (issue 3; vast.ai sends none, docs/providers.md §1.5).
 */
import { request } from 'undici';
import { ProviderError, redactSecrets, stripUrlQueries } from './errors.ts';
import type { ProviderId } from './provider-id.ts';

/** Sent on every request. RunPod's Cloudflare answers 403 to library default agents (docs/providers.md §2.1). */
export const USER_AGENT =
	'gpu-rental-dashboard/0.1 (self-hosted price dashboard; reads public price lists; +https://github.com)';

export interface HttpPolicy {
	/** per attempt, headers and body included (PROVIDER_TIMEOUT_MS) */
	timeoutMs: number;
	/** issue 3: at most 3 attempts */
	maxAttempts: number;
	/** issue 3: at most 30 s of backoff in all */
	maxTotalBackoffMs: number;
	/** first backoff; doubles per retry (tests shrink it) */
	baseBackoffMs: number;
	/** overrides every adapter's request spacing (tests set 0) */
	minIntervalMs?: number;
	/** answers larger than this fail (a full vast.ai market is a few MB) */
	maxBodyBytes: number;
	/** stops in-flight requests and backoff waits (server shutdown) */
	signal?: AbortSignal;
	/** API keys this client sends: removed from every message it makes (providers may echo them) */
	secrets?: readonly string[];
	/** injectable for tests (with `now`, so waits can be checked without sleeping) */
	sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
	now: () => number;
}

export const DEFAULT_POLICY: HttpPolicy = {
	timeoutMs: 30_000,
	maxAttempts: 3,
	maxTotalBackoffMs: 30_000,
	baseBackoffMs: 2_000,
	maxBodyBytes: 128 * 1024 * 1024,
	sleep: abortableSleep,
	now: () => Date.now()
};

export interface JsonRequest {
	method: 'GET' | 'POST';
	/** full URL (may carry a key in its query: never shown) */
	url: string;
	headers?: Record<string, string>;
	/** JSON body for POST */
	body?: unknown;
	/** minimum spacing between requests of this provider to this origin (rate limits) */
	minIntervalMs?: number;
}

export interface JsonResponse {
	status: number;
	body: unknown;
	attempts: number;
}

export interface TextResponse {
	status: number;
	body: string;
	attempts: number;
}

export interface HttpClient {
	readonly provider: ProviderId;
	readonly policy: HttpPolicy;
	json(req: JsonRequest): Promise<JsonResponse>;
	/** The same request rules for a text answer (SkyPilot's CSV catalog); an HTML page is still refused. */
	text(req: JsonRequest): Promise<TextResponse>;
	/** provider text made safe for a message: URL queries and the client's keys removed */
	redact(text: string): string;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (ms <= 0) return Promise.resolve();
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason);
		const timer = setTimeout(done, ms);
		function done() {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}
		function onAbort() {
			clearTimeout(timer);
			reject(signal!.reason);
		}
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

/** Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfterMs(
	value: string | string[] | undefined,
	now = Date.now()
): number | undefined {
	const v = Array.isArray(value) ? value[0] : value;
	if (!v) return undefined;
	if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.round(Number(v) * 1000);
	const at = Date.parse(v);
	if (Number.isNaN(at)) return undefined;
	return Math.max(0, at - now);
}

/** Where a request went, for messages: method and path only (a query may hold a key). */
function describe(req: JsonRequest): string {
	try {
		return `${req.method} ${new URL(req.url).pathname}`;
	} catch {
		return req.method;
	}
}

const NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'EPIPE',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EAI_AGAIN',
	'ENOTFOUND',
	'UND_ERR_SOCKET',
	'UND_ERR_CLOSED',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
	'UND_ERR_RES_CONTENT_LENGTH_MISMATCH'
]);

function errorCode(err: unknown): string | undefined {
	let e: unknown = err;
	for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string') return code;
		e = (e as { cause?: unknown }).cause;
	}
	return undefined;
}

export function createHttpClient(provider: ProviderId, policy: Partial<HttpPolicy> = {}): HttpClient {
	const p: HttpPolicy = { ...DEFAULT_POLICY, ...policy };
	/**
	 * Earliest next request time per origin. One client serves one provider for one poll; polls are at
	 * least a minute apart (POLL_INTERVAL_MINUTES), so spacing within a poll is what the limits need.
	 */
	const nextSlot = new Map<string, number>();
	const redact = (text: string) => redactSecrets(stripUrlQueries(text), p.secrets ?? []);

	async function waitForSlot(req: JsonRequest): Promise<void> {
		const interval = p.minIntervalMs ?? req.minIntervalMs ?? 0;
		if (interval <= 0) return;
		const key = new URL(req.url).origin;
		const now = p.now();
		const at = Math.max(now, nextSlot.get(key) ?? 0);
		nextSlot.set(key, at + interval);
		await p.sleep(at - now, p.signal);
	}

	/** One attempt: the parsed JSON (or the text), or a ProviderError saying whether a retry may help. */
	async function attempt(
		req: JsonRequest,
		n: number,
		as: 'json' | 'text'
	): Promise<
		| { ok: true; res: JsonResponse | TextResponse }
		| { ok: false; error: ProviderError; retryAfterMs?: number }
	> {
		const where = describe(req);
		const timeout = AbortSignal.timeout(p.timeoutMs);
		const signal = p.signal ? AbortSignal.any([timeout, p.signal]) : timeout;
		const headers: Record<string, string> = {
			'user-agent': USER_AGENT,
			accept: as === 'json' ? 'application/json' : 'text/csv, text/plain;q=0.9, */*;q=0.1',
			...req.headers
		};
		let payload: string | undefined;
		if (req.body !== undefined) {
			payload = JSON.stringify(req.body);
			headers['content-type'] = 'application/json';
		}
		let status: number;
		let text: string;
		let contentType: string;
		let retryAfter: string | string[] | undefined;
		try {
			const res = await request(req.url, { method: req.method, headers, body: payload, signal });
			status = res.statusCode;
			contentType = String(res.headers['content-type'] ?? '');
			retryAfter = res.headers['retry-after'];
			const chunks: Buffer[] = [];
			let size = 0;
			for await (const chunk of res.body) {
				size += (chunk as Buffer).length;
				if (size > p.maxBodyBytes) {
					res.body.destroy();
					return {
						ok: false,
						error: new ProviderError(provider, 'http', `answer of ${where} exceeds ${p.maxBodyBytes} bytes`, {
							status,
							attempts: n
						})
					};
				}
				chunks.push(chunk as Buffer);
			}
			text = Buffer.concat(chunks).toString('utf8');
		} catch (err) {
			if (p.signal?.aborted) {
				return {
					ok: false,
					error: new ProviderError(provider, 'aborted', `${where} stopped: the poll was cancelled`, {
						attempts: n,
						cause: err
					})
				};
			}
			if (timeout.aborted) {
				return {
					ok: false,
					error: new ProviderError(provider, 'timeout', `${where} timed out after ${p.timeoutMs} ms`, {
						attempts: n,
						cause: err
					}),
					retryAfterMs: undefined
				};
			}
			const code = errorCode(err);
			const known = code !== undefined && NETWORK_CODES.has(code);
			// An unknown error's message may quote the URL (and with it RunPod's key): never shown raw.
			const what = known ? code : redact((err as Error)?.message || String(err)).slice(0, 200);
			return {
				ok: false,
				// No `cause`: undici's error may hold the URL, and with it RunPod's key, should anyone log it.
				error: new ProviderError(provider, 'network', `${where} failed: ${what}`, { attempts: n })
			};
		}

		if (status === 429 || status >= 500) {
			const snippet = redact(text.slice(0, 4096))
				.replace(/\s+/g, ' ')
				// eslint-disable-next-line no-control-regex
				.replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
				.trim()
				.slice(0, 120);
			return {
				ok: false,
				error: new ProviderError(
					provider,
					'http',
					`${where} answered HTTP ${status}${status === 429 ? ' (rate limited)' : ''}` +
						(snippet && !snippet.startsWith('<') ? `: ${snippet}` : ''),
					{ status, attempts: n }
				),
				retryAfterMs: parseRetryAfterMs(retryAfter)
			};
		}
		if (status === 401 || status === 403) {
			return {
				ok: false,
				error: new ProviderError(
					provider,
					'auth',
					`${where} answered HTTP ${status}: ${authHint(text, redact)}`,
					{
						status,
						attempts: n
					}
				)
			};
		}
		if (status < 200 || status >= 300) {
			return {
				ok: false,
				error: new ProviderError(provider, 'http', `${where} answered HTTP ${status}`, {
					status,
					attempts: n
				})
			};
		}
		const trimmed = text.trimStart();
		if (trimmed === '') {
			return {
				ok: false,
				error: new ProviderError(provider, 'invalid-json', `${where} answered an empty body`, {
					status,
					attempts: n
				})
			};
		}
		if (trimmed.startsWith('<') || /text\/html/i.test(contentType)) {
			return {
				ok: false,
				error: new ProviderError(
					provider,
					'invalid-json',
					`${where} answered an HTML page instead of ${as === 'json' ? 'JSON' : 'text'} (HTTP ${status})`,
					{ status, attempts: n }
				)
			};
		}
		if (as === 'text') return { ok: true, res: { status, body: text, attempts: n } };
		try {
			return { ok: true, res: { status, body: JSON.parse(text), attempts: n } };
		} catch (err) {
			return {
				ok: false,
				error: new ProviderError(
					provider,
					'invalid-json',
					// Not JSON.parse's message: it quotes the answer, which may echo a key.
					`${where} answered invalid JSON (${text.length} bytes${jsonErrorPosition(err)})`,
					{ status, attempts: n }
				)
			};
		}
	}

	async function send(req: JsonRequest, as: 'json' | 'text'): Promise<JsonResponse | TextResponse> {
		let backoffSpent = 0;
		for (let n = 1; ; n++) {
			await waitForSlot(req).catch((err) => {
				throw new ProviderError(provider, 'aborted', 'stopped: the poll was cancelled', { cause: err });
			});
			const result = await attempt(req, n, as);
			if (result.ok) return result.res;
			const { error } = result;
			const retryable =
				error.kind === 'timeout' ||
				error.kind === 'network' ||
				(error.kind === 'http' && (error.status === 429 || (error.status ?? 0) >= 500));
			if (!retryable || n >= p.maxAttempts) throw withAttempts(error, n);
			const budget = p.maxTotalBackoffMs - backoffSpent;
			let delay: number;
			if (result.retryAfterMs !== undefined) {
				// Honour the provider's wish, but never beyond the backoff budget: give up instead.
				if (result.retryAfterMs > budget) {
					throw withAttempts(
						error,
						n,
						` (Retry-After ${Math.ceil(result.retryAfterMs / 1000)} s exceeds the retry budget)`
					);
				}
				delay = result.retryAfterMs;
			} else {
				delay = p.baseBackoffMs * 2 ** (n - 1);
				// vast.ai's 429 carries no Retry-After: wait at least one request interval.
				if (error.status === 429) delay = Math.max(delay, p.minIntervalMs ?? req.minIntervalMs ?? 0);
				delay = Math.min(delay, budget);
			}
			if (delay < 0 || (delay === 0 && budget <= 0)) throw withAttempts(error, n);
			backoffSpent += delay;
			try {
				await p.sleep(delay, p.signal);
			} catch (err) {
				throw new ProviderError(provider, 'aborted', 'stopped: the poll was cancelled', { cause: err });
			}
		}
	}

	return {
		provider,
		policy: p,
		redact,
		json: (req) => send(req, 'json') as Promise<JsonResponse>,
		text: (req) => send(req, 'text') as Promise<TextResponse>
	};
}

function withAttempts(error: ProviderError, attempts: number, note = ''): ProviderError {
	const suffix = attempts > 1 ? ` after ${attempts} attempts` : '';
	const message = error.message.replace(/^\[[a-z]+\] /, '') + note + suffix;
	return new ProviderError(error.provider, error.kind, message, {
		status: error.status,
		attempts,
		cause: error.cause
	});
}

/** `, at position N` from a JSON.parse error, without the quoted text around it. */
function jsonErrorPosition(err: unknown): string {
	const m = /position (\d+)/.exec((err as Error)?.message ?? '');
	return m ? `, at position ${m[1]}` : '';
}

/** A short, key-free reason from an auth error body (Lambda: `{"error":{"code":"global/invalid-api-key"}}`). */
function authHint(text: string, redact: (text: string) => string): string {
	try {
		const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } | string };
		if (body && typeof body.error === 'object' && body.error) {
			const code = typeof body.error.code === 'string' ? body.error.code : '';
			const msg = typeof body.error.message === 'string' ? body.error.message : '';
			const hint = redact([code, msg].filter(Boolean).join(' — '))
				// eslint-disable-next-line no-control-regex
				.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
			return hint.slice(0, 200) || 'unauthorized';
		}
	} catch {
		/* not JSON */
	}
	return 'the API key is missing or was refused';
}
