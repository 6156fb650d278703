import { getApp } from '$lib/server/app';
import { ARCHIVE_ATTRIBUTION, ARCHIVE_ATTRIBUTION_URL } from '$lib/server/archive';
import { enabledProviders } from '$lib/server/providers';
import { loadTrends } from '$lib/server/trends';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { database, config } = getApp();
	const trends = await loadTrends(database.db, enabledProviders(config));
	return {
		trends,
		now: new Date().toISOString(),
		attribution: { text: ARCHIVE_ATTRIBUTION, url: ARCHIVE_ATTRIBUTION_URL }
	};
};
