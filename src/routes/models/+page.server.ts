import { gpuBySlug } from '#catalog/gpus.ts';
import { refuseRepeatedParams } from '$lib/server/api';
import { architectureFromCatalog, MODEL_RECORDS, weightBytes } from '$lib/estimator';
import { hardwarePicker, MODEL_USES } from '$lib/estimate/model-report';
import { getApp } from '$lib/server/app';
import { enabledProviders, getPageFreshness } from '$lib/server/providers';
import { readCurrentOffers, readCurrentSnapshots } from '$lib/server/estimate-prices';
import type { PageServerLoad } from './$types';

const QLORA = MODEL_USES.find((u) => u.id === 'qlora')!;

/** Sort orders of /models (`?sort=`); the default puts the families most people look for first. */
const SORTS = ['popular', 'size', 'name', 'cost'] as const;
type Sort = (typeof SORTS)[number];
/** Organisations a newcomer is most likely to look for, in this order; the rest follow by size. */
const POPULAR_ORGS = ['meta-llama', 'mistralai', 'Qwen', 'deepseek-ai', 'HuggingFaceH4'];

export const load: PageServerLoad = async ({ url }) => {
	refuseRepeatedParams(url.searchParams, ['q', 'sort']);
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100);
	const sortParam = url.searchParams.get('sort') ?? '';
	const sort: Sort = (SORTS as readonly string[]).includes(sortParam) ? (sortParam as Sort) : 'popular';
	const { database, config } = getApp();
	const db = database.db;
	const scope = enabledProviders(config);
	const [offers, snapshots, freshness] = await Promise.all([
		readCurrentOffers(db, scope),
		readCurrentSnapshots(db, scope),
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
	const needle = q.toLowerCase();
	const rank = (id: string) => {
		const i = POPULAR_ORGS.indexOf(id.split('/')[0]!);
		return i < 0 ? POPULAR_ORGS.length : i;
	};
	const shown = models
		.filter((m) => !needle || m.id.toLowerCase().includes(needle) || m.family.toLowerCase().includes(needle))
		.sort((a, b) => {
			if (sort === 'name') return a.id.localeCompare(b.id);
			if (sort === 'cost')
				return (a.qlora?.usd ?? Infinity) - (b.qlora?.usd ?? Infinity) || a.id.localeCompare(b.id);
			if (sort === 'popular' && rank(a.id) !== rank(b.id)) return rank(a.id) - rank(b.id);
			return a.paramsTotal - b.paramsTotal || a.id.localeCompare(b.id);
		});
	return {
		models: shown,
		total: models.length,
		q,
		sort,
		snapshots,
		freshness,
		referenceTokens: QLORA.referenceTokens
	};
};
