import { sql } from 'drizzle-orm';
import { getApp } from '$lib/server/app';
import { rows } from '$lib/server/db';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { database } = getApp();
	const providers = await rows<{ provider: string; observed_at: Date; offer_count: number }>(
		database.db,
		sql`select distinct on (provider) provider, observed_at, offer_count
		    from snapshots order by provider, observed_at desc`
	);
	return {
		engine: database.engine,
		providers: providers.map((p) => ({
			provider: p.provider,
			observedAt: new Date(p.observed_at).toISOString(),
			offerCount: Number(p.offer_count)
		}))
	};
};
