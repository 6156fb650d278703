/**
 * Memory per GPU (docs/estimation.md §1.8):
 *   Full FT   = W·N + G·N + Opt·N + Act + Logits + Overhead
 *   LoRA      = 2·N + (12|16)·N_lora + Act + Logits + Overhead
 *   QLoRA     = 0.5159·N_lin + 2·(N − N_lin) + (12|16)·N_lora + 1.27·Act + Logits + Overhead
 *   Inference = W + KV(tokens, batch) + small activations + Overhead
 *   Multi-GPU = optimizer / gradients / weights divided by the data-parallel degree (ZeRO-1/2/3)
 *   MoE       = memory from TOTAL parameters
 */
import type { GpuSpec } from '#catalog/gpus.ts';
import type { Architecture } from './architecture.ts';
import {
	ACTIVATION_K,
	ADAMW_8BIT_STATE_BYTES,
	ADAMW_STATE_BYTES,
	ALLOCATOR_OVERHEAD_FRACTION,
	BNB_QLORA_ACTIVATION_FACTOR,
	BYTES_BF16,
	BYTES_FP32,
	BYTES_INT8,
	BYTES_NF4,
	BYTES_NF4_DQ,
	BYTES_PER_GB,
	CHECKPOINT_BYTES_PER_HIDDEN,
	CHUNKED_LOGIT_BYTES,
	CUDA_CONTEXT_GB,
	EAGER_SCORE_BYTES_PER_ELEMENT,
	FP32_MASTER_BYTES,
	FULL_GRADIENT_BYTES,
	GIB_IN_GB,
	INFERENCE_ACTIVATION_HIDDEN_MULTIPLE,
	INFERENCE_EAGER_SCORE_BYTES,
	LOGIT_BYTES,
	MEMORY_BAND_HIGH,
	MEMORY_BAND_LOW,
	ZERO3_GATHERED_LAYERS
} from './constants.ts';
import { frameworkProfile } from './frameworks.ts';
import type { EstimateSettings, Fit, LoraTargets, MemoryDetail, Precision, Sharding } from './types.ts';

/**
 * The band around a per-GPU point estimate: the calibration envelope applied to what tensors occupy
 * (allocated); the CUDA context and reserve move with it only through the allocated part.
 */
export function memoryBand(
	perGpuGb: number,
	allocatedGb: number,
	pageableGb: number,
	capacityGb: number
): { rangeGb: [number, number]; fit: Fit } {
	const low = perGpuGb - allocatedGb * (1 - MEMORY_BAND_LOW);
	const high = perGpuGb + allocatedGb * (MEMORY_BAND_HIGH - 1);
	const fit: Fit =
		perGpuGb - pageableGb > capacityGb ? 'no' : high - pageableGb > capacityGb ? 'tight' : 'fits';
	return { rangeGb: [low, high], fit };
}

/** Bytes per linear weight of a base-weight format (§1.2). */
export function bytesPerLinearWeight(precision: Precision): number {
	switch (precision) {
		case 'bf16':
			return BYTES_BF16;
		case 'int8':
			return BYTES_INT8;
		case 'nf4':
			return BYTES_NF4;
		case 'nf4-dq':
			return BYTES_NF4_DQ;
	}
}

/**
 * Bytes of all base weights: only linear layers take the 8/4-bit rate, the rest (embeddings, lm_head,
 * norms) stays 16-bit (§1.2) — or fp32 where the stack upcasts it (`nonQuantizedBytes`, frameworks.ts).
 */
export function weightBytes(
	arch: Architecture,
	precision: Precision,
	nonQuantizedBytes: number = BYTES_BF16
): number {
	return (
		arch.paramsLinear * bytesPerLinearWeight(precision) +
		(arch.paramsTotal - arch.paramsLinear) * nonQuantizedBytes
	);
}

/** LoRA adapter dtype: the request's, else the framework's default. */
export function adapterPrecisionOf(
	s: Pick<EstimateSettings, 'adapterPrecision' | 'framework'>
): 'fp32' | 'bf16' {
	return s.adapterPrecision ?? frameworkProfile(s.framework).adapterPrecision;
}

/** Bytes per logit held for the loss: an explicit chunkedLoss wins, else the framework's loss. */
export function logitBytesOf(s: Pick<EstimateSettings, 'chunkedLoss' | 'framework'>): number {
	if (s.chunkedLoss === true) return CHUNKED_LOGIT_BYTES;
	if (s.chunkedLoss === false) return LOGIT_BYTES;
	return frameworkProfile(s.framework).logitBytes;
}

/** LoRA parameters: r·(d_in + d_out) per adapted linear, over all layers (§1.3). */
export function loraParams(arch: Architecture, rank: number, targets: LoraTargets): number {
	let perLayer = 0;
	for (const l of arch.linears) {
		if (l.groups.includes(targets)) perLayer += rank * (l.inFeatures + l.outFeatures) * l.count;
	}
	return perLayer * arch.layers;
}

/** The base-weight format a method uses (QLoRA defaults to NF4 + double quantization, as in the paper). */
export function effectivePrecision(s: Pick<EstimateSettings, 'method' | 'precision'>): Precision {
	if (s.method === 'qlora') return s.precision === 'nf4' ? 'nf4' : 'nf4-dq';
	if (s.method === 'inference') return s.precision ?? 'bf16';
	return 'bf16';
}

/** Saved activation elements per token per layer (§1.5, flash/SDPA, no dropout). */
export function savedElementsPerTokenLayer(arch: Architecture): number {
	const h = arch.hiddenSize;
	if (arch.kind === 'ssm') {
		// Mamba mixer [calc, uncalibrated]: norm-in h, in_proj-in h, x and z 2·d_inner, conv-out d_inner,
		// x_proj-out dt_rank + 2·d_state, dt d_inner, scan-out d_inner, out_proj-in d_inner.
		const dInner = arch.intermediateSize;
		const ssm = arch.ssm ?? { dState: 16, dtRank: Math.ceil(h / 16) };
		return 2 * h + 6 * dInner + ssm.dtRank + 2 * ssm.dState;
	}
	const q = arch.heads * arch.headDim;
	const kv = arch.kvHeads * arch.headDim;
	// attention: norm-in h + qkv-in h + q + k,v + attn-out (§1.5)
	const attention = 2 * h + 2 * q + 2 * kv;
	// MLP: norm-in h + mlp-in h + gate, up, act, down-in (gated 4·I; plain up-out + act-out 2·I) per routed expert
	const perInter = arch.gatedMlp ? 4 : 2;
	const interActive = arch.intermediateSize * arch.expertsPerToken + arch.sharedExpertIntermediate;
	const router = arch.experts > 1 ? arch.experts : 0;
	return attention + 2 * h + perInter * interActive + router;
}

/** Per-GPU memory of one estimate. `shardingOverride` is used by the auto search. */
export function estimateMemory(
	s: EstimateSettings,
	shardingOverride?: Exclude<Sharding, 'auto'>
): MemoryDetail {
	const arch = s.arch;
	const n = Math.max(1, s.gpuCount);
	const capacityGb = s.gpu.vramGb * GIB_IN_GB;
	if (s.method === 'inference') return inferenceMemory(s, n, capacityGb);

	const requested = s.sharding ?? 'auto';
	if (requested === 'auto' && !shardingOverride) {
		if (n === 1) return estimateMemory(s, 'none');
		let last: MemoryDetail | undefined;
		for (const stage of ['none', 'zero1', 'zero2', 'zero3'] as const) {
			last = estimateMemory(s, stage);
			if (last.fits) return last;
		}
		return last!;
	}
	const sharding = n === 1 ? 'none' : (shardingOverride ?? (requested as Exclude<Sharding, 'auto'>));
	const shardOpt = sharding !== 'none' ? n : 1;
	const shardGrad = sharding === 'zero2' || sharding === 'zero3' ? n : 1;
	const shardWeights = sharding === 'zero3' ? n : 1;

	const precision = effectivePrecision(s);
	const profile = frameworkProfile(s.framework);
	const nonQuantizedBytes =
		s.method === 'qlora' ? (s.nonQuantizedBytes ?? profile.qloraNonQuantizedBytes) : BYTES_BF16;
	const baseWeights = weightBytes(arch, precision, nonQuantizedBytes);
	const isLora = s.method === 'lora' || s.method === 'qlora';
	const trainable = isLora ? loraParams(arch, s.loraRank, s.loraTargets) : arch.paramsTotal;

	// Optimizer states per trainable parameter (§1.4): AdamW m,v fp32 8 B; 8-bit 2 B;
	// full fine-tuning adds the fp32 master copy (4 B).
	const stateBytes = s.optimizer === 'adamw' ? ADAMW_STATE_BYTES : ADAMW_8BIT_STATE_BYTES;
	let adapterBytes = 0;
	let gradBytes: number;
	let optBytes: number;
	if (isLora) {
		// §1.3: 16 B per trainable param with fp32 adapters (PEFT default), 12 B with bf16 adapters.
		const adapterWeightBytes = adapterPrecisionOf(s) === 'bf16' ? BYTES_BF16 : BYTES_FP32;
		adapterBytes = trainable * adapterWeightBytes;
		gradBytes = trainable * adapterWeightBytes;
		optBytes = trainable * stateBytes;
	} else {
		gradBytes = trainable * FULL_GRADIENT_BYTES;
		optBytes = trainable * (stateBytes + FP32_MASTER_BYTES);
	}

	// ZeRO-3 gathers the current and the next layer's full weights on every GPU.
	const layerWeightBytes = (arch.paramsLinear / arch.layers) * bytesPerLinearWeight(precision);
	const gathered = sharding === 'zero3' ? ZERO3_GATHERED_LAYERS * layerWeightBytes : 0;

	const act = trainingActivations(s);
	const weightsB = baseWeights / shardWeights + gathered;
	let bnbSurchargeCapped = false;
	if (s.method === 'qlora' && act.bnbSurcharge > 0) {
		// The bitsandbytes surcharge is fitted at ~1.3k tokens (§1.5) and its mechanism is unverified; we do not
		// extrapolate it past the point where QLoRA would need more than LoRA at the same settings (the issue's
		// invariant): at most the weight memory QLoRA saves on this GPU.
		const bf16Weights =
			weightBytes(arch, 'bf16') / shardWeights + (gathered * BYTES_BF16) / bytesPerLinearWeight(precision);
		const savings = Math.max(0, bf16Weights - weightsB);
		if (act.bnbSurcharge > savings) {
			act.total -= act.bnbSurcharge - savings;
			act.bnbSurcharge = savings;
			bnbSurchargeCapped = true;
		}
	}
	const adaptersB = adapterBytes / shardWeights;
	const gradsB = gradBytes / shardGrad;
	const optB = optBytes / shardOpt;
	const allocated = weightsB + adaptersB + gradsB + optB + act.total;
	const overhead = CUDA_CONTEXT_GB * BYTES_PER_GB + profile.allocatorReserveFraction * allocated;
	const perGpu = allocated + overhead;
	// Paged optimizers (bitsandbytes, QLoRA §3) keep their states in unified memory that pages to host RAM.
	const pageable = s.optimizer === 'paged-adamw-8bit' ? optB : 0;
	const fits = (perGpu - pageable) / BYTES_PER_GB <= capacityGb;
	const gb = (b: number) => b / BYTES_PER_GB;
	return {
		perGpuGb: gb(perGpu),
		totalGb: gb(perGpu) * n,
		weightsGb: gb(weightsB),
		adaptersGb: gb(adaptersB),
		optimizerGb: gb(optB),
		gradientsGb: gb(gradsB),
		activationsGb: gb(act.total),
		overheadGb: gb(overhead),
		kvCacheGb: 0,
		allocatedGb: gb(allocated),
		pageableGb: gb(pageable),
		logitsGb: gb(act.logits),
		attentionScoresGb: gb(act.scores),
		checkpointsGb: gb(act.checkpoints),
		gatheredWeightsGb: gb(gathered),
		capacityGb,
		fits,
		...memoryBand(gb(perGpu), gb(allocated), gb(pageable), capacityGb),
		sharding,
		trainableParams: trainable,
		bnbSurchargeCapped
	};
}

/** Training activations per GPU in bytes (§1.5). */
export function trainingActivations(s: EstimateSettings): {
	total: number;
	layers: number;
	checkpoints: number;
	scores: number;
	logits: number;
	/** the part of `layers` that is the bitsandbytes QLoRA surcharge (factor − 1) */
	bnbSurcharge: number;
} {
	const arch = s.arch;
	const tokens = s.seqLen * s.microBatch;
	const perTokenLayer = ACTIVATION_K * BYTES_BF16 * savedElementsPerTokenLayer(arch);
	const bnb = s.method === 'qlora' ? BNB_QLORA_ACTIVATION_FACTOR : 1;
	// Eager attention (no FlashAttention kernels on this GPU) stores the s×s scores of every layer.
	const eager = !s.gpu.flashAttention && arch.heads > 0;
	const scoresPerLayer = eager
		? EAGER_SCORE_BYTES_PER_ELEMENT * arch.heads * s.seqLen * s.seqLen * s.microBatch
		: 0;
	let layers: number;
	let checkpoints = 0;
	let scores: number;
	if (s.gradientCheckpointing) {
		// inputs of every layer + one layer re-materialised during its backward; a stack that offloads the
		// checkpoints to host RAM (Unsloth) keeps only the one being recomputed on the GPU
		const kept = frameworkProfile(s.framework).offloadCheckpoints ? 1 : arch.layers;
		checkpoints = CHECKPOINT_BYTES_PER_HIDDEN * tokens * arch.hiddenSize * kept;
		layers = perTokenLayer * tokens * bnb;
		scores = scoresPerLayer;
	} else {
		layers = perTokenLayer * tokens * arch.layers * bnb;
		scores = scoresPerLayer * arch.layers;
	}
	const logits = tokens * arch.vocabSize * logitBytesOf(s);
	const bnbSurcharge = bnb > 1 ? (layers * (bnb - 1)) / bnb : 0;
	return { total: layers + checkpoints + scores + logits, layers, checkpoints, scores, logits, bnbSurcharge };
}

/** KV cache bytes per token (all layers, K and V) at 2 bytes per element (§1.6). */
export function kvBytesPerToken(arch: Architecture): number {
	const perLayer = arch.kvElementsPerTokenLayer ?? 2 * arch.kvHeads * arch.headDim;
	return arch.layers * perLayer * BYTES_BF16;
}

/** KV cache (or Mamba's recurrent state) for `batch` sequences of `seqLen` tokens (§1.6). */
export function kvCacheBytes(arch: Architecture, seqLen: number, batch: number): number {
	if (arch.kind === 'ssm') return arch.recurrentStateBytesPerSeq * batch;
	const cached = arch.slidingWindow ? Math.min(seqLen, arch.slidingWindow) : seqLen;
	return kvBytesPerToken(arch) * cached * batch;
}

/**
 * A serving job's shape: concurrent sequences (`concurrency`, else the older `microBatch`) and the
 * tokens each keeps in its KV cache (prompt + output when both are given, else `seqLen`).
 */
export function servingShape(s: EstimateSettings): {
	concurrency: number;
	context: number;
	prompt: number | null;
	output: number | null;
} {
	const concurrency = s.concurrency ?? s.microBatch;
	const timed = s.promptTokens !== undefined && s.outputTokens !== undefined;
	return {
		concurrency,
		context: timed ? s.promptTokens! + s.outputTokens! : s.seqLen,
		prompt: timed ? s.promptTokens! : null,
		output: timed ? s.outputTokens! : null
	};
}

function inferenceMemory(s: EstimateSettings, n: number, capacityGb: number): MemoryDetail {
	const arch = s.arch;
	const { concurrency: batch, context } = servingShape(s);
	// Tensor parallel over n GPUs: weights and KV heads split n ways (§1.8 "TP×PP"); activations replicated.
	const weights = weightBytes(arch, effectivePrecision(s)) / n;
	const kv = kvCacheBytes(arch, context, batch) / n;
	const eager = !s.gpu.flashAttention && arch.heads > 0;
	const hiddenAct = context * batch * INFERENCE_ACTIVATION_HIDDEN_MULTIPLE * arch.hiddenSize * BYTES_BF16;
	const scores = eager ? INFERENCE_EAGER_SCORE_BYTES * arch.heads * context * context * batch : 0;
	const act = hiddenAct + scores;
	const allocated = weights + kv + act;
	const overhead = CUDA_CONTEXT_GB * BYTES_PER_GB + ALLOCATOR_OVERHEAD_FRACTION * allocated;
	const perGpu = allocated + overhead;
	const gb = (b: number) => b / BYTES_PER_GB;
	return {
		perGpuGb: gb(perGpu),
		totalGb: gb(perGpu) * n,
		weightsGb: gb(weights),
		adaptersGb: 0,
		optimizerGb: 0,
		gradientsGb: 0,
		activationsGb: gb(act),
		overheadGb: gb(overhead),
		kvCacheGb: gb(kv),
		allocatedGb: gb(allocated),
		pageableGb: 0,
		logitsGb: 0,
		attentionScoresGb: gb(scores),
		checkpointsGb: 0,
		gatheredWeightsGb: 0,
		capacityGb,
		fits: gb(perGpu) <= capacityGb,
		...memoryBand(gb(perGpu), gb(allocated), 0, capacityGb),
		sharding: 'none',
		trainableParams: 0,
		bnbSurchargeCapped: false
	};
}

/** GPU memory in GB (1e9 bytes) of a catalog GPU sold as `vramGb` (binary) gigabytes. */
export function capacityGb(gpu: GpuSpec): number {
	return gpu.vramGb * GIB_IN_GB;
}
