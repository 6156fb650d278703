import { error, redirect } from '@sveltejs/kit';
import { refuseRepeatedParams } from '$lib/server/api';
import { getApp } from '$lib/server/app';
import { compareByGpu, filterOptions, REFERENCE_JOB_TEXT, sortCompareRows } from '$lib/server/offers/compare';
import { enabledProviders, freshnessRow, getProviderHealth } from '$lib/server/providers';
import { compareQuerySchema, parseQuery, withoutEmptyParams } from '$lib/offers/filters';
import { VASTAI_ALLOCATED_STORAGE_GB } from '#adapters/vastai.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const clean = withoutEmptyParams(url.searchParams);
	if (clean !== null) redirect(303, `${url.pathname}${clean}`);
	refuseRepeatedParams(url.searchParams, Object.keys(compareQuerySchema.shape));
	const query = parseQuery(compareQuerySchema, url.searchParams);
	if (!query.ok) error(400, `Invalid parameter ${query.param}: ${query.message}`);
	const { sort = 'catalog', dir = 'asc', ...filters } = query.value;
	const { database, config } = getApp();
	const now = new Date();
	const scope = enabledProviders(config);
	const [rows, health, options] = await Promise.all([
		compareByGpu(database.db, filters, scope),
		getProviderHealth(database.db, config, now),
		filterOptions(database.db, scope)
	]);
	return {
		now: now.toISOString(),
		filters,
		sort,
		dir,
		rows: sortCompareRows(rows, sort, dir),
		providers: health.map((h) => ({ ...freshnessRow(h), offers: h.offers })),
		options,
		vastaiStorageGb: VASTAI_ALLOCATED_STORAGE_GB,
		referenceJob: REFERENCE_JOB_TEXT
	};
};
