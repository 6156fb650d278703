import { error } from '@sveltejs/kit';
import { gpuBySlug } from '../../../../adapters/catalog.ts';
import { getApp } from '$lib/server/app';
import { ARCHIVE_ATTRIBUTION, ARCHIVE_ATTRIBUTION_URL } from '$lib/server/archive';
import { loadGpuHistory, parseRange, RANGES } from '$lib/server/history';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url }) => {
	const gpu = gpuBySlug(params.slug);
	if (!gpu) error(404, 'Unknown GPU');
	const range = parseRange(url.searchParams.get('range'));
	const history = await loadGpuHistory(getApp().database.db, gpu.slug, range);
	return {
		gpu: { slug: gpu.slug, name: gpu.name, vramGb: gpu.vramGb, class: gpu.class },
		history,
		ranges: RANGES.map((r) => ({ key: r.key, label: r.label })),
		attribution: { text: ARCHIVE_ATTRIBUTION, url: ARCHIVE_ATTRIBUTION_URL }
	};
};
