import { json } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { listOffers } from '$lib/server/offers/list';
import { enabledProviders, getFreshness } from '$lib/server/providers';
import { offersQuerySchema, parseQuery } from '$lib/offers/filters';
import { offersToCsv } from '$lib/server/offers/csv';
import { badRequest } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** Default and maximum page: issue 3, `limit` 1–5000. */
const MAX_LIMIT = 5000;

export const GET: RequestHandler = async ({ url }) => {
	const query = parseQuery(offersQuerySchema, url.searchParams);
	// `param` is the field's name under the API's first spelling (kept for existing clients).
	if (!query.ok) return badRequest(query.param, query.message, { param: query.param });
	const { limit = MAX_LIMIT, format = 'json', sort, dir, trusted, ...filters } = query.value;
	const { database, config } = getApp();
	const [list, freshness] = await Promise.all([
		listOffers(database.db, filters, { limit, sort, dir, trusted, scope: enabledProviders(config) }),
		getFreshness(database.db, config)
	]);
	const staleBy = new Map(freshness.map((f) => [f.provider, f.stale]));
	const offers = list.offers.map(({ gpuDisplayName: _name, ...o }) => ({
		...o,
		stale: staleBy.get(o.provider) ?? false
	}));
	// asOf: when the oldest snapshot in the answer was observed (every price is at least that fresh).
	const providersInAnswer = new Set(offers.map((o) => o.provider));
	const times = freshness
		.filter((f) => f.observedAt && (providersInAnswer.size === 0 || providersInAnswer.has(f.provider)))
		.map((f) => f.observedAt!)
		.sort();
	const asOf = times[0] ?? null;
	if (format === 'csv') {
		return new Response(offersToCsv(offers), {
			headers: {
				'content-type': 'text/csv; charset=utf-8',
				'content-disposition': 'attachment; filename="gpu-offers.csv"'
			}
		});
	}
	// available=true leaves offers of unknown stock out (Lambda from SkyPilot's catalog): say so.
	const notes =
		filters.available === true
			? freshness
					.filter((f) => f.sourceNote && enabledProviders(config).includes(f.provider))
					.map((f) => `${f.label} left out by available=true: ${f.sourceNote}`)
			: [];
	// untrusted: how many of the offers matching the filters no price is taken from (whatever `trusted` kept)
	return json({
		asOf,
		total: list.total,
		untrusted: list.untrusted,
		limit,
		offers,
		snapshots: freshness,
		notes
	});
};
