import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { building } from '$app/environment';
import { startApp } from '$lib/server/app';
import { archiveBootstrapHook } from '$lib/server/archive';
import { historyMaintenanceHook } from '$lib/server/history-jobs';
import { ConfigError } from '$lib/server/config';
import { DataDirLockedError } from '$lib/server/db/lock';

export const init: ServerInit = async () => {
	if (building) return;
	try {
		const app = await startApp(process.env, [archiveBootstrapHook, historyMaintenanceHook]);
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

export const handle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	return response;
};

export const handleError: HandleServerError = ({ error, status }) => {
	if (status !== 404) console.error('[app] unhandled error:', error);
	return { message: status === 404 ? 'Not found' : 'Internal error' };
};
