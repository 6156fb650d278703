import { PAPERS, priceCard } from '$lib/estimator';
import { getApp } from '$lib/server/app';
import { getPageFreshness } from '$lib/server/providers';
import { readArchiveReferences, readCurrentOffers, readCurrentSnapshots } from '$lib/server/estimate-prices';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { database, config } = getApp();
	const db = database.db;
	const [offers, archive, snapshots, freshness] = await Promise.all([
		readCurrentOffers(db),
		readArchiveReferences(db),
		readCurrentSnapshots(db),
		getPageFreshness(db, config)
	]);
	return {
		snapshots,
		freshness,
		papers: PAPERS.map((p) => ({ ...p, cards: p.cards.map((c) => priceCard(c, offers, archive)) }))
	};
};
