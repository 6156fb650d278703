import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { getApp } from '$lib/server/app';
import {
	createWatch,
	deleteWatch,
	listFirings,
	listWatches,
	watchInputSchema,
	WatchError
} from '$lib/server/alerts';
import type { RequestHandler } from './$types';

/** GET /api/alerts → { watches, firings } (the 100 newest firings). */
export const GET: RequestHandler = async () => {
	const { db } = getApp().database;
	const [watches, firings] = await Promise.all([listWatches(db), listFirings(db, 100)]);
	return json({ watches, firings }, { headers: { 'Cache-Control': 'no-store' } });
};

/** POST /api/alerts with a JSON watch → 201 { watch }. */
export const POST: RequestHandler = async ({ request }) => {
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		error(400, 'body: expected a JSON object');
	}
	const parsed = watchInputSchema.safeParse(body);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		error(400, `${String(issue.path[0] ?? 'body')}: ${issue.message}`);
	}
	const app = getApp();
	try {
		const watch = await createWatch(app.database.db, parsed.data, {
			allowPrivate: app.config.alertAllowPrivate
		});
		return json({ watch }, { status: 201 });
	} catch (err) {
		if (err instanceof WatchError) error(400, `${err.field}: ${err.message}`);
		throw err;
	}
};

const idSchema = z.coerce.number().int().positive();

/** DELETE /api/alerts?id=N (or a JSON body {"id": N}) → 204, 404 when there is no such watch. */
export const DELETE: RequestHandler = async ({ url, request }) => {
	let raw: unknown = url.searchParams.get('id');
	if (raw === null) {
		const body = (await request.json().catch(() => null)) as { id?: unknown } | null;
		raw = body?.id;
	}
	const id = idSchema.safeParse(raw);
	if (!id.success) error(400, 'id: expected a watch id');
	if (!(await deleteWatch(getApp().database.db, id.data))) error(404, 'id: no such watch');
	return new Response(null, { status: 204 });
};
