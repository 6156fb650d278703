/**
 * POST /api/estimate (JSON body) and GET /api/estimate?… (the same fields as query parameters):
 * memory, fit, throughput, time and cost at current offers of a fine-tune or serving job.
 * Invalid input → 400 naming the field; an unknown GPU → 400 listing what exists; a model outside the
 * list is looked up on the Hugging Face Hub (src/lib/server/hub-config.ts) and fails with a 400 saying why.
 */
import { json, type RequestHandler } from '@sveltejs/kit';
import { buildAnswer } from '$lib/estimate/answer';
import { MODEL_IDS } from '$lib/estimator';
import {
	hubModelId,
	parseEstimateRequest,
	queryToObject,
	type HubConfigs,
	type Parsed
} from '$lib/estimate/request';
import { readJsonBody } from '$lib/server/api';
import { getApp } from '$lib/server/app';
import { cachedEstimate } from '$lib/server/cache/per-version';
import { enabledProviders } from '$lib/server/providers';
import { resolveHubConfig } from '$lib/server/hub-config';
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
	// kept per data version by the normalised request (src/lib/server/cache/per-version.ts)
	const body = await cachedEstimate(db, parsed.settings, async () => {
		const [offers, archive, snapshots] = await Promise.all([
			readCurrentOffers(db, scope, gpu),
			readArchiveReferences(db, [gpu]),
			readCurrentSnapshots(db, scope)
		]);
		return buildAnswer(parsed.settings, offers, {
			archive: archive[0] ?? null,
			providersPolled: snapshots.length
		});
	});
	return json(body);
}

/** A model id outside the list: its config.json from the database or the Hub, or a 400 saying why not. */
async function withHub(input: unknown): Promise<Response> {
	const id = hubModelId(input);
	const hub: HubConfigs = {};
	if (id) {
		const app = getApp();
		const got = await resolveHubConfig(app.database.db, id, {
			endpoint: app.config.hfEndpoint,
			token: app.config.hfToken
		});
		if (!got.ok) {
			const issues = [{ field: 'model', message: got.message }];
			const message = `model: ${got.message}`;
			// for an id that is not on the Hub, also what the built-in list has
			const known = got.reason === 'not-found' || got.reason === 'invalid-id' ? MODEL_IDS : undefined;
			return json(
				{ error: message, field: 'model', reason: got.reason, message, issues, known },
				{ status: 400 }
			);
		}
		hub[id] = got.config;
	}
	return answer(parseEstimateRequest(input, hub));
}

export const GET: RequestHandler = ({ url }) => {
	const q = queryToObject(url.searchParams);
	if (!q.ok) {
		const message = `${q.field}: ${q.message}`;
		return json(
			{ error: message, field: q.field, message, issues: [{ field: q.field, message: q.message }] },
			{ status: 400 }
		);
	}
	return withHub(q.value);
};

export const POST: RequestHandler = async ({ request }) => {
	const body = await readJsonBody(request);
	if (!body.ok) return body.response;
	return withHub(body.value);
};
