/**
 * Parsing archived price files into observations (pure: text in, rows out; no database).
 *
 * Two formats:
 *  - `tracker-csv`: the daily-aggregate CSV of cherielilili/gpu-pricing-tracker (archive/README.md):
 *    one row per day × provider × GPU × GPU count × region × rental type with min/median/max per
 *    GPU-hour and the number of offers behind them. Stored as published.
 *  - `skypilot-vms`: one SkyPilot catalog `vms.csv` of vast.ai (catalogs/v7/vast/vms.csv; columns in
 *    shared research providers.md §5): one snapshot, one row per instance shape and region, Price per
 *    INSTANCE-hour. Rows of one key (GPU, count, country, pricing) are aggregated into one observation.
 *  - `skypilot-lambda-vms`: SkyPilot's Lambda file (catalogs/v8|v9/lambda/vms.csv), read by the keyless
 *    Lambda source itself (adapters/lambda-catalog.ts); one observation per GPU × count × region × pricing.
 *  - `skypilot-runpod-vms`: SkyPilot's RunPod file (catalogs/<v>/runpod/vms.csv, written by SkyPilot's
 *    sky/catalog/data_fetchers/fetch_runpod.py: secure cloud only, `<n>x_<name>_SECURE`, Price and
 *    SpotPrice per instance-hour, one row per availability zone).
 */
import { gpuBySlug } from '#catalog/gpus.ts';
import { slugForSkypilotVastName, slugForTrackerName } from './archive-names.ts';
import { VRAM_MATCH_TOLERANCE } from '#adapters/gpu-names.ts';
import { LAMBDA_CATALOG_COLUMNS, gpuInfoMemoryGib, parseLambdaCatalog } from '#adapters/lambda-catalog.ts';
import type { NormalizedOffer, ProviderId } from '#adapters/types.ts';

export const ARCHIVE_FORMATS = [
	'tracker-csv',
	'skypilot-vms',
	'skypilot-lambda-vms',
	'skypilot-runpod-vms'
] as const;
export type ArchiveFormat = (typeof ARCHIVE_FORMATS)[number];

/** One archived observation, as stored in archive_observations. Prices are USD per GPU-hour. */
export interface ArchiveObservation {
	/** start of the observation period, ISO 8601 (00:00 UTC of the day for daily aggregates) */
	t: string;
	provider: ProviderId;
	gpu: string;
	sourceGpuName: string;
	gpuCount: number;
	region: string;
	pricing: 'on_demand' | 'spot';
	/** 'secure' | 'community' | '' (no split, or the lowest of both) */
	cloud: string;
	minUsd: number;
	medianUsd: number;
	maxUsd: number;
	n: number;
	sourceUrl: string | null;
	fetchedAt: string | null;
}

export interface ParsedArchive {
	format: ArchiveFormat;
	/** data rows in the file */
	rowsTotal: number;
	observations: ArchiveObservation[];
	/** GPU names the catalog does not know → rows */
	unmapped: Record<string, number>;
	/** rows that could not be read (reason → rows) */
	invalid: Record<string, number>;
}

export const TRACKER_HEADER = [
	'date',
	'provider',
	'gpu_model',
	'gpu_count',
	'region',
	'rental_type',
	'price_min_usd',
	'price_median_usd',
	'price_max_usd',
	'n_offers',
	'source_url',
	'fetched_at'
] as const;

export const SKYPILOT_VAST_HEADER = [
	'InstanceType',
	'AcceleratorName',
	'AcceleratorCount',
	'vCPUs',
	'MemoryGiB',
	'GpuInfo',
	'Price',
	'SpotPrice',
	'Region'
] as const;

/**
 * SkyPilot's RunPod file header, in its order (fetch_runpod.py USEFUL_COLUMNS,
 * https://github.com/skypilot-org/skypilot/blob/master/sky/catalog/data_fetchers/fetch_runpod.py).
 */
export const SKYPILOT_RUNPOD_HEADER = [
	'InstanceType',
	'AcceleratorName',
	'AcceleratorCount',
	'vCPUs',
	'MemoryGiB',
	'Region',
	'SpotPrice',
	'Price',
	'AvailabilityZone',
	'GpuInfo'
] as const;

/**
 * SkyPilot's RunPod accelerator names → slug (null: outside the catalog, e.g. cards under 16 GB). The
 * names are RunPod's displayName without "RTX " spaces, hyphenated, with SkyPilot's overrides
 * (A100-PCIe → A100-80GB, A100-SXM → A100-80GB-SXM, H100-PCIe → H100) — fetch_runpod.py above.
 */
export const SKYPILOT_RUNPOD_NAMES: Record<string, string | null> = {
	'A100-80GB': 'a100-pcie-80gb',
	'A100-80GB-SXM': 'a100-sxm-80gb',
	A30: 'a30',
	A40: 'a40',
	B200: 'b200',
	H100: 'h100-pcie',
	'H100-NVL': 'h100-nvl',
	'H100-SXM': 'h100-sxm',
	'H200-SXM': 'h200',
	L4: 'l4',
	L40: 'l40',
	L40S: 'l40s',
	MI300X: 'mi300x',
	'RTX2000-Ada': 'rtx-2000-ada',
	RTX3070: null,
	RTX3080: null,
	'RTX3080-Ti': null,
	RTX3090: 'rtx-3090',
	'RTX3090-Ti': 'rtx-3090-ti',
	'RTX4000-Ada': 'rtx-4000-ada',
	RTX4080: 'rtx-4080',
	'RTX4080-SUPER': 'rtx-4080-super',
	RTX4090: 'rtx-4090',
	'RTX5000-Ada': 'rtx-5000-ada',
	RTX5080: 'rtx-5080',
	RTX5090: 'rtx-5090',
	'RTX6000-Ada': 'rtx-6000-ada',
	RTXA4000: 'rtx-a4000',
	RTXA4500: 'rtx-a4500',
	RTXA5000: 'rtx-a5000',
	RTXA6000: 'rtx-a6000',
	RTXPRO4500: 'rtx-pro-4500',
	RTXPRO6000: 'rtx-pro-6000',
	'RTXPRO6000-MaxQ': 'rtx-pro-6000',
	'RTXPRO6000-WK': 'rtx-pro-6000',
	'V100-SXM2': 'v100-16gb',
	'V100-SXM2-32GB': 'v100-32gb'
};

/** The tracker's provider names → ours. */
const TRACKER_PROVIDERS: Record<string, ProviderId> = {
	'vast.ai': 'vastai',
	runpod: 'runpod',
	lambda: 'lambda'
};

/**
 * The tracker's RunPod "region" is really which price field it read (archive/README.md): `secure` =
 * securePrice (Secure Cloud), `community` + spot = communitySpotPrice (Community Cloud), `any` =
 * lowestPrice.uninterruptablePrice / minimumBidPrice — the lowest over both clouds, so no cloud ('').
 */
const RUNPOD_REGION_CLOUD: Record<string, string> = { secure: 'secure', community: 'community' };

/** Sanity bound on a price per GPU-hour (USD): no rentable GPU costs more (B300 lists ≈ $8). */
const MAX_PRICE_PER_GPU_HOUR_USD = 1000;

/**
 * RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines (SkyPilot's GpuInfo column is
 * quoted). Returns rows of fields; a trailing empty line is dropped.
 */
export function parseCsv(text: string): string[][] {
	const out: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	let i = 0;
	if (text.charCodeAt(0) === 0xfeff) i = 1; // byte-order mark
	for (; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"') {
				if (text[i + 1] === '"') {
					field += '"';
					i++;
				} else quoted = false;
			} else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(field);
			field = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			row.push(field);
			out.push(row);
			row = [];
			field = '';
		} else field += c;
	}
	if (field !== '' || row.length > 0) {
		row.push(field);
		out.push(row);
	}
	return out.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** Which format a header row belongs to, or undefined. */
export function detectFormat(header: string[]): ArchiveFormat | undefined {
	const h = header.map((s) => s.trim());
	// SkyPilot's files share column names (Lambda's has exactly vast.ai's, in another order): the exact
	// order of the Lambda and RunPod writers decides first.
	if (h.join(',') === LAMBDA_CATALOG_COLUMNS.join(',')) return 'skypilot-lambda-vms';
	if (h.join(',') === SKYPILOT_RUNPOD_HEADER.join(',')) return 'skypilot-runpod-vms';
	if (TRACKER_HEADER.every((c) => h.includes(c))) return 'tracker-csv';
	if (SKYPILOT_VAST_HEADER.every((c) => h.includes(c))) return 'skypilot-vms';
	return undefined;
}

function bump(map: Record<string, number>, key: string, by = 1): void {
	map[key] = (map[key] ?? 0) + by;
}

function price(s: string | undefined): number | undefined {
	if (s === undefined || s.trim() === '') return undefined;
	const v = Number(s);
	return Number.isFinite(v) && v > 0 && v < MAX_PRICE_PER_GPU_HOUR_USD ? v : undefined;
}

function columnIndex(header: string[]): (row: string[], name: string) => string | undefined {
	const idx = new Map(header.map((h, i) => [h.trim(), i]));
	return (row, name) => {
		const i = idx.get(name);
		return i === undefined ? undefined : row[i];
	};
}

export interface ParseOptions {
	/** skypilot-vms: when the snapshot was taken (the file itself carries no time) */
	observedAt?: Date;
	/** called every few thousand rows */
	onProgress?: (done: number, total: number) => void;
}

export function parseArchive(text: string, format?: ArchiveFormat, opts: ParseOptions = {}): ParsedArchive {
	const table = parseCsv(text);
	const header = table[0];
	if (!header) throw new Error('[archive] the file is empty');
	const detected = detectFormat(header);
	const fmt = format ?? detected;
	if (!fmt) {
		throw new Error(
			`[archive] unknown file format (header: ${header.slice(0, 6).join(',')} …); ` +
				`pass --format ${ARCHIVE_FORMATS.join('|')}`
		);
	}
	if (detected !== fmt) {
		throw new Error(`[archive] the header does not match --format ${fmt}`);
	}
	const body = table.slice(1);
	if (fmt === 'tracker-csv') return parseTracker(header, body, opts);
	if (!opts.observedAt || Number.isNaN(opts.observedAt.getTime())) {
		throw new Error('[archive] a SkyPilot vms.csv is one snapshot without a time: pass --observed-at ISO');
	}
	if (fmt === 'skypilot-lambda-vms') return parseSkypilotLambda(text, body.length, opts.observedAt);
	if (fmt === 'skypilot-runpod-vms') return parseSkypilotRunpod(header, body, opts.observedAt, opts);
	return parseSkypilotVast(header, body, opts.observedAt, opts);
}

/** One SkyPilot price row, before rows of one key are aggregated into an observation. */
type CatalogPrice = Omit<ArchiveObservation, 'minUsd' | 'medianUsd' | 'maxUsd' | 'n'> & { usd: number };

/** Rows of one GPU × listed name × count × region × pricing → one observation (min/median/max, n). */
function aggregateCatalogPrices(prices: CatalogPrice[]): ArchiveObservation[] {
	const groups = new Map<string, { key: Omit<CatalogPrice, 'usd'>; usd: number[] }>();
	for (const { usd, ...key } of prices) {
		const k = [key.gpu, key.sourceGpuName, key.gpuCount, key.region, key.pricing, key.cloud].join('|');
		let g = groups.get(k);
		if (!g) groups.set(k, (g = { key, usd: [] }));
		g.usd.push(usd);
	}
	return [...groups.values()].map(({ key, usd }) => {
		usd.sort((a, b) => a - b);
		return { ...key, minUsd: usd[0]!, medianUsd: median(usd), maxUsd: usd[usd.length - 1]!, n: usd.length };
	});
}

/** SkyPilot's Lambda file through the keyless Lambda source's own parser (one set of name rules). */
function parseSkypilotLambda(text: string, rowsTotal: number, observedAt: Date): ParsedArchive {
	const parsed = parseLambdaCatalog(text, observedAt);
	const t = observedAt.toISOString();
	const toPrice = (o: NormalizedOffer): CatalogPrice => ({
		t,
		provider: 'lambda',
		gpu: o.gpu,
		sourceGpuName: o.gpuName,
		gpuCount: o.gpuCount,
		region: o.region.slice(0, 40),
		pricing: o.pricing,
		cloud: '',
		sourceUrl: 'skypilot-catalog lambda/vms.csv',
		fetchedAt: t,
		usd: o.pricePerGpuHourUsd
	});
	const invalid: Record<string, number> = { ...parsed.skippedReasons };
	if (parsed.rejectedPrices) invalid['Price'] = parsed.rejectedPrices;
	return {
		format: 'skypilot-lambda-vms',
		rowsTotal,
		observations: aggregateCatalogPrices(parsed.offers.map(toPrice)),
		unmapped: parsed.unmapped,
		invalid
	};
}

/** `<count>x_<SkyPilot name>_SECURE` (fetch_runpod.py: secure cloud only). */
const SKYPILOT_RUNPOD_INSTANCE_RE = /^(\d+)x_(.+)_SECURE$/;

function parseSkypilotRunpod(
	header: string[],
	body: string[][],
	observedAt: Date,
	opts: ParseOptions
): ParsedArchive {
	const col = columnIndex(header);
	const unmapped: Record<string, number> = {};
	const invalid: Record<string, number> = {};
	const prices: CatalogPrice[] = [];
	const t = observedAt.toISOString();
	body.forEach((row, i) => {
		if (opts.onProgress && i % PROGRESS_EVERY === 0) opts.onProgress(i, body.length);
		const name = col(row, 'AcceleratorName')?.trim() ?? '';
		if (!name) return bump(invalid, 'CPU-only instance type');
		const m = SKYPILOT_RUNPOD_INSTANCE_RE.exec(col(row, 'InstanceType')?.trim() ?? '');
		if (!m) return bump(invalid, 'InstanceType (not <n>x_<name>_SECURE)');
		const gpuCount = Number(col(row, 'AcceleratorCount'));
		if (!Number.isInteger(gpuCount) || gpuCount < 1 || gpuCount > 64)
			return bump(invalid, 'AcceleratorCount');
		const slug = Object.hasOwn(SKYPILOT_RUNPOD_NAMES, name) ? SKYPILOT_RUNPOD_NAMES[name] : undefined;
		if (slug === undefined) return bump(unmapped, name.slice(0, 60));
		if (slug === null) return bump(invalid, 'excluded GPU (outside the catalog)');
		// GpuInfo's memory per GPU must fit the slug (a renamed card is not silently priced as another).
		const memGib = gpuInfoMemoryGib(col(row, 'GpuInfo') ?? '');
		const vram = gpuBySlug(slug)?.vramGb ?? 0;
		if (memGib !== null && Math.abs(memGib - vram) > vram * VRAM_MATCH_TOLERANCE)
			return bump(unmapped, `${name} (${Math.round(memGib)} GB)`.slice(0, 60));
		const region = (col(row, 'Region')?.trim() || 'unknown').slice(0, 40);
		let any = false;
		for (const [pricing, instanceUsd] of [
			['on_demand', price(col(row, 'Price'))],
			['spot', price(col(row, 'SpotPrice'))]
		] as const) {
			if (instanceUsd === undefined) continue;
			any = true;
			prices.push({
				t,
				provider: 'runpod',
				gpu: slug,
				sourceGpuName: name,
				gpuCount,
				region,
				pricing,
				// fetch_runpod.py writes secure-cloud prices only.
				cloud: 'secure',
				sourceUrl: 'skypilot-catalog runpod/vms.csv',
				fetchedAt: t,
				usd: instanceUsd / gpuCount
			});
		}
		if (!any) bump(invalid, 'Price');
	});
	opts.onProgress?.(body.length, body.length);
	return {
		format: 'skypilot-runpod-vms',
		rowsTotal: body.length,
		observations: aggregateCatalogPrices(prices),
		unmapped,
		invalid
	};
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const PROGRESS_EVERY = 2000;

function parseTracker(header: string[], body: string[][], opts: ParseOptions): ParsedArchive {
	const col = columnIndex(header);
	const observations: ArchiveObservation[] = [];
	const unmapped: Record<string, number> = {};
	const invalid: Record<string, number> = {};
	body.forEach((row, i) => {
		if (opts.onProgress && i % PROGRESS_EVERY === 0) opts.onProgress(i, body.length);
		const date = col(row, 'date')?.trim() ?? '';
		const provider = TRACKER_PROVIDERS[col(row, 'provider')?.trim() ?? ''];
		const gpuName = col(row, 'gpu_model')?.trim() ?? '';
		const gpuCount = Number(col(row, 'gpu_count'));
		const region = col(row, 'region')?.trim() ?? '';
		const rental = col(row, 'rental_type')?.trim();
		const minUsd = price(col(row, 'price_min_usd'));
		const medianUsd = price(col(row, 'price_median_usd'));
		const maxUsd = price(col(row, 'price_max_usd'));
		const n = Number(col(row, 'n_offers'));
		if (!provider) return bump(invalid, `provider "${(col(row, 'provider') ?? '').slice(0, 40)}"`);
		if (!DATE_RE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) return bump(invalid, 'date');
		if (rental !== 'on_demand' && rental !== 'spot') return bump(invalid, 'rental_type');
		if (!Number.isInteger(gpuCount) || gpuCount < 1 || gpuCount > 64) return bump(invalid, 'gpu_count');
		if (minUsd === undefined || medianUsd === undefined || maxUsd === undefined)
			return bump(invalid, 'price');
		if (!(minUsd <= medianUsd && medianUsd <= maxUsd)) return bump(invalid, 'min ≤ median ≤ max');
		if (!Number.isInteger(n) || n < 0) return bump(invalid, 'n_offers');
		if (!region) return bump(invalid, 'region');
		const gpu = slugForTrackerName(gpuName);
		if (!gpu) return bump(unmapped, gpuName.slice(0, 60) || '(empty)');
		const cloud = provider === 'runpod' ? (RUNPOD_REGION_CLOUD[region] ?? '') : '';
		const fetched = col(row, 'fetched_at')?.trim();
		const fetchedMs = fetched ? Date.parse(fetched) : NaN;
		observations.push({
			t: `${date}T00:00:00.000Z`,
			provider,
			gpu,
			sourceGpuName: gpuName,
			gpuCount,
			region: region.slice(0, 40),
			pricing: rental,
			cloud,
			minUsd,
			medianUsd,
			maxUsd,
			n,
			sourceUrl: col(row, 'source_url')?.trim().slice(0, 300) || null,
			fetchedAt: Number.isNaN(fetchedMs) ? null : new Date(fetchedMs).toISOString()
		});
	});
	opts.onProgress?.(body.length, body.length);
	return { format: 'tracker-csv', rowsTotal: body.length, observations, unmapped, invalid };
}

/** `<count>x-<vast gpu_name, spaces → _>-<cpu cores>-<cpu ram MB>` (providers.md §5 fixture notes). */
const SKYPILOT_VAST_INSTANCE_RE = /^(\d+)x-(.+)-(\d+)-(\d+)$/;
/** GpuInfo is a Python dict literal; only the total memory is read from it. */
const TOTAL_MIB_RE = /'TotalGpuMemoryInMiB':\s*(\d+)/;
const MIB_PER_GB = 1024;

function median(sorted: number[]): number {
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function parseSkypilotVast(
	header: string[],
	body: string[][],
	observedAt: Date,
	opts: ParseOptions
): ParsedArchive {
	const col = columnIndex(header);
	const unmapped: Record<string, number> = {};
	const invalid: Record<string, number> = {};
	const groups = new Map<
		string,
		{ key: Omit<ArchiveObservation, 'minUsd' | 'medianUsd' | 'maxUsd' | 'n'>; prices: number[] }
	>();
	const t = observedAt.toISOString();
	body.forEach((row, i) => {
		if (opts.onProgress && i % PROGRESS_EVERY === 0) opts.onProgress(i, body.length);
		const m = SKYPILOT_VAST_INSTANCE_RE.exec(col(row, 'InstanceType')?.trim() ?? '');
		if (!m) return bump(invalid, 'InstanceType (not a vast.ai shape)');
		const gpuName = m[2]!;
		const gpuCount = Number(col(row, 'AcceleratorCount'));
		if (!Number.isInteger(gpuCount) || gpuCount < 1 || gpuCount > 64)
			return bump(invalid, 'AcceleratorCount');
		const totalMib = Number(TOTAL_MIB_RE.exec(col(row, 'GpuInfo') ?? '')?.[1]);
		const vramGb = totalMib > 0 ? totalMib / gpuCount / MIB_PER_GB : undefined;
		const gpu = slugForSkypilotVastName(gpuName, vramGb);
		if (!gpu) {
			const label = vramGb ? `${gpuName} (${Math.round(vramGb)} GB)` : gpuName;
			return bump(unmapped, label.slice(0, 60));
		}
		// Region "<State/Country>, <CC>, <continent>" (state may be empty): the country code is kept.
		const parts = (col(row, 'Region') ?? '').split(',').map((s) => s.trim());
		const country = parts.length >= 2 ? parts[parts.length - 2]! : parts[0]!;
		const region = /^[A-Z]{2}$/.test(country) ? country : (country || 'unknown').slice(0, 40);
		// Price and SpotPrice are per instance-hour → per GPU-hour. SpotPrice 0.00 means no spot price.
		const perGpu: [ArchiveObservation['pricing'], number | undefined][] = [
			['on_demand', price(col(row, 'Price'))],
			['spot', price(col(row, 'SpotPrice'))]
		];
		let any = false;
		for (const [pricing, instanceUsd] of perGpu) {
			if (instanceUsd === undefined) continue;
			any = true;
			const key = [gpu, gpuName, gpuCount, region, pricing].join('|');
			let g = groups.get(key);
			if (!g) {
				g = {
					key: {
						t,
						provider: 'vastai',
						gpu,
						sourceGpuName: gpuName,
						gpuCount,
						region,
						pricing,
						cloud: '',
						sourceUrl: 'skypilot-catalog catalogs/v7/vast/vms.csv',
						fetchedAt: t
					},
					prices: []
				};
				groups.set(key, g);
			}
			g.prices.push(instanceUsd / gpuCount);
		}
		if (!any) bump(invalid, 'Price');
	});
	opts.onProgress?.(body.length, body.length);
	const observations = [...groups.values()].map(({ key, prices }) => {
		prices.sort((a, b) => a - b);
		return {
			...key,
			minUsd: prices[0]!,
			medianUsd: median(prices),
			maxUsd: prices[prices.length - 1]!,
			n: prices.length
		};
	});
	return { format: 'skypilot-vms', rowsTotal: body.length, observations, unmapped, invalid };
}
