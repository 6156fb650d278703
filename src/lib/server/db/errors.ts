/**
 * Is this error "the database is unreachable" (server stopped, restarting, network gone) rather than a
 * bug? Such errors become a 503 page (and the poller retries at its next interval); postgres.js
 * reconnects by itself once the server is back, so nothing needs a restart.
 */
const CONNECTION_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'CONNECT_TIMEOUT',
	'57P01', // admin_shutdown
	'57P02', // crash_shutdown
	'57P03' // cannot_connect_now (starting up / shutting down)
]);

export function isDatabaseUnavailable(err: unknown): boolean {
	const seen = new Set<unknown>();
	let e: unknown = err;
	while (e && typeof e === 'object' && !seen.has(e)) {
		seen.add(e);
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
		const errors = (e as { errors?: unknown }).errors;
		if (Array.isArray(errors) && errors.some((x) => isDatabaseUnavailable(x))) return true;
		e = (e as { cause?: unknown }).cause;
	}
	return false;
}
