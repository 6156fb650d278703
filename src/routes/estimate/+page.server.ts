import { fail, redirect } from '@sveltejs/kit';
import { parseEstimateQuery } from '$lib/estimate-input';
import { getApp } from '$lib/server/app';
import { readArchiveReferences, readCurrentOffers, readCurrentSnapshots } from '$lib/server/estimate-prices';
import { formFromFormData, formToQuery } from './form';
import type { Actions, PageServerLoad } from './$types';

/** The estimate itself is computed in the page (same code on the server and in the browser); prices come from here. */
export const load: PageServerLoad = async () => {
	const { db } = getApp().database;
	const [offers, archive, snapshots] = await Promise.all([
		readCurrentOffers(db),
		readArchiveReferences(db),
		readCurrentSnapshots(db)
	]);
	return { offers, archive, snapshots };
};

export const actions: Actions = {
	/** Without JavaScript the form posts here: validate, then redirect to the URL that reproduces the estimate. */
	default: async ({ request }) => {
		const values = formFromFormData(await request.formData());
		const query = formToQuery(values);
		const parsed = parseEstimateQuery(query);
		if (!parsed.ok) return fail(400, { error: parsed.error, values });
		redirect(303, `/estimate?${query}`);
	}
};
