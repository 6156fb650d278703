import { json } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { authorizeWatch, bearerToken, fullWatch, publicWatch } from '$lib/server/alerts/access';
import { createOwnedWatch, limitMessage, updateWatch, watchPatchSchema } from '$lib/server/alerts/manage';
import {
	deleteWatch,
	getWatch,
	listFirings,
	listWatches,
	watchIdSchema,
	watchInputSchema,
	WatchError
} from '$lib/server/alerts/watches';
import { badRequest, fieldError, readJsonBody, zodBadRequest, repeatedParamResponse } from '$lib/server/api';
import type { RequestHandler } from './$types';

const NO_STORE = { 'Cache-Control': 'no-store' };

/** 401/403/404 in the API's error shape; a 401 says which scheme it wants. */
function denied(status: number, message: string): Response {
	const res = fieldError(status, { field: 'authorization', message });
	if (status === 401) res.headers.set('WWW-Authenticate', 'Bearer realm="alert watches"');
	return res;
}

/** The id of ?id=N, or (DELETE, PATCH) of the JSON body's "id". */
function idFrom(url: URL, body?: unknown) {
	const raw = url.searchParams.get('id') ?? (body as { id?: unknown } | null)?.id;
	return watchIdSchema.safeParse(raw);
}

/**
 * GET /api/alerts → { watches, firings } (the 100 newest firings), webhooks as scheme and host only.
 * GET /api/alerts?id=N → { watch, firings }: in full (webhookUrl) with the watch's manage token or
 * ADMIN_TOKEN as a Bearer credential, else the public view; a wrong credential is a 403.
 */
export const GET: RequestHandler = async ({ url, request }) => {
	const repeated = repeatedParamResponse(url.searchParams, ['id']);
	if (repeated) return repeated;
	const app = getApp();
	const { db } = app.database;
	if (url.searchParams.has('id')) {
		const id = idFrom(url);
		if (!id.success) return badRequest('id', 'expected a watch id');
		const watch = await getWatch(db, id.data);
		if (!watch) return fieldError(404, { field: 'id', message: 'no such watch' });
		const presented = bearerToken(request);
		let full = false;
		if (presented !== null) {
			const auth = await authorizeWatch(db, id.data, presented, app.config.adminToken);
			if (!auth.ok) return denied(auth.status, auth.message);
			full = true;
		}
		const firings = await listFirings(db, 100, id.data);
		return json({ watch: full ? fullWatch(watch) : publicWatch(watch), firings }, { headers: NO_STORE });
	}
	const [watches, firings] = await Promise.all([listWatches(db), listFirings(db, 100)]);
	return json({ watches: watches.map(publicWatch), firings }, { headers: NO_STORE });
};

/**
 * POST /api/alerts with a JSON watch → 201 { watch, manageToken, managePath }. The token is shown only
 * here: keep it. 429 with Retry-After past ALERT_CREATE_LIMIT_PER_HOUR creations of this client.
 */
export const POST: RequestHandler = async ({ request, getClientAddress }) => {
	const body = await readJsonBody(request);
	if (!body.ok) return body.response;
	const parsed = watchInputSchema.safeParse(body.value);
	if (!parsed.success) return zodBadRequest(parsed.error, 'body');
	const app = getApp();
	try {
		const res = await createOwnedWatch(app.database.db, parsed.data, {
			allowPrivate: app.config.alertAllowPrivate,
			client: getClientAddress(),
			limitPerHour: app.config.alertCreateLimitPerHour
		});
		if (!res.ok) {
			const r = fieldError(429, { field: 'body', message: limitMessage(res) });
			r.headers.set('Retry-After', String(res.retryAfterSeconds));
			return r;
		}
		return json(
			{
				watch: fullWatch(res.watch),
				manageToken: res.manageToken,
				// A path: the origin the server sees (behind a proxy, without ORIGIN) may not be the user's.
				managePath: `/alerts/manage/${res.manageToken}`
			},
			{ status: 201, headers: NO_STORE }
		);
	} catch (err) {
		if (err instanceof WatchError) return badRequest(err.field, err.message);
		throw err;
	}
};

/** Optional fields sent as null in an edit are cleared. */
const CLEARABLE = ['provider', 'region', 'webhookUrl', 'label'] as const;

/**
 * PATCH /api/alerts?id=N with a JSON object of the fields to change (any subset of a watch's fields,
 * null clears an optional one; "paused": true|false) → 200 { watch }. Needs the manage token or ADMIN_TOKEN.
 */
export const PATCH: RequestHandler = async ({ url, request }) => {
	const repeated = repeatedParamResponse(url.searchParams, ['id']);
	if (repeated) return repeated;
	const app = getApp();
	const { db } = app.database;
	const body = await readJsonBody(request);
	if (!body.ok) return body.response;
	const id = idFrom(url, body.value);
	if (!id.success) return badRequest('id', 'expected a watch id');
	const auth = await authorizeWatch(db, id.data, bearerToken(request), app.config.adminToken);
	if (!auth.ok) return denied(auth.status, auth.message);
	if (typeof body.value !== 'object' || body.value === null || Array.isArray(body.value))
		return badRequest('body', 'expected a JSON object');
	const { id: _id, ...fields } = body.value as Record<string, unknown>;
	void _id;
	const cleared = Object.fromEntries(CLEARABLE.filter((k) => fields[k] === null).map((k) => [k, null]));
	for (const k of Object.keys(cleared)) delete fields[k];
	const parsed = watchPatchSchema.safeParse(fields);
	if (!parsed.success) return zodBadRequest(parsed.error, 'body');
	try {
		const watch = await updateWatch(
			db,
			id.data,
			{ ...parsed.data, ...cleared },
			{
				allowPrivate: app.config.alertAllowPrivate
			}
		);
		if (!watch) return fieldError(404, { field: 'id', message: 'no such watch' });
		return json({ watch: fullWatch(watch) }, { headers: NO_STORE });
	} catch (err) {
		if (err instanceof WatchError) return badRequest(err.field, err.message);
		throw err;
	}
};

/**
 * DELETE /api/alerts?id=N (or a JSON body {"id": N}) → 204; needs the manage token or ADMIN_TOKEN
 * (401 without a credential, 403 with a wrong one, 404 when there is no such watch).
 */
export const DELETE: RequestHandler = async ({ url, request }) => {
	const repeated = repeatedParamResponse(url.searchParams, ['id']);
	if (repeated) return repeated;
	const app = getApp();
	const { db } = app.database;
	let body: unknown;
	if (!url.searchParams.has('id')) {
		const b = await readJsonBody(request);
		if (!b.ok) return b.response;
		body = b.value;
	}
	const id = idFrom(url, body);
	if (!id.success) return badRequest('id', 'expected a watch id');
	const auth = await authorizeWatch(db, id.data, bearerToken(request), app.config.adminToken);
	if (!auth.ok) return denied(auth.status, auth.message);
	if (!(await deleteWatch(db, id.data))) return fieldError(404, { field: 'id', message: 'no such watch' });
	return new Response(null, { status: 204 });
};
