/**
 * GET /api/hub-config?id=owner/name: the config.json of a Hugging Face model as the estimator reads it
 * (from the database, or fetched from HF_ENDPOINT once), for the /estimate page that estimates in the
 * browser. A failure is a 400 naming the model and the reason (not found, gated, unreachable, unreadable).
 */
import { json, type RequestHandler } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { resolveHubConfig } from '$lib/server/hub-config';
import { repeatedParamResponse } from '$lib/server/api';

export const GET: RequestHandler = async ({ url }) => {
	const repeated = repeatedParamResponse(url.searchParams, ['id']);
	if (repeated) return repeated;
	const id = (url.searchParams.get('id') ?? '').trim();
	const app = getApp();
	const got = await resolveHubConfig(app.database.db, id, {
		endpoint: app.config.hfEndpoint,
		token: app.config.hfToken
	});
	if (!got.ok) return json({ error: got.message, reason: got.reason, id }, { status: 400 });
	return json({ id, config: got.config, cached: got.cached });
};
