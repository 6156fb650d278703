/**
 * Synthetic but realistic data for `npm run bench`:
 *  - a vast.ai answer of N offers built on the real recorded offer (all its ~90 fields, so parsing costs
 *    what it costs on a real answer), with GPU names, box sizes and countries drawn from what the archive
 *    and the recorded payloads show;
 *  - the series a year of 10-minute polls of all three providers leaves in `price_history`.
 * A seeded PRNG makes every run generate the same data.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VASTAI_GPU_NAMES } from '#adapters/vastai-names.ts';
import { ROOT } from './build.ts';

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function pick<T>(r: () => number, items: readonly { item: T; weight: number }[]): T {
	const total = items.reduce((s, i) => s + i.weight, 0);
	let x = r() * total;
	for (const i of items) {
		x -= i.weight;
		if (x <= 0) return i.item;
	}
	return items[items.length - 1]!.item;
}

export interface ArchiveRow {
	date: string;
	provider: string;
	gpuModel: string;
	gpuCount: number;
	region: string;
	rentalType: string;
	min: number;
	median: number;
	max: number;
	n: number;
}

/** The bundled archive (archive/observations-*.csv), parsed without quoting rules (it has none). */
export function readArchive(): ArchiveRow[] {
	const dir = join(ROOT, 'archive');
	const file = readdirSync(dir).find((f) => f.startsWith('observations-') && f.endsWith('.csv'));
	if (!file) throw new Error('bench: no archive/observations-*.csv in the repo');
	const lines = readFileSync(join(dir, file), 'utf8').trim().split('\n');
	const header = lines[0]!.split(',');
	const ix = (name: string) => header.indexOf(name);
	return lines.slice(1).map((l) => {
		const c = l.split(',');
		return {
			date: c[ix('date')]!,
			provider: c[ix('provider')]!,
			gpuModel: c[ix('gpu_model')]!,
			gpuCount: Number(c[ix('gpu_count')]),
			region: c[ix('region')]!,
			rentalType: c[ix('rental_type')]!,
			min: Number(c[ix('price_min_usd')]),
			median: Number(c[ix('price_median_usd')]),
			max: Number(c[ix('price_max_usd')]),
			n: Number(c[ix('n_offers')])
		};
	});
}

/** Archive (tracker) GPU names → the vast.ai gpu_name and per-GPU memory (MiB) vast.ai reports. */
const TRACKER_TO_VAST: Record<string, { name: string; ramMib: number }> = {
	RTX_4090: { name: 'RTX 4090', ramMib: 24564 },
	RTX_5090: { name: 'RTX 5090', ramMib: 32607 },
	A100_SXM_80GB: { name: 'A100 SXM4', ramMib: 81920 },
	A100_SXM_40GB: { name: 'A100 SXM4', ramMib: 40960 },
	A100_PCIE_80GB: { name: 'A100 PCIE', ramMib: 81920 },
	A100_PCIE_40GB: { name: 'A100 PCIE', ramMib: 40960 },
	H100_SXM: { name: 'H100 SXM', ramMib: 81559 },
	H100_PCIE: { name: 'H100 PCIE', ramMib: 81559 },
	H100_NVL: { name: 'H100 NVL', ramMib: 95830 },
	H200: { name: 'H200', ramMib: 143771 },
	B200: { name: 'B200', ramMib: 183359 },
	L40S: { name: 'L40S', ramMib: 46068 },
	L40: { name: 'L40', ramMib: 46068 },
	GH200: { name: 'GH200 SXM', ramMib: 97871 },
	RTX_PRO_6000: { name: 'RTX PRO 6000 WS', ramMib: 97887 }
};

/**
 * The long tail of the market the archive's tracker did not follow (it queried 13 GPU models): other
 * names vast.ai sends (vast-gpu-names.json), with a per-GPU price and memory typical of each.
 */
const TAIL: { name: string; ramMib: number; usd: number; weight: number }[] = [
	{ name: 'RTX 3090', ramMib: 24576, usd: 0.2, weight: 14 },
	{ name: 'RTX A6000', ramMib: 49140, usd: 0.45, weight: 4 },
	{ name: 'RTX A5000', ramMib: 24564, usd: 0.22, weight: 3 },
	{ name: 'RTX A4000', ramMib: 16376, usd: 0.12, weight: 3 },
	{ name: 'RTX 6000Ada', ramMib: 49140, usd: 0.75, weight: 2 },
	{ name: 'RTX 4080S', ramMib: 16376, usd: 0.18, weight: 3 },
	{ name: 'RTX 4070S Ti', ramMib: 16376, usd: 0.15, weight: 2 },
	{ name: 'RTX 3090 Ti', ramMib: 24564, usd: 0.24, weight: 1 },
	{ name: 'A40', ramMib: 46068, usd: 0.4, weight: 2 },
	{ name: 'A10', ramMib: 23028, usd: 0.2, weight: 1 },
	{ name: 'L4', ramMib: 23034, usd: 0.3, weight: 1 },
	{ name: 'Tesla V100', ramMib: 16384, usd: 0.15, weight: 1 },
	{ name: 'Tesla T4', ramMib: 15360, usd: 0.1, weight: 1 },
	{ name: 'RTX 3060', ramMib: 12288, usd: 0.07, weight: 3 }, // excluded (< 16 GB): exercises the skip path
	{ name: 'GTX 1080 Ti', ramMib: 11264, usd: 0.05, weight: 1 }
];

export interface VastMarket {
	/** name → per-GPU base price and memory, with a weight (share of offers) */
	gpus: { name: string; ramMib: number; usd: number; weight: number }[];
	counts: { item: number; weight: number }[];
	countries: { item: string; weight: number }[];
}

/** The shape of the vast.ai market: GPUs, box sizes and countries weighted as the archive saw them. */
export function vastMarket(archive: ArchiveRow[]): VastMarket {
	const vast = archive.filter((r) => r.provider === 'vast.ai' && r.rentalType === 'on_demand');
	const byGpu = new Map<string, { n: number; medians: number[] }>();
	const byCount = new Map<number, number>();
	const byCountry = new Map<string, number>();
	for (const r of vast) {
		const g = byGpu.get(r.gpuModel) ?? { n: 0, medians: [] };
		g.n += r.n;
		g.medians.push(r.median);
		byGpu.set(r.gpuModel, g);
		byCount.set(r.gpuCount, (byCount.get(r.gpuCount) ?? 0) + r.n);
		byCountry.set(r.region, (byCountry.get(r.region) ?? 0) + r.n);
	}
	const gpus: VastMarket['gpus'] = [];
	for (const [model, g] of byGpu) {
		const v = TRACKER_TO_VAST[model];
		if (!v || !VASTAI_GPU_NAMES[v.name]) continue;
		const sorted = g.medians.sort((a, b) => a - b);
		gpus.push({ name: v.name, ramMib: v.ramMib, usd: sorted[Math.floor(sorted.length / 2)]!, weight: g.n });
	}
	// The tail gets about a third of the offers, as consumer cards dominate vast.ai's listing.
	const tracked = gpus.reduce((s, g) => s + g.weight, 0);
	const tailWeight = TAIL.reduce((s, g) => s + g.weight, 0);
	for (const t of TAIL) gpus.push({ ...t, weight: (t.weight / tailWeight) * tracked * 0.5 });
	return {
		gpus,
		counts: [...byCount].map(([item, weight]) => ({ item, weight })),
		countries: [...byCountry].map(([item, weight]) => ({ item, weight }))
	};
}

/** A vast.ai `bundles` answer of `n` offers, each a copy of the recorded real offer with varied fields. */
export function vastAnswer(n: number, market: VastMarket, template: Record<string, unknown>, seed = 1) {
	const r = rng(seed);
	const gpuItems = market.gpus.map((g) => ({ item: g, weight: g.weight }));
	const offers: Record<string, unknown>[] = [];
	for (let i = 0; i < n; i++) {
		const g = pick(r, gpuItems);
		const count = pick(r, market.counts);
		const country = pick(r, market.countries);
		// Per-GPU price spread around the typical price: ×0.7 … ×1.6.
		const perGpu = g.usd * (0.7 + r() * 0.9);
		const base = +(perGpu * count).toFixed(4);
		const storage = 0.005 * r();
		offers.push({
			...template,
			id: 20_000_000 + i,
			ask_contract_id: 20_000_000 + i,
			machine_id: 10_000 + Math.floor(i / 3),
			host_id: 100_000 + Math.floor(i / 7),
			gpu_name: g.name,
			num_gpus: count,
			gpu_ram: g.ramMib,
			gpu_total_ram: g.ramMib * count,
			dph_base: base,
			dph_total: base + storage,
			storage_total_cost: storage,
			search: { gpuCostPerHour: base, diskHour: storage, totalHour: base + storage, discountTotalHour: 0 },
			min_bid: r() < 0.75 ? +(base * (0.5 + r() * 0.4)).toFixed(4) : 0,
			geolocation: `Somewhere, ${country}`,
			hosting_type: r() < 0.2 ? 1 : 0,
			reliability2: 0.9 + r() * 0.1,
			verification: r() < 0.8 ? 'verified' : 'unverified',
			rentable: true,
			rented: false
		});
	}
	return { offers };
}
