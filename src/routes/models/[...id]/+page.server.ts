import { error } from '@sveltejs/kit';
import { architectureFromCatalog, DEFAULTS, modelById } from '$lib/estimator';
import {
	hardwarePicker,
	memoryTable,
	MODEL_USES,
	SERVING_REFERENCE_TOKENS
} from '$lib/estimate/model-report';
import { getApp } from '$lib/server/app';
import { enabledProviders, getPageFreshness } from '$lib/server/providers';
import { readCurrentOffers, readCurrentSnapshots } from '$lib/server/estimate-prices';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const record = modelById(params.id);
	if (!record) error(404, 'Not found');
	const { database, config } = getApp();
	const db = database.db;
	const scope = enabledProviders(config);
	const [offers, snapshots, freshness] = await Promise.all([
		readCurrentOffers(db, scope),
		readCurrentSnapshots(db, scope),
		getPageFreshness(db, config)
	]);
	const arch = architectureFromCatalog(record);
	return {
		model: record,
		memory: memoryTable(arch).map((r) => ({
			id: r.use.id,
			label: r.use.label,
			perGpuGb: r.perGpuGb,
			weightsGb: r.weightsGb,
			otherGb: r.otherGb
		})),
		uses: MODEL_USES.map((use) => ({
			id: use.id,
			label: use.label,
			method: use.method,
			referenceTokens: use.referenceTokens,
			rows: hardwarePicker(record.id, arch, use, offers)
		})),
		snapshots,
		freshness,
		settings: {
			seqLen: DEFAULTS.seqLen,
			microBatch: DEFAULTS.microBatch,
			loraRank: DEFAULTS.loraRank,
			trainingTokens: DEFAULTS.datasetTokens,
			servingTokens: SERVING_REFERENCE_TOKENS
		}
	};
};
