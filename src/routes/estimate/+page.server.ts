import { redirect } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { getPageFreshness } from '$lib/server/providers';
import { readArchiveReferences, readCurrentOffers, readCurrentSnapshots } from '$lib/server/estimate-prices';
import { formFromQuery, formToQuery } from './form';
import type { PageServerLoad } from './$types';

/**
 * The estimate itself is computed in the page (the same code on the server and in the browser); prices
 * come from here. Without JavaScript the form submits with GET to /estimate: its raw fields (empty ones,
 * a pasted config in `customConfig`) are redirected to the canonical URL, which is also the query of
 * GET /api/estimate. (A POST form action would be refused by SvelteKit's CSRF check on a plain-http
 * deployment without ORIGIN, which adapter-node then takes to be https.)
 */
export const load: PageServerLoad = async ({ url }) => {
	if ([...url.searchParams.keys()].length > 0) {
		const canonical = formToQuery(formFromQuery(url.searchParams)).toString();
		if (canonical !== url.searchParams.toString()) redirect(303, `/estimate?${canonical}`);
	}
	const { database, config } = getApp();
	const db = database.db;
	const [offers, archive, snapshots, freshness] = await Promise.all([
		readCurrentOffers(db),
		readArchiveReferences(db),
		readCurrentSnapshots(db),
		getPageFreshness(db, config)
	]);
	return { offers, archive, snapshots, freshness };
};
