import { json } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { getProviderHealth } from '$lib/server/providers';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	const { database, config } = getApp();
	const now = new Date();
	return json({
		asOf: now.toISOString(),
		pollIntervalMinutes: config.pollIntervalMinutes,
		providers: await getProviderHealth(database.db, config, now)
	});
};
