/**
 * Lambda without a key: SkyPilot's public catalog of Lambda's list prices, a CSV that SkyPilot's CI
 * regenerates from Lambda's instance-types API (https://github.com/skypilot-org/skypilot-catalog, file
 * `catalogs/<version>/lambda/vms.csv`; the recorded copy is tests/fixtures/providers/
 * lambda-skypilot-catalog-v8-vms.csv). One row per instance type × region; Price is USD per instance-hour;
 * GpuInfo is a Python-dict text carrying the memory per GPU. The file says nothing about stock, so every
 * offer's `available` is null ("unknown"), never true or false.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { gpuBySlug } from '#catalog/gpus.ts';
import { VRAM_MATCH_TOLERANCE } from './gpu-names.ts';
import { PayloadShapeError, ProviderError } from './errors.ts';
import { capText, createTally, MAX_NAME_LENGTH, MAX_REGION_LENGTH } from './normalize.ts';
import type { Adapter, FetchContext, FetchResult, NormalizedOffer, ParseResult } from './types.ts';

/** SkyPilot's raw-file URL of a catalog version's Lambda file. */
export const skypilotLambdaCatalogUrl = (version: number) =>
	`https://raw.githubusercontent.com/skypilot-org/skypilot-catalog/master/catalogs/v${version}/lambda/vms.csv`;
/** The newest catalog version SkyPilot publishes (v9 in Dec 2026), then the one before it (on a 404). */
export const DEFAULT_CATALOG_URLS = [skypilotLambdaCatalogUrl(9), skypilotLambdaCatalogUrl(8)];

/**
 * The header SkyPilot writes (fetch_lambda_cloud.py; identical in v8 and v9). Anything else — a column
 * added, removed, renamed or moved — is a changed format: an outage, never a guess at what moved where.
 */
export const LAMBDA_CATALOG_COLUMNS = [
	'InstanceType',
	'AcceleratorName',
	'AcceleratorCount',
	'vCPUs',
	'MemoryGiB',
	'Price',
	'Region',
	'GpuInfo',
	'SpotPrice'
] as const;

/** MemoryGiB is GiB; offers carry GB (as adapters/lambda.ts). */
const GB_PER_GIB = 1.073741824;
/** GpuInfo's SizeInMiB per GPU; a card sold as N GB holds N GiB (the catalog's vramGb is nominal). */
const MIB_PER_GIB = 1024;

type Form = 'sxm' | 'pcie';

interface AcceleratorRule {
	/** the catalog GPUs this SkyPilot name can be, told apart by memory and form factor */
	variants: { slug: string; form?: Form }[];
	/** the form of an instance type whose name carries no `_sxm…`/`_pcie` token */
	plainForm?: Form;
}

const A100_VARIANTS: AcceleratorRule = {
	variants: [
		{ slug: 'a100-sxm-40gb', form: 'sxm' },
		{ slug: 'a100-sxm-80gb', form: 'sxm' },
		{ slug: 'a100-pcie-40gb', form: 'pcie' },
		{ slug: 'a100-pcie-80gb', form: 'pcie' }
	],
	// gpu_1x_a100 is Lambda's 40 GB PCIe card; its SXM4 types say so in their names (catalog.ts
	// LAMBDA_GPU_TOKENS: the keyed API and this catalog must name the same machine alike).
	plainForm: 'pcie'
};

/**
 * SkyPilot's accelerator names for Lambda (the AcceleratorName column). SkyPilot merges form factors
 * (every H100 is `H100`) and memory sizes, so the instance-type name tells SXM from PCIe and GpuInfo's
 * memory tells 40 from 80 GB (or the 24 GB Quadro RTX 6000 from the 48 GB RTX 6000 Ada).
 */
export const SKYPILOT_LAMBDA_ACCELERATORS: Record<string, AcceleratorRule> = {
	A100: A100_VARIANTS,
	'A100-80GB': A100_VARIANTS,
	// No plain form: an `H100` type named neither SXM nor PCIe is left unmapped, not guessed.
	H100: {
		variants: [
			{ slug: 'h100-sxm', form: 'sxm' },
			{ slug: 'h100-pcie', form: 'pcie' }
		]
	},
	H200: { variants: [{ slug: 'h200', form: 'sxm' }], plainForm: 'sxm' },
	GH200: { variants: [{ slug: 'gh200' }] },
	B200: { variants: [{ slug: 'b200' }] },
	A6000: { variants: [{ slug: 'rtx-a6000' }] },
	A10: { variants: [{ slug: 'a10' }] },
	V100: { variants: [{ slug: 'v100-16gb' }, { slug: 'v100-32gb' }] },
	RTX6000: { variants: [{ slug: 'quadro-rtx-6000' }, { slug: 'rtx-6000-ada' }] }
};

/** `gpu_8x_h100_sxm5` → sxm, `gpu_1x_h100_pcie` → pcie, `gpu_1x_a100` → none. */
export function formOfInstanceType(name: string): Form | null {
	if (/_sxm\d*(?:_|gdr|$)/i.test(name)) return 'sxm';
	if (/_pcie(?:_|$)/i.test(name)) return 'pcie';
	return null;
}

/** GpuInfo's per-GPU memory in GiB (`'MemoryInfo': {'SizeInMiB': 81920}` → 80), or null. */
export function gpuInfoMemoryGib(gpuInfo: string): number | null {
	const m = /'SizeInMiB':\s*(\d+(?:\.\d+)?)/.exec(gpuInfo);
	if (!m) return null;
	const mib = Number(m[1]);
	return Number.isFinite(mib) && mib > 0 ? mib / MIB_PER_GIB : null;
}

/** The catalog slug of one SkyPilot Lambda row, or null when the rules cannot tell (never a guess). */
export function resolveSkypilotLambdaGpu(
	acceleratorName: string,
	instanceType: string,
	memoryGib: number | null
): string | null {
	const rule = Object.hasOwn(SKYPILOT_LAMBDA_ACCELERATORS, acceleratorName)
		? SKYPILOT_LAMBDA_ACCELERATORS[acceleratorName]!
		: undefined;
	if (!rule) return null;
	const form = formOfInstanceType(instanceType) ?? rule.plainForm ?? null;
	let candidates = rule.variants.filter((v) => !v.form || (form !== null && v.form === form));
	if (memoryGib !== null) {
		candidates = candidates.filter((v) => {
			const vram = gpuBySlug(v.slug)?.vramGb ?? 0;
			return Math.abs(memoryGib - vram) <= vram * VRAM_MATCH_TOLERANCE;
		});
	}
	return candidates.length === 1 ? candidates[0]!.slug : null;
}

/** A number cell ("8.0", "31.92"); '' and anything else → null. */
function numberCell(v: string | undefined): number | null {
	if (v === undefined || v.trim() === '') return null;
	const n = Number(v);
	return Number.isFinite(n) ? n : null;
}

function rowsOf(payload: unknown): string[][] {
	if (typeof payload !== 'string') throw new PayloadShapeError('expected the text of a CSV file');
	let records: string[][];
	try {
		records = parseCsv(payload, { bom: true, skip_empty_lines: true }) as string[][];
	} catch (err) {
		// A row cut short or an unclosed quote: the file was truncated or corrupted in transit.
		const code = (err as { code?: unknown }).code;
		throw new PayloadShapeError(
			`the CSV is malformed or cut short (${typeof code === 'string' ? code : 'parse error'})`
		);
	}
	const header = records[0];
	if (!header) throw new PayloadShapeError('the CSV is empty (no header)');
	const got = header.map((h) => h.trim());
	if (got.join(',') !== LAMBDA_CATALOG_COLUMNS.join(',')) {
		throw new PayloadShapeError(
			`the CSV header changed: expected ${LAMBDA_CATALOG_COLUMNS.join(',')}, got ${capText(got.join(','), 300)}`
		);
	}
	return records.slice(1);
}

export function parseLambdaCatalog(payload: unknown, observedAt: Date): ParseResult {
	const tally = createTally();
	const at = observedAt.toISOString();
	const seen = new Set<string>();
	for (const cells of rowsOf(payload)) {
		tally.itemsSeen++;
		const [instanceType, accName, accCount, vcpus, memGib, price, region, gpuInfo, spot] = cells.map((c) =>
			c.trim()
		);
		if (!instanceType || !region) {
			tally.skip('row without InstanceType or Region');
			continue;
		}
		const key = `${instanceType}\u0000${region}`;
		if (seen.has(key)) {
			tally.skip('duplicate instance type and region');
			continue;
		}
		seen.add(key);
		if (!accName) {
			// Same reason as the keyed API's CPU types (adapters/lambda.ts), so health reads alike.
			tally.skip('CPU-only instance type');
			continue;
		}
		const memoryGib = gpuInfoMemoryGib(gpuInfo ?? '');
		const slug = resolveSkypilotLambdaGpu(accName, instanceType, memoryGib);
		if (!slug) {
			// A name the rules know but cannot place (memory or form) says which row, to fix the rules by.
			const known = Object.hasOwn(SKYPILOT_LAMBDA_ACCELERATORS, accName);
			const mem = memoryGib === null ? 'memory unknown' : `${Math.round(memoryGib)} GB`;
			tally.unmapped(known ? `${accName} ${mem} (${instanceType})` : accName);
			continue;
		}
		const gpuCount = numberCell(accCount);
		if (gpuCount === null || !Number.isInteger(gpuCount)) {
			tally.skip('invalid AcceleratorCount');
			continue;
		}
		const instanceUsd = numberCell(price);
		if (instanceUsd === null) {
			tally.skip('no Price');
			continue;
		}
		const ramGib = numberCell(memGib);
		const name = capText(instanceType, MAX_NAME_LENGTH);
		const base: NormalizedOffer = {
			provider: 'lambda',
			gpu: slug,
			gpuName: name,
			gpuCount,
			vramGb: gpuBySlug(slug)?.vramGb ?? 0,
			pricing: 'on_demand',
			cloud: null,
			region: capText(region, MAX_REGION_LENGTH),
			pricePerHourUsd: instanceUsd,
			pricePerGpuHourUsd: instanceUsd / gpuCount,
			// The catalog lists prices, not stock.
			available: null,
			observedAt: at,
			offerRef: name,
			vcpus: numberCell(vcpus),
			ramGb: ramGib === null ? null : Math.round(ramGib * GB_PER_GIB),
			extra: { acceleratorName: capText(accName, MAX_NAME_LENGTH) },
			source: 'skypilot-catalog'
		};
		tally.add(base);
		// SkyPilot leaves SpotPrice empty for Lambda today; a value would be a separate, interruptible price.
		const spotUsd = numberCell(spot);
		if (spotUsd !== null)
			tally.add({
				...base,
				pricing: 'spot',
				pricePerHourUsd: spotUsd,
				pricePerGpuHourUsd: spotUsd / gpuCount
			});
	}
	return tally.result();
}

/** Path of a catalog URL for notes (`/…/catalogs/v9/lambda/vms.csv`). */
function pathOf(url: string): string {
	try {
		return new URL(url).pathname;
	} catch {
		return url;
	}
}

/** The configured URL, then (on a 404 only: that version is not published) each fallback in turn. */
async function fetchLambdaCatalog(ctx: FetchContext): Promise<FetchResult> {
	const urls = [ctx.baseUrl, ...(ctx.fallbackUrls ?? [])];
	let requests = 0;
	const notes: string[] = [];
	for (const [i, url] of urls.entries()) {
		try {
			const res = await ctx.http.text({ method: 'GET', url });
			return { payload: res.body, requests: requests + res.attempts, notes };
		} catch (err) {
			const next = urls[i + 1];
			if (!(err instanceof ProviderError) || err.status !== 404 || next === undefined) throw err;
			requests += err.attempts;
			notes.push(`catalog ${pathOf(url)} answered 404: read ${pathOf(next)}`);
		}
	}
	throw new Error('unreachable: no catalog URL');
}

export const lambdaCatalog: Adapter = {
	id: 'lambda',
	label: 'Lambda',
	requiredKey: null,
	source: 'skypilot-catalog',
	fetch: fetchLambdaCatalog,
	parse: parseLambdaCatalog
};
