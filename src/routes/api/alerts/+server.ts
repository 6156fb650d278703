import { json } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import {
	createWatch,
	deleteWatch,
	listFirings,
	listWatches,
	watchIdSchema,
	watchInputSchema,
	WatchError
} from '$lib/server/alerts';
import { badRequest, fieldError, readJsonBody, zodBadRequest } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** GET /api/alerts → { watches, firings } (the 100 newest firings). */
export const GET: RequestHandler = async () => {
	const { db } = getApp().database;
	const [watches, firings] = await Promise.all([listWatches(db), listFirings(db, 100)]);
	return json({ watches, firings }, { headers: { 'Cache-Control': 'no-store' } });
};

/** POST /api/alerts with a JSON watch → 201 { watch }. */
export const POST: RequestHandler = async ({ request }) => {
	const body = await readJsonBody(request);
	if (!body.ok) return body.response;
	const parsed = watchInputSchema.safeParse(body.value);
	if (!parsed.success) return zodBadRequest(parsed.error, 'body');
	const app = getApp();
	try {
		const watch = await createWatch(app.database.db, parsed.data, {
			allowPrivate: app.config.alertAllowPrivate
		});
		return json({ watch }, { status: 201 });
	} catch (err) {
		if (err instanceof WatchError) return badRequest(err.field, err.message);
		throw err;
	}
};

/** DELETE /api/alerts?id=N (or a JSON body {"id": N}) → 204, 404 when there is no such watch. */
export const DELETE: RequestHandler = async ({ url, request }) => {
	let raw: unknown = url.searchParams.get('id');
	if (raw === null) {
		const body = await readJsonBody(request);
		if (!body.ok) return body.response;
		raw = (body.value as { id?: unknown } | null)?.id;
	}
	const id = watchIdSchema.safeParse(raw);
	if (!id.success) return badRequest('id', 'expected a watch id');
	if (!(await deleteWatch(getApp().database.db, id.data))) {
		return fieldError(404, { field: 'id', message: 'no such watch' });
	}
	return new Response(null, { status: 204 });
};
