/**
 * What the model pages show: memory for serving (bf16, int8, 4-bit) and for QLoRA / LoRA / full
 * fine-tuning at the estimator's default setting, and the hardware picker — which GPUs and counts fit
 * each use, with the cheapest current price per hour and for a reference job. Pure; browser-safe.
 */
import { GPUS, gpuBySlug, type GpuSpec } from '#catalog/gpus.ts';
import {
	cheapestLine,
	costLines,
	DEFAULTS,
	defaultPrecision,
	estimate,
	FIT_GPU_COUNTS,
	type Architecture,
	type EstimateSettings,
	type Fit,
	type Method,
	type OfferSummary,
	type Precision
} from '../estimator/index.ts';

export interface ModelUse {
	id: string;
	label: string;
	method: Method;
	precision: Precision;
	/** tokens of the reference job: trained (fine-tunes) or generated (serving) */
	referenceTokens: number;
}

/** Serving reference: one million generated tokens at the default context and one sequence at a time. */
export const SERVING_REFERENCE_TOKENS = 1_000_000;

export const MODEL_USES: ModelUse[] = [
	{
		id: 'serve-bf16',
		label: 'Serving, bf16',
		method: 'inference',
		precision: 'bf16',
		referenceTokens: SERVING_REFERENCE_TOKENS
	},
	{
		id: 'serve-int8',
		label: 'Serving, int8',
		method: 'inference',
		precision: 'int8',
		referenceTokens: SERVING_REFERENCE_TOKENS
	},
	{
		id: 'serve-4bit',
		label: 'Serving, 4-bit (NF4)',
		method: 'inference',
		precision: 'nf4',
		referenceTokens: SERVING_REFERENCE_TOKENS
	},
	{
		id: 'qlora',
		label: 'QLoRA fine-tune',
		method: 'qlora',
		precision: defaultPrecision('qlora'),
		referenceTokens: DEFAULTS.datasetTokens
	},
	{
		id: 'lora',
		label: 'LoRA fine-tune',
		method: 'lora',
		precision: 'bf16',
		referenceTokens: DEFAULTS.datasetTokens
	},
	{
		id: 'full',
		label: 'Full fine-tune',
		method: 'full',
		precision: 'bf16',
		referenceTokens: DEFAULTS.datasetTokens
	}
];

/** The GPU the memory table is computed on: any FlashAttention-capable card gives the same bytes. */
export const MEMORY_TABLE_GPU = 'h100-sxm';

export function useSettings(
	arch: Architecture,
	use: ModelUse,
	gpu: GpuSpec,
	gpuCount: number
): EstimateSettings {
	return {
		...DEFAULTS,
		arch,
		method: use.method,
		precision: use.precision,
		gpu,
		gpuCount,
		datasetTokens: use.referenceTokens,
		epochs: 1
	};
}

/** The /estimate query of a use on a GPU and count. */
export function useQuery(modelId: string, use: ModelUse, gpu: string, gpuCount: number): string {
	const q = new URLSearchParams({ model: modelId, method: use.method, gpu });
	if (use.precision !== defaultPrecision(use.method)) q.set('precision', use.precision);
	if (gpuCount !== 1) q.set('gpuCount', String(gpuCount));
	if (use.referenceTokens !== DEFAULTS.datasetTokens) q.set('datasetTokens', String(use.referenceTokens));
	return q.toString();
}

export interface UseMemory {
	use: ModelUse;
	/** on one GPU (no sharding), FlashAttention */
	perGpuGb: number;
	weightsGb: number;
	otherGb: number;
}

export function memoryTable(arch: Architecture): UseMemory[] {
	const gpu = gpuBySlug(MEMORY_TABLE_GPU)!;
	return MODEL_USES.map((use) => {
		const m = estimate(useSettings(arch, use, gpu, 1)).memory;
		return { use, perGpuGb: m.perGpuGb, weightsGb: m.weightsGb, otherGb: m.perGpuGb - m.weightsGb };
	});
}

export interface PickRow {
	gpu: string;
	gpuName: string;
	vramGb: number;
	/** the fewest GPUs (of 1, 2, 4, 8) on which the use fits */
	gpuCount: number;
	perGpuGb: number;
	/** the calibration band of perGpuGb and what it says: tight = the point fits, the band's high end does not */
	rangeGb: [number, number];
	fit: Fit;
	hours: number;
	/** cheapest current price of that many GPUs, USD per hour (on-demand; spot only where no on-demand offer exists) */
	pricePerHourUsd: number | null;
	/** the reference job at that price */
	referenceJobUsd: number | null;
	provider: string | null;
	pricing: string | null;
	query: string;
}

/** Every GPU on which the use fits at ≤ 8 GPUs, cheapest reference job first, unpriced ones after. */
export function hardwarePicker(
	modelId: string,
	arch: Architecture,
	use: ModelUse,
	offers: OfferSummary[],
	gpus: GpuSpec[] = GPUS
): PickRow[] {
	const out: PickRow[] = [];
	for (const gpu of gpus) {
		for (const n of FIT_GPU_COUNTS) {
			const e = estimate(useSettings(arch, use, gpu, n));
			if (e.fit === 'no') continue;
			// on-demand first (spot can be taken away mid-job); spot when it is all there is
			const lines = costLines(offers, gpu.slug, n, e.time.hours);
			const best = cheapestLine(lines, 'on_demand') ?? cheapestLine(lines);
			out.push({
				gpu: gpu.slug,
				gpuName: gpu.name,
				vramGb: gpu.vramGb,
				gpuCount: n,
				perGpuGb: e.memory.perGpuGb,
				rangeGb: e.memory.rangeGb,
				fit: e.fit,
				hours: e.time.hours,
				pricePerHourUsd: best ? best.offer.jobPricePerHourUsd : null,
				referenceJobUsd: best ? best.totalUsd : null,
				provider: best?.provider ?? null,
				pricing: best?.pricing ?? null,
				query: useQuery(modelId, use, gpu.slug, n)
			});
			break;
		}
	}
	return out.sort(
		(a, b) =>
			(a.referenceJobUsd ?? Infinity) - (b.referenceJobUsd ?? Infinity) ||
			a.vramGb * a.gpuCount - b.vramGb * b.gpuCount ||
			a.gpuName.localeCompare(b.gpuName)
	);
}
