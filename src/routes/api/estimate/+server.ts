/**
 * POST /api/estimate (JSON body) and GET /api/estimate?… (the same fields as query parameters):
 * memory, fit, throughput, time and cost at current offers of a fine-tune or serving job.
 * Invalid input → 400 naming the field; an unknown model or GPU → 400 listing what exists.
 */
import { json, type RequestHandler } from '@sveltejs/kit';
import { buildAnswer } from '$lib/estimate-answer';
import { parseEstimateQuery, parseEstimateRequest, type Parsed } from '$lib/estimate-input';
import { getApp } from '$lib/server/app';
import { readArchiveReferences, readCurrentOffers, readCurrentSnapshots } from '$lib/server/estimate-prices';

async function answer(parsed: Parsed): Promise<Response> {
	if (!parsed.ok) {
		const { status, ...body } = parsed.error;
		return json({ error: body.message, ...body }, { status });
	}
	const { db } = getApp().database;
	const gpu = parsed.settings.gpu.slug;
	const [offers, archive, snapshots] = await Promise.all([
		readCurrentOffers(db, gpu),
		readArchiveReferences(db, [gpu]),
		readCurrentSnapshots(db)
	]);
	return json(
		buildAnswer(parsed.settings, offers, { archive: archive[0] ?? null, providersPolled: snapshots.length })
	);
}

export const GET: RequestHandler = ({ url }) => answer(parseEstimateQuery(url.searchParams));

export const POST: RequestHandler = async ({ request }) => {
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		return json(
			{
				error: 'body: expected a JSON object',
				field: 'body',
				message: 'body: expected a JSON object',
				issues: [{ field: 'body', message: 'expected a JSON object' }]
			},
			{ status: 400 }
		);
	}
	return answer(parseEstimateRequest(body));
};
