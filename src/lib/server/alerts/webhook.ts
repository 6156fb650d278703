/**
 * Alert webhooks: which URLs are allowed, and delivery with bounded retries.
 *
 * A webhook URL is user input that makes this server send requests, so by default it may not reach
 * loopback, private, link-local or other non-public addresses (server-side request forgery: cloud
 * metadata at 169.254.169.254, admin panels on the LAN). The check runs when a watch is saved (the
 * hostname is resolved, every address must be public) and again at delivery: the connection's own DNS
 * lookup refuses private answers, so a name that later resolves elsewhere (DNS rebinding) is refused
 * too. Redirects are not followed. ALERT_ALLOW_PRIVATE=1 lifts the address rule (a LAN-only install,
 * tests).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { lookup as dnsLookupAsync } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, request } from 'undici';

/** Non-public ranges: RFC 6890 special-purpose registries (IPv4 and IPv6) plus multicast. */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
	['0.0.0.0', 8], // "this network"
	['10.0.0.0', 8], // private (RFC 1918)
	['100.64.0.0', 10], // carrier-grade NAT (RFC 6598)
	['127.0.0.0', 8], // loopback
	['169.254.0.0', 16], // link-local, cloud metadata
	['172.16.0.0', 12], // private
	['192.0.0.0', 24], // IETF protocol assignments
	['192.0.2.0', 24], // documentation
	['192.88.99.0', 24], // 6to4 relay anycast (deprecated)
	['192.168.0.0', 16], // private
	['198.18.0.0', 15], // benchmarking
	['198.51.100.0', 24], // documentation
	['203.0.113.0', 24], // documentation
	['224.0.0.0', 4], // multicast
	['240.0.0.0', 4] // reserved, broadcast
] as const) {
	PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
	['::', 128], // unspecified
	['::1', 128], // loopback
	['64:ff9b:1::', 48], // local-use NAT64
	['100::', 64], // discard
	['2001::', 23], // IETF protocol assignments
	['2001:db8::', 32], // documentation
	['fc00::', 7], // unique local
	['fe80::', 10], // link-local
	['ff00::', 8] // multicast
] as const) {
	PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** IPv4 written inside IPv6 (::ffff:a.b.c.d mapped, 64:ff9b::a.b.c.d NAT64, ::a.b.c.d compatible). */
function embeddedIpv4(ip: string): string | undefined {
	const m = /^(?:::ffff:(?:0:)?|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
	if (m) return m[1];
	const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
	if (hex) {
		const hi = parseInt(hex[1]!, 16);
		const lo = parseInt(hex[2]!, 16);
		return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
	}
	return undefined;
}

/** True for loopback, private, link-local, reserved … addresses (anything not publicly routable). */
export function isPrivateAddress(address: string): boolean {
	const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
	const family = isIP(ip);
	if (family === 4) return PRIVATE.check(ip, 'ipv4');
	if (family === 6) {
		const v4 = embeddedIpv4(ip);
		if (v4) return PRIVATE.check(v4, 'ipv4');
		return PRIVATE.check(ip, 'ipv6');
	}
	return true; // not an address at all: refuse
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** How long saving a watch waits for its webhook host to resolve (a resolver's own retry is 5 s). */
export const WEBHOOK_DNS_TIMEOUT_MS = 5_000;

/** "https://hooks.slack.com/…": scheme and host of a webhook URL, never its path, query or user info. */
export function redactUrl(raw: string | null): string | null {
	if (!raw) return null;
	try {
		const u = new URL(raw);
		return `${u.protocol}//${u.host}/…`;
	} catch {
		return '(invalid URL)';
	}
}

/** Replaces every secret part of `url` (the whole URL, path, query, user info) inside a message. */
export function redactUrlIn(message: string, raw: string): string {
	let out = message;
	let u: URL | undefined;
	try {
		u = new URL(raw);
	} catch {
		/* not a URL: only the raw string is replaced */
	}
	const secrets = [raw, u?.href, u && u.pathname.length > 1 ? u.pathname + u.search : '', u?.search];
	if (u?.username) secrets.push(u.username);
	if (u?.password) secrets.push(u.password);
	const shown = redactUrl(raw) ?? '';
	for (const s of secrets.filter((x): x is string => !!x && x.length > 1).sort((a, b) => b.length - a.length))
		out = out.split(s).join(s === raw || s === u?.href ? shown : '…');
	return out;
}

/** Syntax only: http(s), a host, no credentials. */
export function checkWebhookUrlSyntax(raw: string): UrlCheck {
	if (raw.length > MAX_WEBHOOK_URL_LENGTH)
		return { ok: false, reason: `longer than ${MAX_WEBHOOK_URL_LENGTH} characters` };
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return { ok: false, reason: 'not a valid URL' };
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		return { ok: false, reason: 'must be an http:// or https:// URL' };
	if (!url.hostname) return { ok: false, reason: 'has no host' };
	if (url.username || url.password)
		return { ok: false, reason: 'must not contain a user name or password before the host' };
	return { ok: true, url };
}

/**
 * Said to users, who cannot change the setting: which setting lifts the rule is the operator's business
 * (README, ALERT_ALLOW_PRIVATE), not something to print on a public form.
 */
const PRIVATE_REFUSED =
	'points to a local or private network address; alerts can only be sent to public internet addresses';

/** Syntax, then (unless private addresses are allowed) every address the host resolves to must be public. */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<UrlCheck> {
	const syntax = checkWebhookUrlSyntax(raw);
	if (!syntax.ok || allowPrivate) return syntax;
	const host = syntax.url.hostname.replace(/^\[|\]$/g, '');
	if (isIP(host)) {
		return isPrivateAddress(host) ? { ok: false, reason: PRIVATE_REFUSED } : syntax;
	}
	let addresses: LookupAddress[];
	let timer: ReturnType<typeof setTimeout> | undefined;
	try {
		// A resolver that never answers must not hold the request (the save is interactive).
		const timeout = new Promise<never>((_, fail) => {
			timer = setTimeout(() => fail(new Error('timeout')), WEBHOOK_DNS_TIMEOUT_MS);
		});
		addresses = await Promise.race([dnsLookupAsync(host, { all: true }), timeout]);
	} catch {
		return { ok: false, reason: `has a host name (${host.slice(0, 100)}) that could not be found` };
	} finally {
		clearTimeout(timer);
	}
	if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) {
		return { ok: false, reason: PRIVATE_REFUSED };
	}
	return syntax;
}

/** A DNS lookup for the connection that drops private answers (unless allowed). */
function guardedLookup(allowPrivate: boolean): LookupFunction {
	return (hostname: string, options: LookupOptions, cb) => {
		dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
			if (err) return cb(err, '', 0);
			const usable = allowPrivate ? addresses : addresses.filter((a) => !isPrivateAddress(a.address));
			if (usable.length === 0) {
				const e: NodeJS.ErrnoException = new Error(`${hostname} resolves only to private addresses`);
				e.code = 'EPRIVATEADDR';
				return cb(e, '', 0);
			}
			if (options.all) cb(null, usable);
			else cb(null, usable[0]!.address, usable[0]!.family);
		});
	};
}

export interface DeliveryOptions {
	allowPrivate: boolean;
	/** total tries (first + retries) */
	attempts?: number;
	/** wait before retry i (ms); the last value repeats */
	backoffMs?: number[];
	timeoutMs?: number;
	/** the longest wait a 429's Retry-After may ask for (ms); longer asks are cut to this */
	maxRetryAfterMs?: number;
}

export interface DeliveryResult {
	status: 'delivered' | 'failed';
	attempts: number;
	error: string | null;
}

/**
 * Bounded retries: 3 tries, 1 s then 5 s apart (up to 10 s when a 429 asks for longer), 10 s per try —
 * a receiver that is briefly down still gets the alert, one that is gone costs at most ~36 s of the
 * post-poll work (~50 s if it keeps answering 429 with a long Retry-After).
 */
export const WEBHOOK_ATTEMPTS = 3;
export const WEBHOOK_BACKOFF_MS = [1000, 5000];
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** A 429's Retry-After is honoured up to this, so a receiver cannot hold the post-poll work for long. */
export const WEBHOOK_MAX_RETRY_AFTER_MS = 10_000;

/** Retry-After as delay-seconds or an HTTP date → ms from now; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
	const v = (Array.isArray(value) ? value[0] : value)?.trim();
	if (!v) return undefined;
	if (/^\d+$/.test(v)) return Number(v) * 1000;
	const at = Date.parse(v);
	return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * POSTs JSON to a webhook. Retries on network errors, timeouts, 429 (after its Retry-After, capped) and
 * 5xx; gives up at once on other answers (3xx included: redirects are not followed, their target was
 * never checked).
 */
export async function deliverWebhook(
	rawUrl: string,
	payload: unknown,
	opts: DeliveryOptions
): Promise<DeliveryResult> {
	const attempts = Math.max(1, opts.attempts ?? WEBHOOK_ATTEMPTS);
	const backoff = opts.backoffMs ?? WEBHOOK_BACKOFF_MS;
	const timeoutMs = opts.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
	const syntax = checkWebhookUrlSyntax(rawUrl);
	if (!syntax.ok) return { status: 'failed', attempts: 0, error: `webhook URL ${syntax.reason}` };
	const host = syntax.url.hostname.replace(/^\[|\]$/g, '');
	// Delivery records are shown on the public /alerts page: they name the host, never the URL.
	const hostOnly = (message: string) => redactUrlIn(`${syntax.url.host}: ${message}`, rawUrl).slice(0, 300);
	// An IP literal never goes through DNS, so the guarded lookup below would not see it.
	if (!opts.allowPrivate && isIP(host) && isPrivateAddress(host)) {
		return { status: 'failed', attempts: 0, error: hostOnly('webhook URL points to a private address') };
	}
	const agent = new Agent({
		connect: { lookup: guardedLookup(opts.allowPrivate), timeout: timeoutMs },
		headersTimeout: timeoutMs,
		bodyTimeout: timeoutMs
	});
	const body = JSON.stringify(payload);
	let error: string | null = null;
	try {
		for (let i = 1; i <= attempts; i++) {
			let retry = false;
			let askedWaitMs: number | undefined;
			try {
				const res = await request(syntax.url, {
					method: 'POST',
					dispatcher: agent,
					headers: { 'content-type': 'application/json', 'user-agent': 'gpu-rental-dashboard-alerts/1' },
					body,
					signal: AbortSignal.timeout(timeoutMs)
				});
				await res.body.dump();
				if (res.statusCode >= 200 && res.statusCode < 300)
					return { status: 'delivered', attempts: i, error: null };
				error = hostOnly(`HTTP ${res.statusCode}`);
				retry = res.statusCode === 429 || res.statusCode >= 500;
				if (res.statusCode === 429) askedWaitMs = retryAfterMs(res.headers['retry-after']);
			} catch (err) {
				const e = err as NodeJS.ErrnoException;
				const code = e.code ?? (e.cause as NodeJS.ErrnoException | undefined)?.code;
				error = hostOnly(`${code ? code + ': ' : ''}${e.message}`);
				retry = code !== 'EPRIVATEADDR';
			}
			if (!retry) return { status: 'failed', attempts: i, error };
			if (i < attempts) {
				const planned = backoff[Math.min(i - 1, backoff.length - 1)] ?? 0;
				// A 429 that says when to come back is waited for (never less than the backoff, never past the cap).
				const cap = opts.maxRetryAfterMs ?? WEBHOOK_MAX_RETRY_AFTER_MS;
				const wait = askedWaitMs === undefined ? planned : Math.max(planned, Math.min(askedWaitMs, cap));
				await new Promise((r) => setTimeout(r, wait));
			} else {
				return { status: 'failed', attempts: i, error };
			}
		}
		return { status: 'failed', attempts, error };
	} finally {
		await agent.close().catch(() => {});
	}
}
