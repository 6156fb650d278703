import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { building } from '$app/environment';
import { getApp, startApp } from '$lib/server/app';
import { archiveBootstrapHook } from '$lib/server/archive';
import { answerWithCache } from '$lib/server/cache';
import { historyMaintenanceHook } from '$lib/server/history-jobs';
import { ConfigError } from '$lib/server/config';
import { isDatabaseUnavailable } from '$lib/server/db/errors';
import { DataDirLockedError } from '$lib/server/db/lock';
import { pollerHook } from '$lib/server/poll/scheduler';

export const init: ServerInit = async () => {
	if (building) return;
	try {
		// Order matters: the archive import runs before the first poll; the history/alerts listener is
		// subscribed before the poller's first cycle.
		const app = await startApp(process.env, [archiveBootstrapHook, historyMaintenanceHook, pollerHook]);
		const db = app.config.databaseUrl ? 'Postgres (DATABASE_URL)' : `PGlite in ${app.config.dataDir}`;
		console.log(`[app] database: ${db}`);
		// adapter-node emits this on SIGTERM/SIGINT after it stops accepting connections.
		process.once('sveltekit:shutdown', () => {
			void app.stop().then(() => console.log('[app] stopped'));
		});
	} catch (err) {
		if (err instanceof ConfigError || err instanceof DataDirLockedError) {
			console.error(`[app] ${err.message}`);
			process.exit(1);
		}
		throw err;
	}
};

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * Cross-site form posts are refused here instead of by SvelteKit's built-in check (turned off in
 * svelte.config.js): adapter-node takes the request's origin to be https://HOST when ORIGIN is unset,
 * so the built-in check refused every form of a plain-http install (`npm start` on localhost:3000) as
 * cross-site. This one compares the Origin header's host with the request's host.
 */
function crossSiteForm(request: Request, url: URL): boolean {
	if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method)) return false;
	const type = request.headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
	if (!FORM_TYPES.includes(type)) return false;
	const origin = request.headers.get('origin');
	if (!origin) return true;
	try {
		return new URL(origin).host !== url.host;
	} catch {
		return true;
	}
}

/**
 * Every request gets a time budget (REQUEST_TIMEOUT_MS): a request still unanswered then gets a 503 with
 * Retry-After instead of hanging (a database stuck on a lock, PGlite busy with a long write). Postgres
 * cancels the statement itself later (statement_timeout, db/index.ts); the late answer is dropped.
 */
async function resolveWithinBudget(
	event: Parameters<Handle>[0]['event'],
	resolve: Parameters<Handle>[0]['resolve']
): Promise<Response> {
	let budgetMs: number;
	try {
		budgetMs = getApp().config.requestTimeoutMs;
	} catch {
		return resolve(event); // not started (never in production: init runs first)
	}
	const work = Promise.resolve(resolve(event));
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late = new Promise<'late'>((ok) => {
		timer = setTimeout(() => ok('late'), budgetMs);
	});
	const first = await Promise.race([work, late]).finally(() => clearTimeout(timer));
	if (first !== 'late') return first;
	work.then((r) => r.body?.cancel().catch(() => {})).catch(() => {});
	// A manage link's path is a credential (alerts): never in the log.
	const path = event.url.pathname.replace(/^\/alerts\/manage\/.*/, '/alerts/manage/…');
	console.error(`[app] ${event.request.method} ${path} took over ${budgetMs} ms: answered 503`);
	const message = `The server took too long to answer (over ${Math.round(budgetMs / 100) / 10} s). Try again in a moment.`;
	const headers = { 'Retry-After': '10', 'Cache-Control': 'no-store' };
	if (event.url.pathname.startsWith('/api/')) {
		return Response.json({ error: message, code: 'timeout' }, { status: 503, headers });
	}
	const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Temporarily unavailable</title></head><body><h1>Temporarily unavailable</h1><p>${message}</p><p><a href="/">Back to the price comparison</a></p></body></html>`;
	return new Response(html, {
		status: 503,
		headers: { ...headers, 'content-type': 'text/html; charset=utf-8' }
	});
}

export const handle: Handle = async ({ event, resolve }) => {
	if (crossSiteForm(event.request, event.url)) {
		return new Response(`Cross-site ${event.request.method} form submissions are forbidden`, {
			status: 403,
			headers: { 'content-type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }
		});
	}
	// Shared answers are kept per data version, with ETag and compression (src/lib/server/cache); the
	// data version's read is inside the time budget too.
	let response = await resolveWithinBudget(event, (e) => answerWithCache(e, async () => resolve(e)));
	if (event.locals.databaseUnavailable && response.status === 500) {
		// The database is unreachable (not a bug): answer 503 so clients and proxies retry later.
		const headers = new Headers(response.headers);
		headers.set('Retry-After', '30');
		response = new Response(response.body, { status: 503, statusText: 'Service Unavailable', headers });
	}
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	if (!response.headers.has('content-security-policy')) {
		// Answers SvelteKit did not render (the 503 above, endpoints) get the strictest policy.
		response.headers.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
	}
	return response;
};

export const handleError: HandleServerError = ({ error, status, message, event }) => {
	if (isDatabaseUnavailable(error)) {
		event.locals.databaseUnavailable = true;
		console.error(`[app] database unavailable: ${(error as Error)?.message ?? error}`);
		return {
			message: 'The database is unavailable right now. The dashboard will recover by itself when it is back.',
			code: 'database_unavailable'
		};
	}
	// 4xx from SvelteKit itself (a body over BODY_SIZE_LIMIT, a malformed request): the client's
	// mistake, answered with SvelteKit's own short message and not logged as a server error.
	if (status < 500) return { message: status === 404 ? 'Not found' : message };
	console.error('[app] unhandled error:', error);
	return { message: 'Internal error' };
};
