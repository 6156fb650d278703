import { fail } from '@sveltejs/kit';
import { GPUS } from '../../../adapters/catalog.ts';
import { PROVIDERS } from '../../../adapters/types.ts';
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
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { db } = getApp().database;
	const [watches, firings] = await Promise.all([listWatches(db), listFirings(db, 50)]);
	return {
		watches,
		firings,
		gpus: GPUS.map((g) => ({ slug: g.slug, name: g.name })),
		providers: [...PROVIDERS]
	};
};

export const actions: Actions = {
	create: async ({ request }) => {
		const form = await request.formData();
		// Only the watch's own fields travel back into the re-rendered form (a file upload becomes '').
		const values = Object.fromEntries(
			Object.keys(watchInputSchema.shape).flatMap((k) => {
				const v = form.get(k);
				return v === null ? [] : [[k, typeof v === 'string' ? v : '']];
			})
		);
		const parsed = watchInputSchema.safeParse(values);
		if (!parsed.success) {
			const issue = parsed.error.issues[0]!;
			return fail(400, { field: String(issue.path[0] ?? ''), error: issue.message, values });
		}
		const app = getApp();
		try {
			const watch = await createWatch(app.database.db, parsed.data, {
				allowPrivate: app.config.alertAllowPrivate
			});
			return { created: watch.id };
		} catch (err) {
			if (err instanceof WatchError) return fail(400, { field: err.field, error: err.message, values });
			throw err;
		}
	},
	delete: async ({ request }) => {
		const parsed = watchIdSchema.safeParse((await request.formData()).get('id'));
		if (!parsed.success) return fail(400, { field: 'id', error: 'invalid watch id' });
		const ok = await deleteWatch(getApp().database.db, parsed.data);
		if (!ok) return fail(404, { field: 'id', error: 'no such watch' });
		return { deleted: parsed.data };
	}
};
