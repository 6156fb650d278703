import { getApp } from '$lib/server/app';
import { ARCHIVE_ATTRIBUTION, ARCHIVE_ATTRIBUTION_URL } from '$lib/server/archive';
import { enabledProviders } from '$lib/server/providers';
import { readTrends } from '$lib/server/cache/stored-trends';
import type { PageServerLoad } from './$types';

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
