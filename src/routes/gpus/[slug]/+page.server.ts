import { error, redirect } from '@sveltejs/kit';
import { refuseRepeatedParams } from '$lib/server/api';
import { getApp } from '$lib/server/app';
import { ARCHIVE_ATTRIBUTION, ARCHIVE_ATTRIBUTION_URL } from '$lib/server/archive';
import { loadGpuHistory, parseRange, RANGES } from '$lib/server/history/ranges';
import { compareByGpu, qloraUsdPerMTokens, REFERENCE_JOB_TEXT } from '$lib/server/offers/compare';
import { listOffers } from '$lib/server/offers/list';
import { enabledProviders, freshnessRow, getProviderHealth } from '$lib/server/providers';
import { gpuOffersQuerySchema, parseQuery, withoutEmptyParams } from '$lib/offers/filters';
import { gpuBySlug } from '#catalog/gpus.ts';
import { specDocument } from '#catalog/spec-documents.ts';
import type { PageServerLoad } from './$types';

/** Offers shown on the page; the rest are a click away in the API. */
const PAGE_LIMIT = 500;

export const load: PageServerLoad = async ({ params, url }) => {
	const gpu = gpuBySlug(params.slug);
	if (!gpu) error(404, `No GPU "${params.slug.slice(0, 40)}" in the catalog`);
	const clean = withoutEmptyParams(url.searchParams);
	if (clean !== null) redirect(303, `${url.pathname}${clean}`);
	refuseRepeatedParams(url.searchParams, [...Object.keys(gpuOffersQuerySchema.shape), 'range']);
	const query = parseQuery(gpuOffersQuerySchema, url.searchParams);
	if (!query.ok) error(400, `Invalid parameter ${query.param}: ${query.message}`);
	const {
		sort = 'price',
		dir = 'asc',
		limit: _limit,
		format: _format,
		gpu: _gpu,
		trusted: _trusted,
		untrusted = 'hide',
		...filters
	} = query.value;
	// Untrusted offers (src/lib/trust.ts) are listed, but only on request: hidden by default.
	const showUntrusted = untrusted === 'show';
	const { database, config } = getApp();
	const now = new Date();
	const scope = enabledProviders(config);
	const range = parseRange(url.searchParams.get('range'));
	if (!range) error(400, `Invalid parameter range: expected one of ${RANGES.map((r) => r.key).join(', ')}`);
	const [list, summary, health, history] = await Promise.all([
		listOffers(
			database.db,
			{ ...filters, gpu: gpu.slug },
			{ limit: PAGE_LIMIT, sort, dir, scope, trusted: showUntrusted ? undefined : true }
		),
		compareByGpu(database.db, { gpu: gpu.slug }, scope),
		getProviderHealth(database.db, config, now),
		loadGpuHistory(database.db, gpu.slug, range, now)
	]);
	return {
		now: now.toISOString(),
		gpu,
		// The datasheet (or whitepaper) the specs come from, by title and URL.
		specDocument: specDocument(gpu.slug),
		filters,
		sort,
		dir,
		offers: list.offers,
		total: list.total,
		untrusted: list.untrusted,
		showUntrusted,
		limit: PAGE_LIMIT,
		summary: summary[0] ?? null,
		// The performance-normalized price per provider, at its cheapest available on-demand offer.
		perf: Object.fromEntries(
			Object.entries(summary[0]?.cells ?? {}).map(([p, c]) => [
				p,
				qloraUsdPerMTokens(gpu.slug, c.on_demand?.minAvailableUsd ?? null)
			])
		) as Record<string, number | null>,
		referenceJob: REFERENCE_JOB_TEXT,
		history,
		ranges: RANGES.map((r) => ({ key: r.key, label: r.label })),
		attribution: { text: ARCHIVE_ATTRIBUTION, url: ARCHIVE_ATTRIBUTION_URL },
		providers: health.map(freshnessRow)
	};
};
