/**
 * Table tests pinning each tricky normalization, each starting from (and citing) a recorded payload in
 * tests/fixtures/providers. Variations change only the fields the rule is about.
 */
import { describe, expect, it } from 'vitest';
import { PayloadShapeError } from '#adapters/errors.ts';
import { lambdaNameParts, parseLambda } from '#adapters/lambda.ts';
import { parseRunpod } from '#adapters/runpod.ts';
import type { NormalizedOffer } from '#adapters/types.ts';
import { parseVastai, vastaiCountry } from '#adapters/vastai.ts';
import { readFixture } from '../helpers/fake-providers.ts';

const AT = new Date('2026-08-25T12:00:00.000Z');

// --- vast.ai: vast-bundles-offer-real-2024-cli-raw.json (a real RTX 4090 offer, `vastai search offers --raw`)
const VAST_REAL = readFixture<Record<string, unknown>[]>('vast-bundles-offer-real-2024-cli-raw.json')[0]!;
const vast = (over: Record<string, unknown>, drop: string[] = []) => {
	const o: Record<string, unknown> = { ...VAST_REAL, ...over };
	for (const k of drop) delete o[k];
	return parseVastai({ offers: [o] }, AT);
};
const pick = (offers: NormalizedOffer[], pricing: 'on_demand' | 'spot') =>
	offers.find((o) => o.pricing === pricing);

describe('vast.ai normalization (vast-bundles-offer-real-2024-cli-raw.json)', () => {
	it('reads the real offer: dph_total on-demand, min_bid spot, community host in CN, verified', () => {
		const { offers } = vast({});
		expect(pick(offers, 'on_demand')).toMatchObject({
			gpu: 'rtx-4090',
			gpuName: 'RTX 4090',
			gpuCount: 1,
			vramGb: 24,
			cloud: 'community',
			region: 'CN',
			pricePerHourUsd: 0.2466759259259259,
			pricePerGpuHourUsd: 0.2466759259259259,
			available: true,
			verified: true,
			reliability: 0.9700835,
			vcpus: 24,
			offerRef: '11684738'
		});
		expect(pick(offers, 'spot')).toMatchObject({ pricePerHourUsd: 0.2, pricePerGpuHourUsd: 0.2 });
		// 64,393 MB host RAM, 24 of 96 cores → a quarter of it (gpuhunt's formula).
		expect(pick(offers, 'on_demand')!.ramGb).toBeCloseTo(16.1, 2);
	});

	it('stores a host reliability too small for a Postgres real (5e-324) as 0, and it stays low-reliability', () => {
		const { offers } = vast({ reliability2: 5e-324 });
		expect(pick(offers, 'on_demand')!.reliability).toBe(0);
		expect(vast({ reliability2: 1e-3 }).offers[0]!.reliability).toBe(1e-3);
	});

	it.each([
		{ num_gpus: 4, dph_total: 2.0, min_bid: 1.2, perGpu: 0.5, spotPerGpu: 0.3 },
		{ num_gpus: 8, dph_total: 17.07, min_bid: 8, perGpu: 17.07 / 8, spotPerGpu: 1 }
	])('divides the box price by num_gpus ($num_gpus GPUs at $$dph_total/h)', (c) => {
		const { offers } = vast({ num_gpus: c.num_gpus, dph_total: c.dph_total, min_bid: c.min_bid });
		expect(pick(offers, 'on_demand')).toMatchObject({
			gpuCount: c.num_gpus,
			pricePerHourUsd: c.dph_total,
			pricePerGpuHourUsd: c.perGpu
		});
		expect(pick(offers, 'spot')).toMatchObject({
			pricePerHourUsd: c.min_bid,
			pricePerGpuHourUsd: c.spotPerGpu
		});
	});

	it.each([
		{ name: 'dph_total', over: {}, drop: [], price: 0.2466759259259259 },
		{
			name: 'search.totalHour when dph_total is absent',
			over: { search: { totalHour: 0.31, diskHour: 0.01 } },
			drop: ['dph_total'],
			price: 0.31
		},
		{
			name: 'dph_base plus storage when both are absent',
			over: { storage_total_cost: 0.05 },
			drop: ['dph_total', 'search'],
			price: 0.24666666666666665 + 0.05
		}
	])('prices the box from $name', ({ over, drop, price }) => {
		expect(pick(vast(over, drop).offers, 'on_demand')!.pricePerHourUsd).toBeCloseTo(price, 12);
	});

	it('skips an offer with no price at all, saying why', () => {
		const r = vast({}, ['dph_total', 'search', 'dph_base']);
		expect(r.offers).toEqual([]);
		expect(r.skippedReasons).toEqual({ 'no price (dph_total, search.totalHour and dph_base absent)': 1 });
	});

	it.each([{ min_bid: 0 }, { min_bid: null }])('makes no spot offer when min_bid is $min_bid', (over) => {
		const { offers } = vast(over);
		expect(offers.map((o) => o.pricing)).toEqual(['on_demand']);
	});

	it.each([
		{ gpu_name: 'A100 SXM4', gpu_ram: 40960, slug: 'a100-sxm-40gb' },
		{ gpu_name: 'A100 SXM4', gpu_ram: 81920, slug: 'a100-sxm-80gb' },
		{ gpu_name: 'A100 SXM', gpu_ram: 81559, slug: 'a100-sxm-80gb' },
		{ gpu_name: 'A100 PCIE', gpu_ram: 40960, slug: 'a100-pcie-40gb' },
		{ gpu_name: 'A100 PCIE', gpu_ram: 81920, slug: 'a100-pcie-80gb' },
		{ gpu_name: 'Tesla V100', gpu_ram: 16384, slug: 'v100-16gb' },
		{ gpu_name: 'Tesla V100', gpu_ram: 32768, slug: 'v100-32gb' }
	])('splits $gpu_name by gpu_ram ($gpu_ram MiB → $slug)', ({ gpu_name, gpu_ram, slug }) => {
		const { offers } = vast({ gpu_name, gpu_ram });
		expect(offers[0]).toMatchObject({ gpu: slug, gpuName: gpu_name });
	});

	it('lists an A100 whose memory matches neither variant as unmapped, never guessing', () => {
		const r = vast({ gpu_name: 'A100 SXM4', gpu_ram: 65536 });
		expect(r.offers).toEqual([]);
		expect(r.unmapped).toEqual({ 'A100 SXM4 (64 GB)': 1 });
		expect(vast({ gpu_name: 'A100 PCIE' }, ['gpu_ram']).unmapped).toEqual({ 'A100 PCIE (no gpu_ram)': 1 });
	});

	it.each([
		{ gpu_name: 'H100 SXM', slug: 'h100-sxm' },
		{ gpu_name: 'H100 PCIE', slug: 'h100-pcie' },
		{ gpu_name: 'H100 NVL', slug: 'h100-nvl' },
		{ gpu_name: 'RTX 4080S', slug: 'rtx-4080-super' },
		{ gpu_name: 'RTX 6000Ada', slug: 'rtx-6000-ada' },
		{ gpu_name: 'RTX 4070S Ti', slug: 'rtx-4070-ti-super' },
		{ gpu_name: 'A10g', slug: 'a10g' },
		{ gpu_name: 'Q RTX 6000', slug: 'quadro-rtx-6000' },
		{ gpu_name: 'RTX PRO 6000 WS', slug: 'rtx-pro-6000' },
		{ gpu_name: 'InstinctMI100', slug: 'mi100' }
	])('maps the exact vast spelling "$gpu_name" to $slug', ({ gpu_name, slug }) => {
		expect(vast({ gpu_name }).offers[0]?.gpu).toBe(slug);
	});

	it('skips excluded GPUs with the reason and counts unknown names as unmapped', () => {
		const excluded = vast({ gpu_name: 'GTX 1080 Ti' });
		expect(excluded.offers).toEqual([]);
		expect(excluded.skippedReasons).toEqual({
			'excluded: pre-Volta GPU (no tensor cores): outside the catalog': 1
		});
		const unknown = vast({ gpu_name: 'RTX 9090' });
		expect(unknown.offers).toEqual([]);
		expect(unknown.unmapped).toEqual({ 'RTX 9090': 1 });
		expect(unknown.skippedReasons).toEqual({});
	});

	it.each([
		{ over: { rentable: false }, available: false },
		{ over: { rented: true }, available: false },
		{ over: { rentable: true, rented: false }, available: true }
	])('marks availability from rentable/rented: $over → $available', ({ over, available }) => {
		const { offers } = vast(over);
		expect(offers).toHaveLength(2);
		for (const o of offers) expect(o.available).toBe(available);
	});

	it('coerces numbers that arrive as strings', () => {
		const { offers } = vast({ dph_total: '1.5', num_gpus: '2', gpu_ram: '24564', min_bid: '0.9' });
		expect(pick(offers, 'on_demand')).toMatchObject({ gpuCount: 2, pricePerGpuHourUsd: 0.75 });
		expect(pick(offers, 'spot')!.pricePerGpuHourUsd).toBeCloseTo(0.45, 12);
	});

	it('skips an offer without gpu_name or with a bad num_gpus, counting the reason', () => {
		expect(vast({}, ['gpu_name']).skippedReasons).toEqual({ 'invalid gpu_name': 1 });
		expect(vast({ num_gpus: 0 }).skippedReasons).toEqual({ 'invalid num_gpus': 1 });
	});

	it.each([
		{ over: { dph_total: 0 }, rejected: 1, kept: ['spot'] },
		{ over: { dph_total: -1, min_bid: -0.5 }, rejected: 2, kept: [] },
		{ over: { num_gpus: 8, dph_total: 801, min_bid: 800 }, rejected: 1, kept: ['spot'] },
		{ over: { num_gpus: 8, dph_total: 800.0, min_bid: 700 }, rejected: 0, kept: ['on_demand', 'spot'] }
	])('rejects prices ≤ 0 or above $100 per GPU-hour and counts them: $over', ({ over, rejected, kept }) => {
		const r = vast(over);
		expect(r.rejectedPrices).toBe(rejected);
		expect(r.offers.map((o) => o.pricing)).toEqual(kept);
	});

	it('tells datacenter (secure) hosts from community hosts by hosting_type', () => {
		expect(vast({ hosting_type: 1 }).offers[0]!.cloud).toBe('secure');
		expect(vast({ hosting_type: 0 }).offers[0]!.cloud).toBe('community');
		expect(vast({}, ['hosting_type']).offers[0]!.cloud).toBeNull();
	});

	it.each([
		['Texas, US', 'US'],
		['Guangxi, CN', 'CN'],
		[', US, NA', 'US'],
		['Czechia, CZ, EU', 'CZ'],
		[null, '']
	])('reads the country of geolocation %j as %j', (geo, cc) => {
		expect(vastaiCountry(geo)).toBe(cc);
	});

	it('accepts the documented example with one object under "offers" (vast-bundles-openapi-example.json)', () => {
		const doc = readFixture<{ response_example: { offers: Record<string, unknown> } }>(
			'vast-bundles-openapi-example.json'
		);
		const one = { offers: { ...doc.response_example.offers, gpu_name: 'RTX 4090' } };
		const r = parseVastai(one, AT);
		// 0.234567 for 4 GPUs; min_bid 0.111111 for the box.
		expect(pick(r.offers, 'on_demand')).toMatchObject({ gpuCount: 4, pricePerHourUsd: 0.234567 });
		expect(pick(r.offers, 'on_demand')!.pricePerGpuHourUsd).toBeCloseTo(0.234567 / 4, 12);
	});
});

// --- RunPod: runpod-gputypes-real-2026-08-25.json (real GraphQL capture) and runpod-v2-catalog-gpus-real.json
type GpuType = Record<string, unknown>;
const RUNPOD_REAL = readFixture<{ data: { gpuTypes: GpuType[] } }>('runpod-gputypes-real-2026-08-25.json');
const runpodType = (id: string) => RUNPOD_REAL.data.gpuTypes.find((t) => t.id === id)!;
const runpod = (...types: GpuType[]) => parseRunpod({ data: { gpuTypes: types } }, AT);

describe('RunPod normalization (runpod-gputypes-real-2026-08-25.json)', () => {
	it('gates each price on its cloud flag: the other price is a placeholder', () => {
		// RTX PRO 4000: communityCloud false, communityPrice 0.5 (placeholder), securePrice 0.57.
		const r = runpod(runpodType('NVIDIA RTX PRO 4000 Blackwell'));
		expect(r.offers.map((o) => [o.cloud, o.pricing, o.pricePerGpuHourUsd])).toEqual([
			['secure', 'on_demand', 0.57]
		]);
		// L4: communityCloud false, communityPrice 0.44 ignored.
		expect(runpod(runpodType('NVIDIA L4')).offers.map((o) => o.cloud)).toEqual(['secure']);
		// RTX 3090 Ti: secureCloud false, securePrice 0.46 ignored.
		expect(
			runpod(runpodType('NVIDIA GeForce RTX 3090 Ti')).offers.map((o) => [o.cloud, o.pricePerGpuHourUsd])
		).toEqual([['community', 0.27]]);
	});

	it('lists a type whose lowestPrice is null as not available (no capacity now)', () => {
		const soldOut = runpod(runpodType('NVIDIA RTX A5000')).offers;
		expect(soldOut).toHaveLength(2);
		for (const o of soldOut) expect(o.available).toBe(false);
		const inStock = runpod(runpodType('NVIDIA GeForce RTX 3090')).offers;
		expect(inStock.map((o) => [o.cloud, o.pricePerGpuHourUsd, o.available])).toEqual([
			['secure', 0.5, true],
			['community', 0.22, true]
		]);
		expect(
			runpod({ ...runpodType('NVIDIA GeForce RTX 3090'), lowestPrice: null }).offers.every(
				(o) => !o.available
			)
		).toBe(true);
	});

	it('matches on id, not displayName (the capture’s provenance note: a parser had them swapped)', () => {
		const r = runpod({ ...runpodType('NVIDIA GeForce RTX 4090'), displayName: 'H100 SXM' });
		expect(r.offers[0]).toMatchObject({ gpu: 'rtx-4090', gpuName: 'NVIDIA GeForce RTX 4090' });
		expect(runpod(runpodType('NVIDIA RTX 4000 SFF Ada Generation')).offers[0]!.gpu).toBe('rtx-4000-sff-ada');
	});

	it('prices one GPU per offer (RunPod prices are per GPU)', () => {
		for (const o of runpod(...RUNPOD_REAL.data.gpuTypes).offers) {
			expect(o.gpuCount).toBe(1);
			expect(o.pricePerHourUsd).toBe(o.pricePerGpuHourUsd);
			expect(o.region).toBe('');
		}
	});

	it('makes spot offers from secureSpotPrice/communitySpotPrice, gated the same way, never blended', () => {
		const t = { ...runpodType('NVIDIA GeForce RTX 4090'), secureSpotPrice: 0.39, communitySpotPrice: null };
		const r = runpod(t);
		expect(r.offers.map((o) => [o.cloud, o.pricing, o.pricePerGpuHourUsd])).toEqual([
			['secure', 'on_demand', 0.74],
			['secure', 'spot', 0.39],
			['community', 'on_demand', 0.34]
		]);
		const gated = runpod({ ...runpodType('NVIDIA L4'), communitySpotPrice: 0.2 });
		expect(gated.offers.some((o) => o.cloud === 'community')).toBe(false);
	});

	it('coerces numeric strings and counts unknown ids as unmapped', () => {
		const r = runpod(
			{ ...runpodType('NVIDIA GeForce RTX 4090'), securePrice: '0.74' },
			{
				...runpodType('NVIDIA L4'),
				id: 'NVIDIA Z9000'
			}
		);
		expect(r.offers.find((o) => o.cloud === 'secure')!.pricePerGpuHourUsd).toBe(0.74);
		expect(r.unmapped).toEqual({ 'NVIDIA Z9000': 1 });
	});

	it('refuses a GraphQL answer that carries only errors', () => {
		expect(() => parseRunpod({ errors: [{ message: 'Something went wrong' }] }, AT)).toThrow(
			PayloadShapeError
		);
	});
});

describe('RunPod normalization (runpod-v2-catalog-gpus-real.json)', () => {
	const r = parseRunpod(readFixture('runpod-v2-catalog-gpus-real.json'), AT);
	const of = (gpu: string) =>
		r.offers.filter((o) => o.gpu === gpu).map((o) => [o.cloud, o.pricePerGpuHourUsd, o.available]);

	it('excludes MIG slices and the "unknown" placeholder, saying why', () => {
		expect(r.skippedReasons['excluded: a MIG slice (part of a GPU), not a whole GPU']).toBe(3);
		expect(r.skippedReasons["excluded: RunPod's placeholder type, not a GPU"]).toBe(1);
		expect(r.offers.some((o) => /MIG/.test(o.gpuName))).toBe(false);
		expect(r.unmapped).toEqual({});
	});

	it('ignores price.secure = 0 and the 0.5 community placeholder of types not in that cloud', () => {
		// A100 SXM 40GB: secure false, price.secure 0 → community only at 1.00.
		expect(of('a100-sxm-40gb')).toEqual([['community', 1, true]]);
		// H200 NVL: community false, price.community 0.5 placeholder → secure only at 3.79 (availability NONE).
		expect(of('h200-nvl')).toEqual([['secure', 3.79, false]]);
	});
});

// --- Lambda: lambda-instance-types-live-shape-2026-08-15.json and lambda-instance-types-openapi-example.json
const LAMBDA_LIVE = readFixture<{ data: Record<string, { instance_type: Record<string, unknown> }> }>(
	'lambda-instance-types-live-shape-2026-08-15.json'
);
const lambdaItem = (name: string, cents: number, gpus: number, regions: string[] = ['us-east-1']) => ({
	instance_type: {
		...LAMBDA_LIVE.data.gpu_1x_a100_sxm4!.instance_type,
		name,
		price_cents_per_hour: cents,
		specs: { vcpus: 30, memory_gib: 220, storage_gib: 512, gpus }
	},
	regions_with_capacity_available: regions.map((n) => ({ name: n }))
});
const lambda = (...items: ReturnType<typeof lambdaItem>[]) =>
	parseLambda({ data: Object.fromEntries(items.map((i) => [i.instance_type.name, i])) }, AT);

describe('Lambda normalization (lambda-instance-types-live-shape-2026-08-15.json)', () => {
	it('turns cents per instance into dollars per instance and per GPU', () => {
		const live = parseLambda(LAMBDA_LIVE, AT);
		expect(live.offers.find((o) => o.gpu === 'gh200')).toMatchObject({
			pricePerHourUsd: 2.29,
			pricePerGpuHourUsd: 2.29,
			gpuCount: 1,
			region: 'us-east-3'
		});
		// The spec example: gpu_8x_h100_sxm5gdr at 3592 ¢/h → $35.92/h, $4.49 per GPU-hour.
		const eight = lambda(lambdaItem('gpu_8x_h100_sxm5gdr', 3592, 8)).offers[0]!;
		expect(eight).toMatchObject({ gpu: 'h100-sxm', gpuCount: 8, pricePerHourUsd: 35.92 });
		expect(eight.pricePerGpuHourUsd).toBeCloseTo(4.49, 12);
	});

	it('lists a type with no region capacity as sold out (one offer, not available)', () => {
		const h100 = parseLambda(LAMBDA_LIVE, AT).offers.filter((o) => o.gpu === 'h100-sxm');
		expect(h100).toEqual([expect.objectContaining({ available: false, region: '', pricePerHourUsd: 4.29 })]);
	});

	it('makes one available offer per region with capacity', () => {
		const a100 = parseLambda(LAMBDA_LIVE, AT).offers.filter((o) => o.gpu === 'a100-sxm-40gb');
		expect(a100.map((o) => [o.region, o.available])).toEqual([
			['us-east-1', true],
			['us-west-2', true]
		]);
	});

	it('reads the instance name when description is missing (as in the live shape)', () => {
		expect(LAMBDA_LIVE.data.gpu_1x_gh200!.instance_type.description).toBeUndefined();
		expect(
			parseLambda(LAMBDA_LIVE, AT)
				.offers.map((o) => o.gpu)
				.sort()
		).toEqual(['a100-sxm-40gb', 'a100-sxm-40gb', 'gh200', 'h100-sxm']);
	});

	it.each([
		['gpu_1x_rtx6000', 'quadro-rtx-6000', 1, 24],
		['gpu_8x_a100_80gb_sxm4', 'a100-sxm-80gb', 8, 80],
		['gpu_1x_a100', 'a100-pcie-40gb', 1, 40],
		['gpu_1x_a100_sxm4', 'a100-sxm-40gb', 1, 40],
		['gpu_4x_a6000', 'rtx-a6000', 4, 48],
		['gpu_1x_h100_pcie', 'h100-pcie', 1, 80],
		['gpu_8x_b200_sxm6', 'b200', 8, 180],
		['gpu_8x_v100', 'v100-16gb', 8, 16]
	])('maps %s to %s (%i GPUs of %i GB)', (name, slug, count, vram) => {
		const r = lambda(lambdaItem(name, 100 * count, count));
		expect(r.offers[0]).toMatchObject({ gpu: slug, gpuCount: count, vramGb: vram, gpuName: name });
	});

	it('skips CPU-only types and counts unknown GPU types as unmapped', () => {
		const r = lambda(lambdaItem('cpu_4x_general', 20, 0), lambdaItem('gpu_2x_z9000', 500, 2));
		expect(r.offers).toEqual([]);
		expect(r.skippedReasons).toEqual({ 'CPU-only instance type': 1 });
		expect(r.unmapped).toEqual({ gpu_2x_z9000: 1 });
		// The spec example's made-up type (lambda-instance-types-openapi-example.json).
		expect(parseLambda(readFixture('lambda-instance-types-openapi-example.json'), AT).unmapped).toEqual({
			gpu_8x_example: 1
		});
	});

	it('coerces a price sent as a string, and parses names with multi-digit counts', () => {
		const item = lambdaItem('gpu_1x_gh200', 0, 1);
		(item.instance_type as Record<string, unknown>).price_cents_per_hour = '229';
		expect(lambda(item).offers[0]!.pricePerHourUsd).toBe(2.29);
		expect(lambdaNameParts('gpu_16x_h100_sxm5')).toEqual({ count: 16, token: 'h100_sxm5' });
		expect(lambdaNameParts('cpu_4x_general')).toBeNull();
	});

	it('refuses an answer whose data is missing', () => {
		expect(() => parseLambda({ instance_types: [] }, AT)).toThrow(PayloadShapeError);
	});
});
