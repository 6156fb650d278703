/**
 * POST /api/estimate (JSON body) and GET /api/estimate?… (the same fields as query parameters):
 * memory, fit, throughput, time and cost at current offers of a fine-tune or serving job.
 * Invalid input → 400 naming the field; an unknown model or GPU → 400 listing what exists.
 */
import { json, type RequestHandler } from '@sveltejs/kit';
import { buildAnswer } from '$lib/estimate-answer';
import { parseEstimateQuery, parseEstimateRequest, type Parsed } from '$lib/estimate-input';
import { readJsonBody } from '$lib/server/api';
import { getApp } from '$lib/server/app';
import { enabledProviders } from '$lib/server/providers';
import { readArchiveReferences, readCurrentOffers, readCurrentSnapshots } from '$lib/server/estimate-prices';

async function answer(parsed: Parsed): Promise<Response> {
	if (!parsed.ok) {
		const { status, ...body } = parsed.error;
		return json({ error: body.message, ...body }, { status });
	}
	const { database, config } = getApp();
	const db = database.db;
	const scope = enabledProviders(config);
	const gpu = parsed.settings.gpu.slug;
	const [offers, archive, snapshots] = await Promise.all([
		readCurrentOffers(db, scope, gpu),
		readArchiveReferences(db, [gpu]),
		readCurrentSnapshots(db, scope)
	]);
	return json(
		buildAnswer(parsed.settings, offers, { archive: archive[0] ?? null, providersPolled: snapshots.length })
	);
}

export const GET: RequestHandler = ({ url }) => answer(parseEstimateQuery(url.searchParams));

export const POST: RequestHandler = async ({ request }) => {
	const body = await readJsonBody(request);
	if (!body.ok) return body.response;
	return answer(parseEstimateRequest(body.value));
};
