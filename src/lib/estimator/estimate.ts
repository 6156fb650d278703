/**
 * The estimate: memory per GPU, whether it fits, throughput, time, and the assumptions behind them in
 * words. Pure: no I/O, runs on the server and in the browser.
 */
import { GPUS, trainingPeakTflops, type GpuSpec } from '#catalog/gpus.ts';
import type { Architecture } from './architecture.ts';
import {
	ACTIVATION_K,
	ALLOCATOR_OVERHEAD_FRACTION,
	BNB_QLORA_ACTIVATION_FACTOR,
	CUDA_CONTEXT_GB,
	DECODE_BANDWIDTH_EFFICIENCY,
	FIT_GPU_COUNTS,
	HARDWARE_FLOPS_UTILISATION,
	HIGH_PEAK_UTILISATION_FACTOR,
	QLORA_SLOWDOWN
} from './constants.ts';
import { frameworkProfile } from './frameworks.ts';
import {
	adapterPrecisionOf,
	bytesPerLinearWeight,
	effectivePrecision,
	estimateMemory,
	logitBytesOf,
	servingShape
} from './memory.ts';
import { estimateThroughput, utilisation } from './time.ts';
import type {
	Estimate,
	EstimateSettings,
	Fit,
	MemoryDetail,
	LoraTargets,
	Method,
	Optimizer,
	Precision,
	ServingDetail,
	Sharding
} from './types.ts';

/** Defaults of every field but model, method and gpu (the API and the form use these). */
export const DEFAULTS = {
	seqLen: 2048,
	microBatch: 1,
	gradientCheckpointing: true,
	loraRank: 16,
	loraTargets: 'all-linear' as LoraTargets,
	optimizer: 'adamw' as Optimizer,
	gpuCount: 1,
	datasetTokens: 10_000_000,
	epochs: 1,
	sharding: 'auto' as Sharding
} as const;

/** Default base-weight format per method: QLoRA NF4+DQ (the QLoRA paper), serving bf16, else bf16. */
export function defaultPrecision(method: Method): Precision {
	return method === 'qlora' ? 'nf4-dq' : 'bf16';
}

export function estimate(s: EstimateSettings): Estimate {
	const memory = estimateMemory(s);
	const throughput = estimateThroughput(s);
	const tokens = s.method === 'inference' ? s.datasetTokens : s.datasetTokens * s.epochs;
	const hours = throughput.tokensPerSecond > 0 ? tokens / throughput.tokensPerSecond / 3600 : Infinity;
	return {
		memory,
		fits: memory.fit === 'fits',
		fit: memory.fit,
		throughput,
		time: { hours, tokens },
		serving: s.method === 'inference' ? servingDetail(s, throughput.tokensPerSecond) : null,
		assumptions: assumptions(s, memory)
	};
}

export const MAX_CONCURRENCY = 4096;
/**
 * The largest concurrency (≤ MAX_CONCURRENCY) whose memory fits the GPUs, 0 when not even one sequence
 * does; by bisection, since memory grows with concurrency.
 */
export function maxFittingConcurrency(s: EstimateSettings): number {
	const fitsAt = (c: number) => estimateMemory({ ...s, concurrency: c }).fits;
	if (!fitsAt(1)) return 0;
	let lo = 1;
	let hi = MAX_CONCURRENCY;
	if (fitsAt(hi)) return hi;
	while (hi - lo > 1) {
		const mid = Math.floor((lo + hi) / 2);
		if (fitsAt(mid)) lo = mid;
		else hi = mid;
	}
	return lo;
}

function servingDetail(s: EstimateSettings, tokensPerSecond: number): ServingDetail {
	const shape = servingShape(s);
	const maxConcurrency = maxFittingConcurrency(s);
	return {
		concurrency: shape.concurrency,
		contextTokens: shape.context,
		maxConcurrency,
		tokensPerSecond,
		tokensPerSecondPerSequence: tokensPerSecond / shape.concurrency
	};
}

const OPTIMIZER_NAMES: Record<Optimizer, string> = {
	adamw: 'AdamW',
	'adamw-8bit': '8-bit AdamW',
	'paged-adamw-8bit': 'paged 8-bit AdamW'
};

const LABEL_TARGETS: Record<LoraTargets, string> = {
	qv: 'the q and v projections',
	attention: 'all attention projections (q, k, v, o)',
	'all-linear': 'all linear layers of every block'
};

function num(x: number, digits = 3): string {
	if (x >= 1e12) return `${(x / 1e12).toPrecision(digits)} T`;
	if (x >= 1e9) return `${(x / 1e9).toPrecision(digits)} B`;
	if (x >= 1e6) return `${(x / 1e6).toPrecision(digits)} M`;
	if (x >= 1e3) return `${(x / 1e3).toPrecision(digits)} k`;
	return String(Math.round(x));
}

function assumptions(s: EstimateSettings, memory: MemoryDetail): string[] {
	const a = s.arch;
	const sharding = memory.sharding;
	const trainable = memory.trainableParams;
	const out: string[] = [];
	const moe =
		a.experts > 1 ? ` (${num(a.paramsActive)} active per token: memory uses all, compute the active)` : '';
	out.push(`Model ${a.label}: ${num(a.paramsTotal)} parameters${moe}.`);
	const precision = effectivePrecision(s);
	const fmt: Record<Precision, string> = {
		bf16: s.gpu.bf16 ? 'bf16 (2 bytes per parameter)' : 'fp16 (2 bytes per parameter; this GPU has no bf16)',
		int8: 'int8 (1 byte per linear weight, LLM.int8)',
		nf4: 'NF4 (0.5625 bytes per linear weight incl. fp32 block constants)',
		'nf4-dq': `NF4 with double quantization (${bytesPerLinearWeight('nf4-dq').toFixed(4)} bytes per linear weight)`
	};
	const profile = frameworkProfile(s.framework);
	const nonQuantFp32 = s.method === 'qlora' && (s.nonQuantizedBytes ?? profile.qloraNonQuantizedBytes) === 4;
	out.push(
		`Base weights ${fmt[precision]}${
			precision === 'bf16'
				? ''
				: nonQuantFp32
					? '; embeddings, lm_head and norms upcast to fp32 (4 bytes), as PEFT’s prepare_model_for_kbit_training does'
					: '; embeddings, lm_head and norms stay 16-bit'
		}.`
	);
	if (s.method !== 'inference') {
		out.push(
			`Training stack: ${profile.id} (${profile.label}); its differences and sources are on this page.`
		);
	}
	if (s.method === 'lora' || s.method === 'qlora') {
		const adapterPrecision = adapterPrecisionOf(s);
		const bytes = (adapterPrecision === 'bf16' ? 4 : 8) + (s.optimizer === 'adamw' ? 8 : 2);
		out.push(
			`LoRA rank ${s.loraRank} on ${LABEL_TARGETS[s.loraTargets]}${a.kind === 'ssm' ? ' (Mamba mixer projections)' : ''}: ` +
				`${num(trainable)} trainable parameters, ${bytes} bytes each with adapters in ` +
				`${adapterPrecision === 'bf16' ? 'bf16' : 'fp32 (the PEFT default)'} and ${OPTIMIZER_NAMES[s.optimizer]}.`
		);
	}
	if (s.method === 'full') {
		out.push(
			`Full fine-tuning in mixed precision: bf16 weights and gradients, fp32 master copy and ${OPTIMIZER_NAMES[s.optimizer]} states ` +
				`(${s.optimizer === 'adamw' ? 16 : 10} bytes per parameter).`
		);
	}
	if (s.optimizer === 'paged-adamw-8bit' && s.method !== 'inference') {
		out.push(
			'Paged optimizer: its states may page out to host RAM, so they do not count against fitting (slower when they do page).'
		);
	}
	if (s.method !== 'inference') {
		out.push(
			`Activations for micro-batch ${s.microBatch} × ${s.seqLen} tokens per GPU, ` +
				(s.gradientCheckpointing
					? profile.offloadCheckpoints
						? 'gradient checkpointing on, checkpoints offloaded to host RAM (one layer recomputed on the GPU)'
						: 'gradient checkpointing on (each layer input kept, one layer recomputed)'
					: 'no gradient checkpointing') +
				`, k = ${ACTIVATION_K} (eager PyTorch fit)` +
				(s.method === 'qlora' ? `, × ${BNB_QLORA_ACTIVATION_FACTOR} for bitsandbytes QLoRA` : '') +
				(memory.bnbSurchargeCapped
					? ' (that surcharge is fitted at ~1.3k tokens; here it is capped at the weight memory QLoRA saves, so QLoRA never exceeds LoRA)'
					: '') +
				'.'
		);
		const logitBytes = logitBytesOf(s);
		out.push(
			logitBytes === 0
				? 'Loss: fused cross-entropy, logits never materialised.'
				: logitBytes < 16
					? `Loss: chunked cross-entropy, ${logitBytes} bytes per logit.`
					: 'Loss: standard cross-entropy, 16 bytes per logit (bf16 logits, fp32 upcast, log-softmax and gradients).'
		);
	} else {
		out.push(
			`Serving ${servingShape(s).concurrency} concurrent sequence${servingShape(s).concurrency > 1 ? 's' : ''} of ${servingShape(s).context} tokens: bf16 KV cache` +
				(a.kvElementsPerTokenLayer ? ' (MLA: the compressed latent and rope key per token)' : '') +
				(a.kind === 'ssm' ? ' replaced by Mamba’s fixed recurrent state' : '') +
				(a.slidingWindow && s.seqLen > a.slidingWindow
					? `, capped at the ${a.slidingWindow}-token sliding window`
					: '') +
				'.'
		);
	}
	if (a.heads > 0) {
		out.push(
			s.gpu.flashAttention
				? 'Attention: fused (FlashAttention/SDPA), no s² score storage.'
				: `Attention: eager on ${s.gpu.name} (no FlashAttention kernels), s² scores stored.`
		);
	}
	if (s.gpuCount > 1) {
		out.push(
			s.method === 'inference'
				? `Tensor parallel over ${s.gpuCount} GPUs: weights and KV cache split evenly.`
				: `Data parallel over ${s.gpuCount} GPUs, micro-batch per GPU; sharding ${sharding === 'none' ? 'none (plain DDP)' : sharding.toUpperCase().replace('ZERO', 'ZeRO-')}` +
						((s.sharding ?? 'auto') === 'auto' ? ' (the least that fits)' : '') +
						'; throughput scales linearly.'
		);
	}
	const reserve = s.method === 'inference' ? ALLOCATOR_OVERHEAD_FRACTION : profile.allocatorReserveFraction;
	out.push(
		`Overhead: ${CUDA_CONTEXT_GB} GB CUDA context + ${Math.round(reserve * 100)} % caching-allocator reserve; ` +
			`${s.gpu.name} holds ${s.gpu.vramGb} GiB = ${(s.gpu.vramGb * 1.073741824).toFixed(1)} GB.`
	);
	const peak = trainingPeakTflops(s.gpu);
	if (s.method === 'inference') {
		out.push(
			`Decode speed from memory bandwidth (${s.gpu.memBandwidthGBs ?? '?'} GB/s at ${DECODE_BANDWIDTH_EFFICIENCY * 100} % efficiency), ` +
				`capped by compute; ${s.datasetTokens.toLocaleString('en-US')} generated tokens` +
				(precision === 'nf4' || precision === 'nf4-dq' || precision === 'int8'
					? '; assumes fused quantized kernels (bitsandbytes decodes slower than bf16)'
					: '') +
				'.'
		);
	} else {
		const util = utilisation(s.gpu);
		out.push(
			`Time: ${s.method === 'full' ? '6N' : '4N + 6·N_lora'} FLOPs per token + attention` +
				(s.gradientCheckpointing ? ' + one recomputed forward' : '') +
				`, at ${Math.round(util * 100)} % of the ${peak} TFLOPS ${s.gpu.bf16 ? 'BF16' : 'FP16'} peak` +
				(util < HARDWARE_FLOPS_UTILISATION
					? ` (× ${HIGH_PEAK_UTILISATION_FACTOR} on Hopper-class peaks)`
					: '') +
				(s.method === 'qlora' ? `, × ${QLORA_SLOWDOWN} for QLoRA dequantization` : '') +
				`; ${s.datasetTokens.toLocaleString('en-US')} tokens × ${s.epochs} epoch${s.epochs === 1 ? '' : 's'}.`
		);
	}
	if (a.maxContext && s.seqLen > a.maxContext) {
		out.push(`Warning: ${s.seqLen} tokens exceed the model's configured context of ${a.maxContext}.`);
	}
	return out;
}

export interface FitRow {
	gpu: string;
	gpuName: string;
	vramGb: number;
	gpuCount: number;
	/** true only when fit === 'fits' */
	fits: boolean;
	fit: Fit;
	perGpuGb: number;
	rangeGb: [number, number];
	capacityGb: number;
	hours: number;
	tokensPerSecond: number;
	sharding: string;
}

/** Fits / does not fit for every catalog GPU and count (FIT_GPU_COUNTS), same settings otherwise. */
export function fitTable(s: Omit<EstimateSettings, 'gpu' | 'gpuCount'>, gpus: GpuSpec[] = GPUS): FitRow[] {
	const out: FitRow[] = [];
	for (const gpu of gpus) {
		for (const gpuCount of FIT_GPU_COUNTS) {
			const e = estimate({ ...s, gpu, gpuCount });
			out.push({
				gpu: gpu.slug,
				gpuName: gpu.name,
				vramGb: gpu.vramGb,
				gpuCount,
				fits: e.fits,
				fit: e.fit,
				perGpuGb: e.memory.perGpuGb,
				rangeGb: e.memory.rangeGb,
				capacityGb: e.memory.capacityGb,
				hours: e.time.hours,
				tokensPerSecond: e.throughput.tokensPerSecond,
				sharding: e.memory.sharding
			});
		}
	}
	return out;
}

/** The smallest count of this GPU (from FIT_GPU_COUNTS) on which the job fits, or null. */
export function minimumGpuCount(s: Omit<EstimateSettings, 'gpu' | 'gpuCount'>, gpu: GpuSpec): number | null {
	for (const gpuCount of FIT_GPU_COUNTS) if (estimateMemory({ ...s, gpu, gpuCount }).fits) return gpuCount;
	return null;
}

export type { Architecture };
