import { getApp } from '$lib/server/app';
import { getProviderHealth } from '$lib/server/providers';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { database, config } = getApp();
	const now = new Date();
	return {
		now: now.toISOString(),
		pollIntervalMinutes: config.pollIntervalMinutes,
		providers: await getProviderHealth(database.db, config, now)
	};
};
