/**
 * Errors of the adapter layer. Messages read `[provider] what happened` and never contain an API key or
 * a query string (RunPod's key travels in the URL).
 */
import type { ProviderId } from './provider-id.ts';

/** What went wrong, for the poll record and for deciding whether to retry. */
export type ProviderErrorKind =
	/** no answer within PROVIDER_TIMEOUT_MS */
	| 'timeout'
	/** connection refused / reset / closed mid-answer */
	| 'network'
	/** an HTTP status the adapter cannot use (after retries for 429/5xx) */
	| 'http'
	/** 401/403 (or vast.ai's "Invalid user key"): the key is missing or wrong */
	| 'auth'
	/** 2xx but not JSON (an HTML error page) or JSON cut short */
	| 'invalid-json'
	/** JSON, but not the shape the adapter knows: the provider changed its API */
	| 'shape'
	/** a GraphQL answer carrying `errors` */
	| 'api-error'
	/** the answer parsed but held no usable offer */
	| 'empty'
	/** the poll was stopped (server shutting down) */
	| 'aborted';

export class ProviderError extends Error {
	readonly provider: ProviderId;
	readonly kind: ProviderErrorKind;
	readonly status: number | undefined;
	readonly attempts: number;
	constructor(
		provider: ProviderId,
		kind: ProviderErrorKind,
		message: string,
		opts: { status?: number; attempts?: number; cause?: unknown } = {}
	) {
		super(`[${provider}] ${message}`, opts.cause === undefined ? undefined : { cause: opts.cause });
		this.name = 'ProviderError';
		this.provider = provider;
		this.kind = kind;
		this.status = opts.status;
		this.attempts = opts.attempts ?? 1;
	}
}

/** The answer's envelope is not what the adapter knows (thrown by the pure `parse`). */
export class PayloadShapeError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PayloadShapeError';
	}
}

export const REDACTED = '[redacted]';

/** Shorter "secrets" are not keys (and redacting them would mangle every message). */
const MIN_SECRET_LENGTH = 4;

/**
 * Removes API keys from text headed for a message, a log or the poll record: every occurrence of each
 * secret, raw or URL-encoded (a provider may echo the key, undici may quote the URL), is replaced.
 * Call it before cutting text short, so no key is left half-visible at the cut.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
	let out = text;
	for (const secret of secrets) {
		if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
		for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(REDACTED);
	}
	return out;
}

/**
 * Drops the query string of every URL in a message, and the value of any key-like parameter left
 * (RunPod's key travels as `?api_key=`, adapters/runpod.ts), whatever the key's value is.
 */
export function stripUrlQueries(text: string): string {
	return text
		.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#"'<>]*)\?[^\s#"'<>]*/gi, '$1')
		.replace(/([?&;]\s*(?:api[_-]?key|apikey|key|token|access_token)=)[^&\s"'<>]*/gi, `$1${REDACTED}`);
}
