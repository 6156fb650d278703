import { PAPERS, priceCard } from '$lib/estimator';
import { getApp } from '$lib/server/app';
import { enabledProviders, getPageFreshness } from '$lib/server/providers';
import { readArchiveReferences, readCurrentOffers, readCurrentSnapshots } from '$lib/server/estimate-prices';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { database, config } = getApp();
	const db = database.db;
	const scope = enabledProviders(config);
	const [offers, archive, snapshots, freshness] = await Promise.all([
		readCurrentOffers(db, scope),
		readArchiveReferences(db),
		readCurrentSnapshots(db, scope),
		getPageFreshness(db, config)
	]);
	return {
		snapshots,
		freshness,
		papers: PAPERS.map((p) => ({ ...p, cards: p.cards.map((c) => priceCard(c, offers, archive)) }))
	};
};
