import { PAPERS, priceCard } from '$lib/estimator';
import { getApp } from '$lib/server/app';
import { readArchiveReferences, readCurrentOffers, readCurrentSnapshots } from '$lib/server/estimate-prices';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { db } = getApp().database;
	const [offers, archive, snapshots] = await Promise.all([
		readCurrentOffers(db),
		readArchiveReferences(db),
		readCurrentSnapshots(db)
	]);
	return {
		snapshots,
		papers: PAPERS.map((p) => ({ ...p, cards: p.cards.map((c) => priceCard(c, offers, archive)) }))
	};
};
