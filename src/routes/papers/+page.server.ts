import { PAPERS, priceCard } from '$lib/estimator';
import { getApp } from '$lib/server/app';
import { enabledProviders } from '$lib/server/providers';
import { readArchiveReferences, readCurrentOffers, readCurrentSnapshots } from '$lib/server/estimate-prices';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { database, config } = getApp();
	const db = database.db;
	const scope = enabledProviders(config);
	const [offers, archive, snapshots] = await Promise.all([
		readCurrentOffers(db, scope),
		readArchiveReferences(db),
		readCurrentSnapshots(db, scope)
	]);
	return {
		snapshots,
		papers: PAPERS.map((p) => ({ ...p, cards: p.cards.map((c) => priceCard(c, offers, archive)) }))
	};
};
