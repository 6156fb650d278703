import { redirect } from '@sveltejs/kit';
import { refuseRepeatedParams } from '$lib/server/api';
import { hubModelId } from '$lib/estimate/request';
import { getApp } from '$lib/server/app';
import { cachedPageData } from '$lib/server/cache/per-version';
import { enabledProviders, getPageFreshness } from '$lib/server/providers';
import { resolveHubConfig } from '$lib/server/hub-config';
import { readArchiveReferences, readCurrentOffers, readCurrentSnapshots } from '$lib/server/estimate-prices';
import { formFromQuery, formToQuery } from './form';
import type { PageServerLoad } from './$types';

/**
 * The estimate itself is computed in the page (the same code on the server and in the browser); prices
 * come from here. Without JavaScript the form submits with GET to /estimate: its raw fields (empty ones,
 * a pasted config in `customConfig`) are redirected to the canonical URL, which is also the query of
 * GET /api/estimate. GET rather than a form action: the answer is a pure function of the query, so the
 * URL is the estimate, to share or bookmark (cross-site POSTs are checked in src/hooks.server.ts).
 */
export const load: PageServerLoad = async ({ url }) => {
	// Every field of the form is read once: a repeated one is refused, whichever it is.
	refuseRepeatedParams(url.searchParams, new Set(url.searchParams.keys()));
	if ([...url.searchParams.keys()].length > 0) {
		const canonical = formToQuery(formFromQuery(url.searchParams)).toString();
		if (canonical !== url.searchParams.toString()) redirect(303, `/estimate?${canonical}`);
	}
	const app = getApp();
	const { db } = app.database;
	const scope = enabledProviders(app.config);
	// a model outside the list: its config.json (database, else the Hub) so the page can estimate it
	const hubId = hubModelId({ model: url.searchParams.get('model') ?? '' });
	// the same prices for every visit: read once per data version (src/lib/server/cache/per-version.ts)
	const prices = cachedPageData(db, 'estimate', () =>
		Promise.all([
			readCurrentOffers(db, scope),
			readArchiveReferences(db),
			readCurrentSnapshots(db, scope),
			getPageFreshness(db, app.config)
		])
	);
	const [[offers, archive, snapshots, freshness], hub] = await Promise.all([
		prices,
		hubId ? resolveHubConfig(db, hubId, { endpoint: app.config.hfEndpoint, token: app.config.hfToken }) : null
	]);
	return {
		offers,
		archive,
		snapshots,
		freshness,
		hub: hub ? { id: hub.id, config: hub.ok ? hub.config : null, error: hub.ok ? null : hub.message } : null
	};
};
