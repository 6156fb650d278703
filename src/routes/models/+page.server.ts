import { gpuBySlug } from '../../../adapters/catalog.ts';
import { architectureFromCatalog, MODEL_RECORDS, weightBytes } from '$lib/estimator';
import { hardwarePicker, MODEL_USES } from '$lib/model-report';
import { getApp } from '$lib/server/app';
import { getPageFreshness } from '$lib/server/providers';
import { readCurrentOffers, readCurrentSnapshots } from '$lib/server/estimate-prices';
import type { PageServerLoad } from './$types';

const QLORA = MODEL_USES.find((u) => u.id === 'qlora')!;

export const load: PageServerLoad = async () => {
	const { database, config } = getApp();
	const db = database.db;
	const [offers, snapshots, freshness] = await Promise.all([
		readCurrentOffers(db),
		readCurrentSnapshots(db),
		getPageFreshness(db, config)
	]);
	const models = MODEL_RECORDS.map((m) => {
		const arch = architectureFromCatalog(m);
		const pick = hardwarePicker(m.id, arch, QLORA, offers)[0];
		return {
			id: m.id,
			family: m.family,
			paramsTotal: m.params_total,
			paramsActive: m.params_active_per_token,
			context: m.max_context_config,
			license: m.license,
			bf16Gb: weightBytes(arch, 'bf16') / 1e9,
			nf4Gb: weightBytes(arch, 'nf4') / 1e9,
			qlora:
				pick && pick.referenceJobUsd !== null
					? {
							usd: pick.referenceJobUsd,
							gpuName: gpuBySlug(pick.gpu)?.name ?? pick.gpu,
							gpuCount: pick.gpuCount,
							provider: pick.provider
						}
					: null
		};
	});
	return { models, snapshots, freshness, referenceTokens: QLORA.referenceTokens };
};
