import { fail } from '@sveltejs/kit';
import { GPUS } from '../../../adapters/catalog.ts';
import { GPU_FAMILIES } from '../../../adapters/gpu-families.ts';
import { PROVIDERS } from '../../../adapters/types.ts';
import { getApp } from '$lib/server/app';
import { enabledProviders } from '$lib/server/providers';
import { publicWatch } from '$lib/server/alert-access';
import {
	checkSchedule,
	cheapestNowByWatch,
	createOwnedWatch,
	formError,
	limitMessage,
	watchValuesFromForm
} from '$lib/server/alert-manage';
import { listFirings, listWatches, watchIdSchema, watchInputSchema, WatchError } from '$lib/server/alerts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, setHeaders }) => {
	const app = getApp();
	const { db } = app.database;
	const [watches, firings, cheapest, schedule] = await Promise.all([
		listWatches(db),
		listFirings(db, 50),
		cheapestNowByWatch(db, enabledProviders(getApp().config)),
		checkSchedule(db, app.config.pollIntervalMinutes)
	]);
	setHeaders({ 'Cache-Control': 'no-store' });
	const deleted = watchIdSchema.safeParse(url.searchParams.get('deleted'));
	return {
		watches: watches.map((w) => ({ ...publicWatch(w), cheapestNow: cheapest.get(w.id) ?? null })),
		firings,
		schedule,
		deleted: deleted.success ? deleted.data : null,
		gpus: GPUS.map((g) => ({ slug: g.slug, name: g.name })),
		families: GPU_FAMILIES.map((f) => ({ slug: f.slug, name: f.name, variants: f.members.length })),
		providers: [...PROVIDERS]
	};
};

export const actions: Actions = {
	create: async ({ request, getClientAddress, setHeaders }) => {
		const form = await request.formData();
		const values = watchValuesFromForm(form);
		const parsed = watchInputSchema.safeParse(values);
		if (!parsed.success) {
			const issue = parsed.error.issues[0]!;
			return fail(400, { ...formError(String(issue.path[0] ?? ''), issue.message), values });
		}
		const app = getApp();
		try {
			const res = await createOwnedWatch(app.database.db, parsed.data, {
				allowPrivate: app.config.alertAllowPrivate,
				client: getClientAddress(),
				limitPerHour: app.config.alertCreateLimitPerHour
			});
			if (!res.ok) {
				setHeaders({ 'Retry-After': String(res.retryAfterSeconds) });
				return fail(429, { field: '', error: limitMessage(res), values });
			}
			return {
				created: res.watch.id,
				managePath: `/alerts/manage/${res.manageToken}`
			};
		} catch (err) {
			if (err instanceof WatchError) return fail(400, { ...formError(err.field, err.message), values });
			throw err;
		}
	}
};
