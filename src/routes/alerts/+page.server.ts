import { fail } from '@sveltejs/kit';
import { refuseRepeatedParams } from '$lib/server/api';
import { getApp } from '$lib/server/app';
import { enabledProviders } from '$lib/server/providers';
import { publicWatch } from '$lib/server/alerts/access';
import {
	checkSchedule,
	cheapestNowByWatch,
	createOwnedWatch,
	formError,
	limitMessage,
	parseWatchForm,
	WATCH_FORM_CHOICES
} from '$lib/server/alerts/manage';
import { listFirings, listWatches, watchIdSchema, WatchError } from '$lib/server/alerts/watches';
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
	refuseRepeatedParams(url.searchParams, ['deleted']);
	const deleted = watchIdSchema.safeParse(url.searchParams.get('deleted'));
	return {
		watches: watches.map((w) => ({ ...publicWatch(w), cheapestNow: cheapest.get(w.id) ?? null })),
		firings,
		schedule,
		deleted: deleted.success ? deleted.data : null,
		...WATCH_FORM_CHOICES
	};
};

export const actions: Actions = {
	create: async ({ request, getClientAddress, setHeaders }) => {
		const { values, data, error } = parseWatchForm(await request.formData());
		if (!data) return fail(400, { ...error, values });
		const app = getApp();
		try {
			const res = await createOwnedWatch(app.database.db, data, {
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
