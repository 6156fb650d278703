import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { building } from '$app/environment';
import { startApp } from '$lib/server/app';
import { archiveBootstrapHook } from '$lib/server/archive';
import { historyMaintenanceHook } from '$lib/server/history-jobs';
import { ConfigError } from '$lib/server/config';
import { isDatabaseUnavailable } from '$lib/server/db/errors';
import { DataDirLockedError } from '$lib/server/db/lock';
import { pollerHook } from '$lib/server/poller';

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

export const handle: Handle = async ({ event, resolve }) => {
	if (crossSiteForm(event.request, event.url)) {
		return new Response(`Cross-site ${event.request.method} form submissions are forbidden`, {
			status: 403,
			headers: { 'content-type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }
		});
	}
	let response = await resolve(event);
	if (event.locals.databaseUnavailable && response.status === 500) {
		// The database is unreachable (not a bug): answer 503 so clients and proxies retry later.
		const headers = new Headers(response.headers);
		headers.set('Retry-After', '30');
		response = new Response(response.body, { status: 503, statusText: 'Service Unavailable', headers });
	}
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	return response;
};

export const handleError: HandleServerError = ({ error, status, event }) => {
	if (isDatabaseUnavailable(error)) {
		event.locals.databaseUnavailable = true;
		console.error(`[app] database unavailable: ${(error as Error)?.message ?? error}`);
		return {
			message: 'The database is unavailable right now. The dashboard will recover by itself when it is back.',
			code: 'database_unavailable'
		};
	}
	if (status !== 404) console.error('[app] unhandled error:', error);
	return { message: status === 404 ? 'Not found' : 'Internal error' };
};
