/**
 * RunPod: the keyless GraphQL `gpuTypes` query (docs/providers.md §2.1–2.2). Prices are per GPU-hour, one
 * list price per cloud; `lowestPrice` tells whether there is capacity now. The parser also reads the
 * REST v2 catalog answer (`{"gpus": [...]}`, docs/providers.md §2.3), which carries the same facts under other names.
 */
import { z } from 'zod';
import { gpuBySlug } from '#catalog/gpus.ts';
import { resolveGpuName } from './gpu-names.ts';
import { RUNPOD_GPU_IDS } from './runpod-names.ts';
import { PayloadShapeError, ProviderError } from './errors.ts';
import {
	bool,
	capOptional,
	capText,
	createTally,
	MAX_NAME_LENGTH,
	MAX_REF_LENGTH,
	num,
	type Tally
} from './normalize.ts';
import type { Adapter, Cloud, FetchResult, NormalizedOffer, ParseResult, Pricing } from './types.ts';

export const RUNPOD_PATH = '/graphql';

/**
 * The price query. Field names from runpod-python `generate_gpu_query` and gpuhunt (docs/providers.md §2.1);
 * `lowestPrice(input: {gpuCount: 1})` as in the recorded 2026-08-25 capture.
 */
export const RUNPOD_QUERY = `query GpuTypes {
  gpuTypes {
    id
    displayName
    manufacturer
    memoryInGb
    secureCloud
    communityCloud
    securePrice
    communityPrice
    secureSpotPrice
    communitySpotPrice
    maxGpuCount
    lowestPrice(input: { gpuCount: 1 }) {
      uninterruptablePrice
      minimumBidPrice
      stockStatus
    }
  }
}`;

const LowestPrice = z
	.object({ uninterruptablePrice: num, minimumBidPrice: num, stockStatus: z.string().nullish().catch(null) })
	.nullish()
	.catch(null);

const GpuType = z.object({
	id: z.string().min(1),
	displayName: z.string().nullish().catch(null),
	memoryInGb: num,
	secureCloud: bool,
	communityCloud: bool,
	securePrice: num,
	communityPrice: num,
	secureSpotPrice: num,
	communitySpotPrice: num,
	maxGpuCount: num,
	lowestPrice: LowestPrice
});

const CatalogGpu = z.object({
	id: z.string().min(1),
	name: z.string().nullish().catch(null),
	memory: num,
	secure: bool,
	community: bool,
	price: z.object({ secure: num, community: num }).nullish().catch(null),
	availability: z.string().nullish().catch(null)
});

/** A MIG slice id reads "<GPU> MIG 1g.24gb" (docs/providers.md §2.4). */
const MIG = / MIG \d+g\.\d+gb$/i;

type Resolved = { slug: string; name: string } | null;

function resolve(tally: Tally, id: string): Resolved {
	const name = capText(id, MAX_NAME_LENGTH);
	if (MIG.test(id)) {
		tally.skip('excluded: a MIG slice (part of a GPU), not a whole GPU');
		return null;
	}
	const r = resolveGpuName(RUNPOD_GPU_IDS, id);
	if (r.kind === 'slug') return { slug: r.slug, name };
	if (r.kind === 'excluded') tally.skip(`excluded: ${r.reason}`);
	else tally.unmapped(name);
	return null;
}

function offer(
	r: { slug: string; name: string },
	pricing: Pricing,
	cloud: Cloud,
	priceUsd: number,
	available: boolean,
	observedAt: string,
	extra: Record<string, unknown>
): NormalizedOffer {
	return {
		provider: 'runpod',
		gpu: r.slug,
		gpuName: r.name,
		// RunPod prices one GPU; a pod of n GPUs costs n times as much (docs/providers.md §2.6).
		gpuCount: 1,
		vramGb: gpuBySlug(r.slug)?.vramGb ?? 0,
		pricing,
		cloud,
		// List prices are not per region (lowestPrice is only regional when asked for one region).
		region: '',
		pricePerHourUsd: priceUsd,
		pricePerGpuHourUsd: priceUsd,
		available,
		observedAt,
		offerRef: r.name,
		extra
	};
}

function parseGraphql(types: unknown[], observedAt: string): ParseResult {
	const tally = createTally();
	for (const item of types) {
		tally.itemsSeen++;
		const parsed = GpuType.safeParse(item);
		if (!parsed.success) {
			tally.skip('invalid GPU type');
			continue;
		}
		const t = parsed.data;
		const r = resolve(tally, t.id);
		if (!r) continue;
		// lowestPrice null (or its prices null) = no capacity right now (docs/providers.md §2.6).
		const onDemandAvailable = t.lowestPrice?.uninterruptablePrice != null;
		const spotAvailable = t.lowestPrice?.minimumBidPrice != null;
		const extra = {
			displayName: capOptional(t.displayName, MAX_NAME_LENGTH),
			stockStatus: capOptional(t.lowestPrice?.stockStatus, MAX_REF_LENGTH),
			maxGpuCount: t.maxGpuCount ?? null
		};
		if (t.secureCloud !== true && t.communityCloud !== true) {
			tally.skip('offered in neither secure nor community cloud');
			continue;
		}
		// Gate each cloud's price on its flag: the other cloud's price holds a placeholder (docs/providers.md §2.6).
		const clouds: [Cloud, boolean, number | null | undefined, number | null | undefined][] = [
			['secure', t.secureCloud === true, t.securePrice, t.secureSpotPrice],
			['community', t.communityCloud === true, t.communityPrice, t.communitySpotPrice]
		];
		for (const [cloud, offered, price, spot] of clouds) {
			if (!offered) continue;
			if (price == null) tally.skip(`no ${cloud} price`);
			else tally.add(offer(r, 'on_demand', cloud, price, onDemandAvailable, observedAt, extra));
			// A null or 0 spot price means the type has no interruptible offer in that cloud.
			if (spot != null && spot !== 0) {
				tally.add(offer(r, 'spot', cloud, spot, spotAvailable, observedAt, extra));
			}
		}
	}
	return tally.result();
}

function parseCatalog(gpus: unknown[], observedAt: string): ParseResult {
	const tally = createTally();
	for (const item of gpus) {
		tally.itemsSeen++;
		const parsed = CatalogGpu.safeParse(item);
		if (!parsed.success) {
			tally.skip('invalid GPU type');
			continue;
		}
		const g = parsed.data;
		const r = resolve(tally, g.id);
		if (!r) continue;
		// availability HIGH/MEDIUM/LOW/NONE (docs/providers.md §2.3)
		const available = g.availability != null && g.availability.toUpperCase() !== 'NONE';
		const extra = {
			displayName: capOptional(g.name, MAX_NAME_LENGTH),
			stockStatus: capOptional(g.availability, MAX_REF_LENGTH)
		};
		if (g.secure !== true && g.community !== true) {
			tally.skip('offered in neither secure nor community cloud');
			continue;
		}
		if (g.secure === true) {
			if (g.price?.secure == null) tally.skip('no secure price');
			else tally.add(offer(r, 'on_demand', 'secure', g.price.secure, available, observedAt, extra));
		}
		if (g.community === true) {
			if (g.price?.community == null) tally.skip('no community price');
			else tally.add(offer(r, 'on_demand', 'community', g.price.community, available, observedAt, extra));
		}
	}
	return tally.result();
}

export function parseRunpod(payload: unknown, observedAt: Date): ParseResult {
	const at = observedAt.toISOString();
	const p = payload as { data?: { gpuTypes?: unknown }; gpus?: unknown } | null;
	if (p && typeof p === 'object') {
		if (p.data && typeof p.data === 'object' && Array.isArray(p.data.gpuTypes)) {
			return parseGraphql(p.data.gpuTypes, at);
		}
		if (Array.isArray(p.gpus)) return parseCatalog(p.gpus, at);
	}
	throw new PayloadShapeError('expected {"data": {"gpuTypes": [...]}} from the GraphQL API');
}

async function fetchRunpod(ctx: Parameters<Adapter['fetch']>[0]): Promise<FetchResult> {
	// runpod-python passes the key as a query parameter, not a header (docs/providers.md §2.1).
	const url = ctx.baseUrl + RUNPOD_PATH + (ctx.apiKey ? `?api_key=${encodeURIComponent(ctx.apiKey)}` : '');
	const res = await ctx.http.json({ method: 'POST', url, body: { query: RUNPOD_QUERY } });
	const body = res.body as { data?: { gpuTypes?: unknown }; errors?: { message?: unknown }[] } | null;
	// GraphQL reports errors with HTTP 200 and an `errors` list (docs/providers.md §2.1).
	if (body && Array.isArray(body.errors) && !Array.isArray(body.data?.gpuTypes)) {
		const first = body.errors[0]?.message;
		throw new ProviderError(
			'runpod',
			'api-error',
			`GraphQL error: ${typeof first === 'string' ? capText(ctx.http.redact(first), 200) : 'unknown error'}`,
			{ status: res.status, attempts: res.attempts }
		);
	}
	return { payload: res.body, requests: res.attempts, notes: [] };
}

export const runpod: Adapter = {
	id: 'runpod',
	label: 'RunPod',
	requiredKey: null,
	fetch: fetchRunpod,
	parse: parseRunpod
};
