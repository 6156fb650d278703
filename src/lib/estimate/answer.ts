/**
 * The answer of /api/estimate (the contract other checks read), built from the engine and the current
 * offers. Browser-safe: the /estimate page builds the same answer while the user types.
 *   { memory: { perGpuGb, totalGb, weightsGb, adaptersGb, optimizerGb, gradientsGb, activationsGb,
 *     overheadGb, kvCacheGb, rangeGb: [low, high] }, fits, fit: 'fits' | 'tight' | 'no', throughput: { tokensPerSecond }, time: { hours },
 *     cost: [{ provider, pricing, pricePerGpuHourUsd, totalUsd, offer }], assumptions: [...] }
 * GB = 1e9 bytes, memory per GPU except totalGb (all GPUs).
 */
import { usdText } from '../format/money.ts';
import {
	cheapestLine,
	costLines,
	estimate,
	type ArchiveReference,
	type CostLine,
	type Estimate,
	type EstimateSettings,
	type Fit,
	type MemoryGb,
	type OfferSummary
} from '../estimator/index.ts';

export interface EstimateAnswer {
	/** the model estimated: where its shapes came from and its parameter counts (MoE: active per token) */
	model: { id: string; source: 'builtin' | 'hub' | 'config'; parameters: number; activeParameters: number };
	/** the engine's breakdown, rounded to 3 decimals; rangeGb is the calibration band of perGpuGb */
	memory: MemoryGb & { rangeGb: [number, number] };
	/** true only when fit === 'fits' */
	fits: boolean;
	/** fits | tight (the point fits, the band's high end does not) | no */
	fit: Fit;
	throughput: { tokensPerSecond: number };
	time: { hours: number };
	cost: CostLine[];
	/**
	 * serving only (null for training): concurrency, KV tokens per sequence, the most concurrent sequences
	 * that fit, aggregate and per-sequence output tokens/s, and USD per million output tokens at the
	 * cheapest current on-demand offer (spot when there is none; null without a current offer)
	 */
	serving: {
		concurrency: number;
		contextTokens: number;
		maxConcurrency: number;
		tokensPerSecond: number;
		tokensPerSecondPerSequence: number;
		costPerMillionOutputTokensUsd: number | null;
	} | null;
	assumptions: string[];
}

const round = (x: number, digits: number) =>
	Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x;
const gb = (x: number) => round(x, 3);

export interface AnswerContext {
	/** the archive's reference median for this GPU, when the archive has it */
	archive?: ArchiveReference | null;
	/** how many providers have a current snapshot (0 = never polled) */
	providersPolled?: number;
}

export function buildAnswer(
	s: EstimateSettings,
	offers: OfferSummary[],
	ctx: AnswerContext = {},
	e: Estimate = estimate(s)
): EstimateAnswer {
	const m = e.memory;
	const cost = Number.isFinite(e.time.hours)
		? costLines(offers, s.gpu.slug, s.gpuCount, e.time.hours).map((l) => ({
				...l,
				totalUsd: round(l.totalUsd, 4)
			}))
		: [];
	const assumptions = [...e.assumptions];
	if (cost.length > 0) {
		assumptions.push(
			`Cost: hours × the cheapest current offer per provider and pricing that can hold ${s.gpuCount} GPU${s.gpuCount > 1 ? 's' : ''} ` +
				'(one box with at least that many GPUs, all of them paid, or several identical boxes); spot assumes no preemption.'
		);
	} else if (ctx.providersPolled === 0) {
		assumptions.push('Cost: no provider has been polled yet, so there are no current prices.');
	} else {
		assumptions.push(`Cost: no provider lists an available ${s.gpu.name} right now.`);
	}
	if (ctx.archive) {
		const a = ctx.archive;
		assumptions.push(
			`Archive reference (not current): median ${usdText(a.medianPerGpuHourUsd)} per GPU-hour on demand, ${a.from} to ${a.to}` +
				(Number.isFinite(e.time.hours)
					? ` → ${usdText(a.medianPerGpuHourUsd * s.gpuCount * e.time.hours)} for this job.`
					: '.')
		);
	}
	const best = cheapestLine(cost, 'on_demand') ?? cheapestLine(cost);
	const serving = e.serving
		? {
				concurrency: e.serving.concurrency,
				contextTokens: e.serving.contextTokens,
				maxConcurrency: e.serving.maxConcurrency,
				tokensPerSecond: round(e.serving.tokensPerSecond, 1),
				tokensPerSecondPerSequence: round(e.serving.tokensPerSecondPerSequence, 2),
				costPerMillionOutputTokensUsd:
					best && e.time.tokens > 0 ? round((best.totalUsd / e.time.tokens) * 1e6, 4) : null
			}
		: null;
	return {
		model: {
			id: s.arch.id,
			source: s.arch.source ?? 'config',
			parameters: s.arch.paramsTotal,
			activeParameters: s.arch.paramsActive
		},
		memory: {
			perGpuGb: gb(m.perGpuGb),
			totalGb: gb(m.totalGb),
			weightsGb: gb(m.weightsGb),
			adaptersGb: gb(m.adaptersGb),
			optimizerGb: gb(m.optimizerGb),
			gradientsGb: gb(m.gradientsGb),
			activationsGb: gb(m.activationsGb),
			overheadGb: gb(m.overheadGb),
			kvCacheGb: gb(m.kvCacheGb),
			rangeGb: [gb(m.rangeGb[0]), gb(m.rangeGb[1])]
		},
		fits: e.fits,
		fit: e.fit,
		throughput: { tokensPerSecond: round(e.throughput.tokensPerSecond, 1) },
		time: { hours: round(e.time.hours, 6) },
		cost,
		serving,
		assumptions
	};
}
