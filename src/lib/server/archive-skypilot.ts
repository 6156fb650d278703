/**
 * SkyPilot's public catalog files (skypilot-org/skypilot-catalog, `catalogs/<version>/<cloud>/vms.csv`;
 * columns and quirks in docs/providers.md §5.2): one snapshot each, one row per instance shape
 * and region, prices per INSTANCE-hour. Rows of one key (GPU, listed name, count, region, pricing) are
 * aggregated into one observation per GPU-hour (min/median/max, n).
 *  - `skypilot-vms`: vast.ai (catalogs/v7/vast/vms.csv);
 *  - `skypilot-lambda-vms`: Lambda (catalogs/v8|v9/lambda/vms.csv), read by the keyless Lambda source
 *    itself (adapters/lambda-catalog.ts), so one set of name rules;
 *  - `skypilot-runpod-vms`: RunPod, written by SkyPilot's fetch_runpod.py (secure cloud only,
 *    `<n>x_<name>_SECURE`, Price and SpotPrice, one row per availability zone).
 */
import { gpuInfoMemoryGib, parseLambdaCatalog } from '#adapters/lambda-catalog.ts';
import { VRAM_MATCH_TOLERANCE } from '#adapters/gpu-names.ts';
import type { NormalizedOffer } from '#adapters/types.ts';
import { gpuBySlug } from '#catalog/gpus.ts';
import { medianOfSorted } from '../stats.ts';
import { SKYPILOT_RUNPOD_NAMES, slugForSkypilotVastName } from './archive-names.ts';
import {
	bump,
	columnIndex,
	price,
	PROGRESS_EVERY,
	validGpuCount,
	type ArchiveObservation,
	type ParsedArchive,
	type ParseOptions
} from './archive-rows.ts';

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
		return {
			...key,
			minUsd: usd[0]!,
			medianUsd: medianOfSorted(usd),
			maxUsd: usd[usd.length - 1]!,
			n: usd.length
		};
	});
}

/** The on-demand and spot prices of one row (per instance-hour); SpotPrice 0.00 means no spot price. */
function rowPrices(
	col: ReturnType<typeof columnIndex>,
	row: string[]
): [ArchiveObservation['pricing'], number | undefined][] {
	return [
		['on_demand', price(col(row, 'Price'))],
		['spot', price(col(row, 'SpotPrice'))]
	];
}

/** SkyPilot's Lambda file through the keyless Lambda source's own parser (one set of name rules). */
export function parseSkypilotLambda(text: string, rowsTotal: number, observedAt: Date): ParsedArchive {
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

/** What one catalog row says before its prices: the shape it lists, or why it is skipped. */
type CatalogRow =
	| Omit<CatalogPrice, 't' | 'fetchedAt' | 'pricing' | 'usd'>
	| { skip: 'invalid' | 'unmapped'; reason: string };

/**
 * The row loop both SkyPilot CSV formats share: progress, the field count, each row's on-demand and
 * spot prices per instance-hour → per GPU-hour, and the aggregation into observations. `readRow` says what
 * a row lists (or why it is skipped); the counts of skipped rows are returned by reason.
 */
function parseCatalogRows(
	format: ParsedArchive['format'],
	header: string[],
	body: string[][],
	observedAt: Date,
	opts: ParseOptions,
	readRow: (row: string[], col: ReturnType<typeof columnIndex>) => CatalogRow
): ParsedArchive {
	const col = columnIndex(header);
	const unmapped: Record<string, number> = {};
	const invalid: Record<string, number> = {};
	const prices: CatalogPrice[] = [];
	const t = observedAt.toISOString();
	body.forEach((row, i) => {
		if (opts.onProgress && i % PROGRESS_EVERY === 0) opts.onProgress(i, body.length);
		if (row.length !== header.length) return bump(invalid, 'number of fields');
		const listed = readRow(row, col);
		if ('skip' in listed) return bump(listed.skip === 'invalid' ? invalid : unmapped, listed.reason);
		let any = false;
		for (const [pricing, instanceUsd] of rowPrices(col, row)) {
			if (instanceUsd === undefined) continue;
			any = true;
			// Price and SpotPrice are per instance-hour → per GPU-hour.
			prices.push({ ...listed, t, fetchedAt: t, pricing, usd: instanceUsd / listed.gpuCount });
		}
		if (!any) bump(invalid, 'Price');
	});
	opts.onProgress?.(body.length, body.length);
	return {
		format,
		rowsTotal: body.length,
		observations: aggregateCatalogPrices(prices),
		unmapped,
		invalid
	};
}

const invalidRow = (reason: string): CatalogRow => ({ skip: 'invalid', reason });
const unmappedRow = (name: string): CatalogRow => ({ skip: 'unmapped', reason: name.slice(0, 60) });

/** `<count>x_<SkyPilot name>_SECURE` (fetch_runpod.py: secure cloud only). */
const SKYPILOT_RUNPOD_INSTANCE_RE = /^(\d+)x_(.+)_SECURE$/;

export function parseSkypilotRunpod(
	header: string[],
	body: string[][],
	observedAt: Date,
	opts: ParseOptions
): ParsedArchive {
	return parseCatalogRows('skypilot-runpod-vms', header, body, observedAt, opts, (row, col) => {
		const name = col(row, 'AcceleratorName')?.trim() ?? '';
		if (!name) return invalidRow('CPU-only instance type');
		if (!SKYPILOT_RUNPOD_INSTANCE_RE.test(col(row, 'InstanceType')?.trim() ?? ''))
			return invalidRow('InstanceType (not <n>x_<name>_SECURE)');
		const gpuCount = Number(col(row, 'AcceleratorCount'));
		if (!validGpuCount(gpuCount)) return invalidRow('AcceleratorCount');
		const slug = Object.hasOwn(SKYPILOT_RUNPOD_NAMES, name) ? SKYPILOT_RUNPOD_NAMES[name] : undefined;
		if (slug === undefined) return unmappedRow(name);
		if (slug === null) return invalidRow('excluded GPU (outside the catalog)');
		// GpuInfo's memory per GPU must fit the slug (a renamed card is not silently priced as another).
		const memGib = gpuInfoMemoryGib(col(row, 'GpuInfo') ?? '');
		const vram = gpuBySlug(slug)?.vramGb ?? 0;
		if (memGib !== null && Math.abs(memGib - vram) > vram * VRAM_MATCH_TOLERANCE)
			return unmappedRow(`${name} (${Math.round(memGib)} GB)`);
		return {
			provider: 'runpod',
			gpu: slug,
			sourceGpuName: name,
			gpuCount,
			region: (col(row, 'Region')?.trim() || 'unknown').slice(0, 40),
			// fetch_runpod.py writes secure-cloud prices only.
			cloud: 'secure',
			sourceUrl: 'skypilot-catalog runpod/vms.csv'
		};
	});
}

/**
 * `<count>x-<vast gpu_name, spaces → _>-<cpu cores>-<cpu ram MB>`
 * (docs/providers.md §5.2).
 */
const SKYPILOT_VAST_INSTANCE_RE = /^(\d+)x-(.+)-(\d+)-(\d+)$/;
/** GpuInfo is a Python dict literal; only the total memory is read from it. */
const TOTAL_MIB_RE = /'TotalGpuMemoryInMiB':\s*(\d+)/;
const MIB_PER_GB = 1024;

export function parseSkypilotVast(
	header: string[],
	body: string[][],
	observedAt: Date,
	opts: ParseOptions
): ParsedArchive {
	return parseCatalogRows('skypilot-vms', header, body, observedAt, opts, (row, col) => {
		const m = SKYPILOT_VAST_INSTANCE_RE.exec(col(row, 'InstanceType')?.trim() ?? '');
		if (!m) return invalidRow('InstanceType (not a vast.ai shape)');
		const gpuName = m[2]!;
		const gpuCount = Number(col(row, 'AcceleratorCount'));
		if (!validGpuCount(gpuCount)) return invalidRow('AcceleratorCount');
		const totalMib = Number(TOTAL_MIB_RE.exec(col(row, 'GpuInfo') ?? '')?.[1]);
		const vramGb = totalMib > 0 ? totalMib / gpuCount / MIB_PER_GB : undefined;
		const gpu = slugForSkypilotVastName(gpuName, vramGb);
		if (!gpu) return unmappedRow(vramGb ? `${gpuName} (${Math.round(vramGb)} GB)` : gpuName);
		// Region "<State/Country>, <CC>, <continent>" (state may be empty): the country code is kept.
		const parts = (col(row, 'Region') ?? '').split(',').map((s) => s.trim());
		const country = parts.length >= 2 ? parts[parts.length - 2]! : parts[0]!;
		return {
			provider: 'vastai',
			gpu,
			sourceGpuName: gpuName,
			gpuCount,
			region: /^[A-Z]{2}$/.test(country) ? country : (country || 'unknown').slice(0, 40),
			cloud: '',
			sourceUrl: 'skypilot-catalog catalogs/v7/vast/vms.csv'
		};
	});
}
