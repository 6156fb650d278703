import { json } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { cheapestByGpu } from '$lib/server/offers/compare';
import { enabledProviders } from '$lib/server/providers';
import { GPUS } from '#catalog/gpus.ts';
import { specDocument } from '#catalog/spec-documents.ts';
import type { RequestHandler } from './$types';

/** The catalog with each GPU's cheapest available price now (per GPU-hour, USD) and offer counts. */
export const GET: RequestHandler = async () => {
	const { database, config } = getApp();
	const prices = await cheapestByGpu(database.db, enabledProviders(config));
	return json({
		asOf: new Date().toISOString(),
		gpus: GPUS.map((g) => {
			const p = prices.get(g.slug);
			return {
				slug: g.slug,
				name: g.name,
				vendor: g.vendor,
				class: g.class,
				vramGb: g.vramGb,
				bf16Tflops: g.bf16Tflops,
				fp16Tflops: g.fp16Tflops,
				memBandwidthGBs: g.memBandwidthGBs,
				bf16: g.bf16,
				specSource: g.specSource,
				specDocument: specDocument(g.slug),
				specUnverified: g.specUnverified ?? false,
				cheapestOnDemand: p?.onDemand ?? null,
				cheapestSpot: p?.spot ?? null,
				offers: p?.offers ?? 0,
				availableOffers: p?.availableOffers ?? 0,
				untrustedOffers: p?.untrustedOffers ?? 0
			};
		})
	});
};
