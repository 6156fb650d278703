import { error, fail, redirect } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { enabledProviders } from '$lib/server/providers';
import { fullWatch, watchIdByToken } from '$lib/server/alerts/access';
import {
	cheapestNowByWatch,
	clearedOptionalFields,
	formError,
	updateWatch,
	parseWatchForm,
	WATCH_FORM_CHOICES
} from '$lib/server/alerts/manage';
import { deleteWatch, getWatch, listFirings, WatchError } from '$lib/server/alerts/watches';
import type { Actions, PageServerLoad } from './$types';

const INVALID_LINK =
	'This manage link does not belong to any watch: it may be mistyped, or the watch was deleted.';

/** The watch id of the link's token, or a 403 (the token is the credential, and it is wrong). */
async function ownedId(token: string): Promise<number> {
	const id = await watchIdByToken(getApp().database.db, token);
	if (id === undefined) error(403, INVALID_LINK);
	return id;
}

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	// The page shows a secret (the webhook URL) and its address is a credential: never cached or sent on.
	setHeaders({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
	const id = await ownedId(params.token);
	const { db } = getApp().database;
	const [watch, firings, cheapest] = await Promise.all([
		getWatch(db, id),
		listFirings(db, 50, id),
		cheapestNowByWatch(db, enabledProviders(getApp().config))
	]);
	if (!watch) error(403, INVALID_LINK);
	return {
		watch: fullWatch(watch),
		cheapestNow: cheapest.get(id) ?? null,
		firings,
		...WATCH_FORM_CHOICES
	};
};

export const actions: Actions = {
	save: async ({ params, request }) => {
		const id = await ownedId(params.token);
		const form = await request.formData();
		const { values, data, error } = parseWatchForm(form);
		if (!data) return fail(400, { ...error, values });
		const app = getApp();
		try {
			await updateWatch(
				app.database.db,
				id,
				{ ...data, ...clearedOptionalFields(form) },
				{ allowPrivate: app.config.alertAllowPrivate }
			);
		} catch (err) {
			if (err instanceof WatchError) return fail(400, { ...formError(err.field, err.message), values });
			throw err;
		}
		return { saved: true };
	},
	pause: async ({ params }) => {
		const id = await ownedId(params.token);
		await updateWatch(getApp().database.db, id, { paused: true }, { allowPrivate: false });
		return { paused: true };
	},
	resume: async ({ params }) => {
		const id = await ownedId(params.token);
		await updateWatch(getApp().database.db, id, { paused: false }, { allowPrivate: false });
		return { resumed: true };
	},
	delete: async ({ params }) => {
		const id = await ownedId(params.token);
		await deleteWatch(getApp().database.db, id);
		redirect(303, `/alerts?deleted=${id}`);
	}
};
