import type { GpuSpec } from '#catalog/gpus.ts';
import type { Architecture } from './architecture.ts';
import type { Framework } from './frameworks.ts';

export type Method = 'full' | 'lora' | 'qlora' | 'inference';
export type LoraTargets = 'qv' | 'attention' | 'all-linear';
export type Optimizer = 'adamw' | 'adamw-8bit' | 'paged-adamw-8bit';
/** base-weight format: inference bf16 | int8 | nf4 | nf4-dq; QLoRA nf4 | nf4-dq; LoRA/full bf16 */
export type Precision = 'bf16' | 'int8' | 'nf4' | 'nf4-dq';
/** data-parallel sharding (ZeRO stages / FSDP); auto = the least sharding that fits */
export type Sharding = 'auto' | 'none' | 'zero1' | 'zero2' | 'zero3';

export const METHODS: readonly Method[] = ['full', 'lora', 'qlora', 'inference'];
export const LORA_TARGETS: readonly LoraTargets[] = ['qv', 'attention', 'all-linear'];
export const OPTIMIZERS: readonly Optimizer[] = ['adamw', 'adamw-8bit', 'paged-adamw-8bit'];
export const PRECISIONS: readonly Precision[] = ['bf16', 'int8', 'nf4', 'nf4-dq'];
export const SHARDINGS: readonly Sharding[] = ['auto', 'none', 'zero1', 'zero2', 'zero3'];

/** What the engine needs, everything resolved (see DEFAULTS for the API's defaults). */
export interface EstimateSettings {
	arch: Architecture;
	method: Method;
	gpu: GpuSpec;
	/** tokens per sequence (training) or context length (serving) */
	seqLen: number;
	/** sequences per GPU per step (training) or concurrent sequences (serving) */
	microBatch: number;
	gradientCheckpointing: boolean;
	loraRank: number;
	loraTargets: LoraTargets;
	optimizer: Optimizer;
	gpuCount: number;
	/** training: tokens per epoch; serving: tokens to generate */
	datasetTokens: number;
	epochs: number;
	/** QLoRA: nf4 | nf4-dq (default nf4-dq); inference: bf16 | int8 | nf4 | nf4-dq (default bf16) */
	precision?: Precision;
	sharding?: Sharding;
	/** LoRA adapter weights/gradients in fp32 (PEFT's default) or bf16 (QLoRA repo, torchtune, litgpt) */
	adapterPrecision?: 'fp32' | 'bf16';
	/** a chunked/fused cross-entropy that never materialises fp32 logits (torchtune, Liger, Unsloth) */
	chunkedLoss?: boolean;
	/** the training stack (frameworks.ts); default hf-peft. adapterPrecision/chunkedLoss override its profile */
	framework?: Framework;
	/** serving: concurrent sequences (default: microBatch, the older name) */
	concurrency?: number;
	/** serving: prompt and output tokens per request; with both, the context is their sum and prefill is timed */
	promptTokens?: number;
	outputTokens?: number;
	/** QLoRA: bytes per non-quantized parameter, overriding the framework's (2 bf16, 4 fp32) */
	nonQuantizedBytes?: 2 | 4;
}

export interface MemoryGb {
	/** per GPU as nvidia-smi would show it: allocated + overhead */
	perGpuGb: number;
	/** all GPUs together */
	totalGb: number;
	weightsGb: number;
	adaptersGb: number;
	optimizerGb: number;
	gradientsGb: number;
	/** activations incl. logits/loss and (eager) attention scores */
	activationsGb: number;
	/** CUDA context + allocator fragmentation */
	overheadGb: number;
	kvCacheGb: number;
}

export interface MemoryDetail extends MemoryGb {
	/** what torch.cuda.max_memory_allocated() would report (no CUDA context, no fragmentation) */
	allocatedGb: number;
	/** paged optimizer states that may live in host RAM */
	pageableGb: number;
	logitsGb: number;
	attentionScoresGb: number;
	checkpointsGb: number;
	/** ZeRO-3 all-gathered layer weights */
	gatheredWeightsGb: number;
	/** GPU memory, GB (1e9 bytes) */
	capacityGb: number;
	/** the point estimate fits (used by the sharding search); the answer's `fits` is `fit === 'fits'` */
	fits: boolean;
	/** per-GPU memory band from the calibration errors (constants.ts MEMORY_BAND_*), GB */
	rangeGb: [number, number];
	/** fits: the high end fits; tight: the point fits, the high end does not; no: the point does not fit */
	fit: Fit;
	/** the sharding actually used (auto resolved) */
	sharding: Exclude<Sharding, 'auto'>;
	trainableParams: number;
	/** QLoRA: the bitsandbytes activation surcharge was capped at the weight savings */
	bnbSurchargeCapped: boolean;
}

export interface Throughput {
	tokensPerSecond: number;
	/** model FLOPs utilisation implied (model FLOPs per token × tokens/s ÷ peak) */
	mfu: number | null;
	/** model FLOPs per trained token (6N full, 4N + 6N_lora LoRA, + attention) */
	modelFlopsPerToken: number;
	peakTflops: number;
	bound: 'compute' | 'memory-bandwidth';
}

export type Fit = 'fits' | 'tight' | 'no';

export interface Estimate {
	memory: MemoryDetail;
	/** true only when fit === 'fits' */
	fits: boolean;
	fit: Fit;
	throughput: Throughput;
	time: { hours: number; tokens: number };
	/** serving only */
	serving: ServingDetail | null;
	assumptions: string[];
}

export interface ServingDetail {
	concurrency: number;
	/** KV cache tokens per sequence (prompt + output, or seqLen) */
	contextTokens: number;
	/** the most concurrent sequences whose KV cache fits beside the weights (point estimate), 0 if none */
	maxConcurrency: number;
	/** aggregate output tokens/s over all sequences (prefill included when prompt and output are given) */
	tokensPerSecond: number;
	tokensPerSecondPerSequence: number;
}
