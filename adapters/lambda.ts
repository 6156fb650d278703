/**
 * Lambda: `GET /api/v1/instance-types` with a Bearer key (docs/providers.md §3). `data` is an object keyed by
 * instance-type name; `price_cents_per_hour` is US cents for the whole instance; an empty
 * `regions_with_capacity_available` means sold out now (the type is still listed).
 */
import { z } from 'zod';
import { gpuBySlug } from '#catalog/gpus.ts';
import { LAMBDA_GPU_TOKENS } from './lambda-names.ts';
import { resolveGpuName } from './gpu-names.ts';
import { lambdaCatalog } from './lambda-catalog.ts';
import { PayloadShapeError } from './errors.ts';
import { capText, createTally, MAX_NAME_LENGTH, MAX_REGION_LENGTH, num } from './normalize.ts';
import type { Adapter, FetchResult, NormalizedOffer, ParseResult } from './types.ts';

export const LAMBDA_PATH = '/api/v1/instance-types';

/** price_cents_per_hour is "US cents per hour" (OpenAPI v1.10.0 InstanceType). */
const CENTS_PER_USD = 100;
/** specs.memory_gib / storage_gib are GiB; offers carry GB. */
const GB_PER_GIB = 1.073741824;

const Region = z.object({ name: z.string().min(1), description: z.string().nullish().catch(null) });

const InstanceType = z.object({
	name: z.string().min(1),
	description: z.string().nullish().catch(null),
	gpu_description: z.string().nullish().catch(null),
	price_cents_per_hour: num,
	architecture: z.string().nullish().catch(null),
	specs: z.object({ vcpus: num, memory_gib: num, storage_gib: num, gpus: num }).nullish().catch(null)
});

const Item = z.object({
	instance_type: InstanceType,
	regions_with_capacity_available: z.array(Region.nullable().catch(null)).nullish().catch(null)
});

/** `gpu_8x_h100_sxm5` → 8 and "h100_sxm5"; `gpu_8x_a100_80gb_sxm4` → 8 and "a100_80gb_sxm4". */
export function lambdaNameParts(name: string): { count: number; token: string } | null {
	const m = /^gpu_(\d+)x_([a-z0-9_]+)$/.exec(name);
	return m ? { count: Number(m[1]), token: m[2]! } : null;
}

function itemsOf(payload: unknown): unknown[] {
	const data = (payload as { data?: unknown } | null)?.data;
	if (data && typeof data === 'object') return Array.isArray(data) ? data : Object.values(data);
	throw new PayloadShapeError('expected {"data": {"<instance type>": {...}}} from instance-types');
}

export function parseLambda(payload: unknown, observedAt: Date): ParseResult {
	const tally = createTally();
	const at = observedAt.toISOString();
	for (const item of itemsOf(payload)) {
		tally.itemsSeen++;
		const parsed = Item.safeParse(item);
		if (!parsed.success) {
			tally.skip('invalid instance type');
			continue;
		}
		const it = parsed.data.instance_type;
		const name = capText(it.name, MAX_NAME_LENGTH);
		if (it.name.startsWith('cpu_') || it.specs?.gpus === 0) {
			tally.skip('CPU-only instance type');
			continue;
		}
		// The name is the key and is always present; `description` can be missing (live shape 2026-08-15).
		const parts = lambdaNameParts(it.name);
		if (!parts) {
			tally.unmapped(name);
			continue;
		}
		const resolved = resolveGpuName(LAMBDA_GPU_TOKENS, parts.token);
		if (resolved.kind !== 'slug') {
			if (resolved.kind === 'excluded') tally.skip(`excluded: ${resolved.reason}`);
			else tally.unmapped(name);
			continue;
		}
		const gpuCount = it.specs?.gpus && it.specs.gpus > 0 ? it.specs.gpus : parts.count;
		if (it.price_cents_per_hour == null) {
			tally.skip('no price_cents_per_hour');
			continue;
		}
		const instanceUsd = it.price_cents_per_hour / CENTS_PER_USD;
		const regions = (parsed.data.regions_with_capacity_available ?? []).filter(
			(r): r is z.infer<typeof Region> => r !== null
		);
		const base: Omit<NormalizedOffer, 'region' | 'available'> = {
			provider: 'lambda',
			gpu: resolved.slug,
			gpuName: name,
			gpuCount,
			vramGb: gpuBySlug(resolved.slug)?.vramGb ?? 0,
			pricing: 'on_demand',
			cloud: null,
			pricePerHourUsd: instanceUsd,
			pricePerGpuHourUsd: instanceUsd / gpuCount,
			observedAt: at,
			offerRef: name,
			vcpus: it.specs?.vcpus ?? null,
			ramGb: it.specs?.memory_gib != null ? Math.round(it.specs.memory_gib * GB_PER_GIB) : null,
			diskGb: it.specs?.storage_gib != null ? Math.round(it.specs.storage_gib * GB_PER_GIB) : null,
			extra: {
				description: it.description ? capText(it.description, MAX_NAME_LENGTH) : null,
				// GH200 machines are arm64 (docs/providers.md §3.4).
				architecture: it.architecture ? capText(it.architecture, 16) : null
			}
		};
		if (regions.length === 0) {
			// Sold out now: still listed with its price, not available, no region.
			tally.add({ ...base, region: '', available: false });
			continue;
		}
		// One price for every region (docs/providers.md §3.2); one offer per region with capacity.
		for (const r of regions)
			tally.add({ ...base, region: capText(r.name, MAX_REGION_LENGTH), available: true });
	}
	return tally.result();
}

async function fetchLambda(ctx: Parameters<Adapter['fetch']>[0]): Promise<FetchResult> {
	const res = await ctx.http.json({
		method: 'GET',
		url: ctx.baseUrl + LAMBDA_PATH,
		headers: { authorization: `Bearer ${ctx.apiKey ?? ''}` },
		// "Requests to the API are generally limited to one request per second" (spec description).
		minIntervalMs: 1_000
	});
	return { payload: res.body, requests: res.attempts, notes: [] };
}

export const lambda: Adapter = {
	id: 'lambda',
	label: 'Lambda',
	requiredKey: 'LAMBDA_API_KEY',
	source: 'api',
	// Without a key: Lambda's list prices from SkyPilot's public catalog (stock unknown).
	keyless: lambdaCatalog,
	fetch: fetchLambda,
	parse: parseLambda
};
