import { getApp } from '$lib/server/app';
import { ARCHIVE_ATTRIBUTION, ARCHIVE_ATTRIBUTION_URL } from '$lib/server/archive';
import { enabledProviders } from '$lib/server/providers';
import { readTrends } from '$lib/server/cache/stored-trends';
import type { PageServerLoad } from './$types';

/**
 * Nothing on /trends runs in the browser (tables, links, server-drawn sparklines): the page is sent as
 * HTML alone, without the JavaScript and without its data a second time as the hydration payload — over a
 * year of data that payload was 56 % of the page (386 of 692 KB), 72 % of it compressed. Links to it
 * load it as a page.
 */
export const csr = false;

export const load: PageServerLoad = async () => {
	const { database, config } = getApp();
	// computed once per poll cycle and stored (src/lib/server/cache/stored-trends.ts)
	const trends = await readTrends(database.db, enabledProviders(config));
	return {
		trends,
		now: new Date().toISOString(),
		attribution: { text: ARCHIVE_ATTRIBUTION, url: ARCHIVE_ATTRIBUTION_URL }
	};
};
