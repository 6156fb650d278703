/**
 * Cost = hours × the hourly price of real current offers (docs/estimation.md §2.1: $ = time_h × n_gpu × $/GPU-h).
 *
 * Which offers can run a job that needs n GPUs (decided here; the issue leaves it open):
 *  - an offer is a box of `gpuCount` GPUs rented whole (vast.ai and Lambda price the box; RunPod prices
 *    per GPU, which an offer of gpuCount 1 represents);
 *  - one box with gpuCount ≥ n runs the job (you pay every GPU in it); or k = ⌈n / gpuCount⌉ identical
 *    boxes (data parallel across machines) when smaller boxes are cheaper;
 *  - per provider and pricing (on-demand, spot) we keep the option with the lowest price per hour of
 *    the job, preferring fewer boxes on a tie; total = hours × that hourly price.
 * Spot prices assume no preemption.
 */
import { gpuBySlug, type GpuSpec } from '#catalog/gpus.ts';
import { resolveArchitecture } from './hf-config.ts';
import { DEFAULTS, estimate } from './estimate.ts';
import type { EstimateSettings } from './types.ts';

/** The cheapest available offer of one GPU × provider × pricing × box size in the current snapshot. */
export interface OfferSummary {
	id: number;
	provider: string;
	gpu: string;
	gpuName: string;
	gpuCount: number;
	pricing: string;
	cloud: string | null;
	region: string;
	/** the whole box, USD per hour */
	pricePerHourUsd: number;
	pricePerGpuHourUsd: number;
	/** ISO 8601 */
	observedAt: string;
	offerRef: string | null;
}

export interface CostLine {
	provider: string;
	pricing: string;
	pricePerGpuHourUsd: number;
	totalUsd: number;
	offer: OfferSummary & {
		/** machines rented (1 unless smaller boxes are combined) */
		boxes: number;
		/** GPUs paid for: boxes × gpuCount (≥ the job's GPU count) */
		gpusBilled: number;
		/** USD per hour of the whole job: boxes × pricePerHourUsd */
		jobPricePerHourUsd: number;
	};
}

/** The cheapest way to rent `gpuCount` GPUs of `gpu` at each provider × pricing, priced for `hours`. */
export function costLines(offers: OfferSummary[], gpu: string, gpuCount: number, hours: number): CostLine[] {
	const best = new Map<string, CostLine>();
	for (const o of offers) {
		if (o.gpu !== gpu || o.gpuCount < 1 || !(o.pricePerHourUsd > 0)) continue;
		const boxes = Math.ceil(gpuCount / o.gpuCount);
		const jobPricePerHourUsd = boxes * o.pricePerHourUsd;
		const key = `${o.provider}\u0000${o.pricing}`;
		const prev = best.get(key);
		if (
			prev &&
			(prev.offer.jobPricePerHourUsd < jobPricePerHourUsd ||
				(prev.offer.jobPricePerHourUsd === jobPricePerHourUsd && prev.offer.boxes <= boxes))
		) {
			continue;
		}
		best.set(key, {
			provider: o.provider,
			pricing: o.pricing,
			pricePerGpuHourUsd: o.pricePerGpuHourUsd,
			totalUsd: hours * jobPricePerHourUsd,
			offer: { ...o, boxes, gpusBilled: boxes * o.gpuCount, jobPricePerHourUsd }
		});
	}
	return [...best.values()].sort(
		(a, b) =>
			a.totalUsd - b.totalUsd || a.provider.localeCompare(b.provider) || a.pricing.localeCompare(b.pricing)
	);
}

/** The cheapest line (any provider, any pricing; on-demand wins a tie), or null without offers. */
export function cheapestLine(lines: CostLine[], pricing?: string): CostLine | null {
	let best: CostLine | null = null;
	for (const l of lines) {
		if (pricing && l.pricing !== pricing) continue;
		if (
			!best ||
			l.totalUsd < best.totalUsd ||
			(l.totalUsd === best.totalUsd && l.pricing === 'on_demand' && best.pricing !== 'on_demand')
		) {
			best = l;
		}
	}
	return best;
}

/** The reference job of the performance-normalized price column. */
export interface ReferenceJob {
	model: string;
	method: 'qlora' | 'lora' | 'full';
	seqLen: number;
	microBatch: number;
	gradientCheckpointing: boolean;
	loraRank: number;
	loraTargets: EstimateSettings['loraTargets'];
	optimizer: EstimateSettings['optimizer'];
	gpuCount: number;
}

/**
 * "USD per million QLoRA training tokens" reference: Mistral-7B-v0.1 QLoRA (NF4+DQ), rank 16 on all
 * linear layers, 2048-token sequences, micro-batch 1, gradient checkpointing, AdamW, one GPU — the
 * estimator's defaults for the model the issue names.
 */
export const REFERENCE_QLORA_JOB: ReferenceJob = {
	model: 'mistralai/Mistral-7B-v0.1',
	method: 'qlora',
	seqLen: DEFAULTS.seqLen,
	microBatch: DEFAULTS.microBatch,
	gradientCheckpointing: DEFAULTS.gradientCheckpointing,
	loraRank: DEFAULTS.loraRank,
	loraTargets: DEFAULTS.loraTargets,
	optimizer: DEFAULTS.optimizer,
	gpuCount: 1
};

/**
 * USD per million training tokens of `referenceJob` on `gpu` at `pricePerGpuHourUsd`, or null when the
 * job does not fit that GPU (at the job's GPU count) or the GPU is unknown.
 */
export function usdPerMillionTrainingTokens(
	gpu: GpuSpec | string,
	pricePerGpuHourUsd: number,
	referenceJob: ReferenceJob = REFERENCE_QLORA_JOB
): number | null {
	const spec = typeof gpu === 'string' ? gpuBySlug(gpu) : gpu;
	const arch = resolveArchitecture(referenceJob.model);
	if (!spec || !arch || !(pricePerGpuHourUsd >= 0)) return null;
	const e = estimate({
		...referenceJob,
		arch,
		gpu: spec,
		datasetTokens: 1e6,
		epochs: 1
	});
	if (e.fit === 'no' || !Number.isFinite(e.time.hours)) return null;
	return e.time.hours * referenceJob.gpuCount * pricePerGpuHourUsd;
}
