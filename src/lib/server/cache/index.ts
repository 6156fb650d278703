/**
 * The answer cache as the server hook uses it (src/hooks.server.ts): shared answers per data version,
 * per-user ones no-store, text compressed either way.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { getApp } from '../app.ts';
import { cachePolicy, passAnswer, sharedAnswer, sharedCacheControl } from './answers.ts';
import { readDataVersion } from './data-version.ts';

export { readDataVersion } from './data-version.ts';

export async function answerWithCache(
	event: Pick<RequestEvent, 'request' | 'url'>,
	resolve: () => Promise<Response>
): Promise<Response> {
	const policy = cachePolicy(event.request.method, event.url.pathname);
	if (policy === 'shared') {
		let app: ReturnType<typeof getApp> | undefined;
		let version: number | undefined;
		try {
			app = getApp();
			version = await readDataVersion(app.database.db);
		} catch {
			// not started, or the database is unreachable: the route answers (a 503 page) as without a cache
		}
		if (app && version !== undefined) {
			const cacheControl = sharedCacheControl(app.config.pollIntervalMinutes);
			return sharedAnswer(event.request, resolve, { version, cacheControl });
		}
	}
	return passAnswer(event.request, await resolve(), policy);
}
