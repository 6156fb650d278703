/**
 * Time (docs/estimation.md §2): model FLOPs per trained token are 6N (full) or 4N + 6·N_lora (LoRA: no
 * weight-gradient GEMMs for frozen weights), plus causal attention 6·L·s·(a·d_h), with N the ACTIVE
 * parameters for MoE. Gradient checkpointing re-runs one forward (2N + attention forward). The GPU runs
 * those hardware FLOPs at HARDWARE_FLOPS_UTILISATION of its dense BF16 peak (FP16 where it has no BF16);
 * bitsandbytes QLoRA takes QLORA_SLOWDOWN× longer. Serving decode is bound by memory bandwidth.
 */
import { trainingPeakTflops, type GpuSpec } from '#catalog/gpus.ts';
import type { Architecture } from './architecture.ts';
import {
	DECODE_BANDWIDTH_EFFICIENCY,
	HARDWARE_FLOPS_UTILISATION,
	HIGH_PEAK_MIN_TFLOPS,
	HIGH_PEAK_UTILISATION_FACTOR,
	QLORA_SLOWDOWN
} from './constants.ts';
import {
	bytesPerLinearWeight,
	effectivePrecision,
	kvCacheBytes,
	loraParams,
	servingShape,
	weightBytes
} from './memory.ts';
import type { EstimateSettings, Throughput } from './types.ts';

/** Hardware FLOPs utilisation on this GPU (§2.3): 0.60, × 0.75 on Hopper-and-newer peaks. */
export function utilisation(gpu: GpuSpec): number {
	const peak = trainingPeakTflops(gpu) ?? 0;
	return HARDWARE_FLOPS_UTILISATION * (peak >= HIGH_PEAK_MIN_TFLOPS ? HIGH_PEAK_UTILISATION_FACTOR : 1);
}

/** Causal attention matmul FLOPs per token, forward only: 2·L·s·(a·d_h) (§2.1, MosaicML halved for causal). */
export function attentionForwardFlopsPerToken(arch: Architecture, seqLen: number): number {
	return 2 * arch.layers * seqLen * arch.heads * arch.headDim;
}

export function trainingFlopsPerToken(s: EstimateSettings): { model: number; hardware: number } {
	const arch = s.arch;
	const nActive = arch.paramsActive;
	const attnFwd = attentionForwardFlopsPerToken(arch, s.seqLen);
	let model: number;
	if (s.method === 'full') {
		model = 6 * nActive + 3 * attnFwd;
	} else {
		// Only the routed experts' adapters see a token; LoRA adapters cost 6 FLOPs per parameter.
		const activeShare = arch.paramsActive / arch.paramsTotal;
		model = 4 * nActive + 6 * loraParams(arch, s.loraRank, s.loraTargets) * activeShare + 3 * attnFwd;
	}
	const recompute = s.gradientCheckpointing ? 2 * nActive + attnFwd : 0;
	return { model, hardware: model + recompute };
}

export function estimateThroughput(s: EstimateSettings): Throughput {
	const peak = trainingPeakTflops(s.gpu) ?? 0;
	const n = Math.max(1, s.gpuCount);
	if (s.method === 'inference') return servingThroughput(s, peak, n);
	const flops = trainingFlopsPerToken(s);
	const slowdown = s.method === 'qlora' ? QLORA_SLOWDOWN : 1;
	// Data parallel: each GPU trains its own micro-batches; scaling assumed linear.
	const tokensPerSecond = (n * peak * 1e12 * utilisation(s.gpu)) / flops.hardware / slowdown;
	return {
		tokensPerSecond,
		mfu: peak > 0 ? (tokensPerSecond * flops.model) / (n * peak * 1e12) : null,
		modelFlopsPerToken: flops.model,
		peakTflops: peak,
		bound: 'compute'
	};
}

/**
 * Serving throughput (§2.5), a roofline per decode step: the step reads the weights its tokens need and
 * every sequence's KV cache once (bytes ÷ η·bandwidth) and does 2·N_active (+ attention) FLOPs per
 * sequence (÷ peak·utilisation); the slower of the two is the step. Tensor parallel over n GPUs splits
 * both. For MoE a step reads only the experts its tokens route to: the chance an expert is touched by b
 * tokens is 1 − (1 − k/E)^b [calc]. With prompt and output lengths, each request also pays its prefill
 * (2·N_active·prompt FLOPs, compute-bound) and the KV cache is read at its mean length over the output.
 */
function servingThroughput(s: EstimateSettings, peak: number, n: number): Throughput {
	const arch = s.arch;
	const { concurrency: b, context, prompt, output } = servingShape(s);
	const meanContext = prompt !== null && output !== null ? prompt + output / 2 : context;
	const allWeights = weightBytes(arch, effectivePrecision(s));
	let weightsRead = allWeights;
	if (arch.experts > 1) {
		const touched = 1 - Math.pow(1 - arch.expertsPerToken / arch.experts, b);
		const expertParams = (arch.paramsTotal - arch.paramsActive) / (1 - arch.expertsPerToken / arch.experts);
		const expertBytes = expertParams * bytesPerLinearWeight(effectivePrecision(s));
		weightsRead = allWeights - expertBytes + expertBytes * touched;
	}
	const bytesPerStep = weightsRead + kvCacheBytes(arch, Math.round(meanContext), b);
	const bandwidth = (s.gpu.memBandwidthGBs ?? 0) * 1e9 * n * DECODE_BANDWIDTH_EFFICIENCY;
	const memTime = bandwidth > 0 ? bytesPerStep / bandwidth : Infinity;
	// decode FLOPs per token: 2·N_active + attention over the cached context (QKᵀ and AV: 4·L·s·a·d_h)
	const flopsPerToken =
		2 * arch.paramsActive + 2 * attentionForwardFlopsPerToken(arch, Math.round(meanContext));
	const compute = n * peak * 1e12 * utilisation(s.gpu);
	const computeTime = (b * flopsPerToken) / compute;
	const step = Math.max(memTime, computeTime);
	let tokensPerSecond = Number.isFinite(step) && step > 0 ? b / step : 0;
	if (prompt !== null && output !== null && output > 0 && tokensPerSecond > 0) {
		// per round of b requests: b prefills (compute-bound) + `output` decode steps
		const prefill =
			(b * prompt * (2 * arch.paramsActive + attentionForwardFlopsPerToken(arch, prompt))) / compute;
		tokensPerSecond = (b * output) / (prefill + output * step);
	}
	return {
		tokensPerSecond,
		mfu: peak > 0 ? (tokensPerSecond * flopsPerToken) / (n * peak * 1e12) : null,
		modelFlopsPerToken: flopsPerToken,
		peakTflops: peak,
		bound: memTime >= computeTime ? 'memory-bandwidth' : 'compute'
	};
}
