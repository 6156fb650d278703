/**
 * The engine's building blocks against the numbers docs/estimation.md states exactly (§1.1 parameter
 * counts, §1.3 LoRA counts, §1.6 KV bytes, models.json weight sizes), plus the behaviours the issue
 * names: precision, eager attention, MoE, multi-GPU sharding, paged optimizers, serving.
 */
import { describe, expect, it } from 'vitest';
import { GPUS, gpuBySlug } from '#catalog/gpus.ts';
import {
	architectureFromCatalog,
	architectureFromConfig,
	DEFAULTS,
	estimate,
	estimateMemory,
	fitTable,
	kvBytesPerToken,
	loraParams,
	MODEL_RECORDS,
	modelById,
	resolveArchitecture,
	trainingFlopsPerToken,
	weightBytes,
	type Architecture,
	type EstimateSettings,
	type HfConfig
} from '../../src/lib/estimator/index.ts';

const gpu = (slug: string) => {
	const g = gpuBySlug(slug);
	if (!g) throw new Error(slug);
	return g;
};
const arch = (id: string): Architecture => {
	const a = resolveArchitecture(id);
	if (!a) throw new Error(id);
	return a;
};
const settings = (a: Architecture, o: Partial<EstimateSettings> = {}): EstimateSettings => ({
	...DEFAULTS,
	arch: a,
	method: 'qlora',
	gpu: gpu('rtx-4090'),
	...o
});

describe('models of the list', () => {
	it('holds every model of models.json with license, context and config source', () => {
		expect(MODEL_RECORDS).toHaveLength(30);
		for (const id of [
			'TokenBender/evolvedSeeker_1_3',
			'mistralai/Mistral-7B-v0.1',
			'mistralai/Mixtral-8x7B-v0.1',
			'HuggingFaceH4/zephyr-7b-beta',
			'adept/fuyu-8b',
			'state-spaces/mamba-2.8b',
			'teknium/OpenHermes-2.5-Mistral-7B',
			'meta-llama/Llama-2-70b-hf',
			'Qwen/Qwen-72B',
			'Qwen/Qwen1.5-MoE-A2.7B',
			'deepseek-ai/deepseek-coder-33b-base',
			'Intel/neural-chat-7b-v1-1',
			'berkeley-nest/Starling-LM-7B-alpha',
			'openchat/openchat_3.5'
		]) {
			const m = modelById(id);
			expect(m, id).toBeDefined();
			expect(m!.license.length).toBeGreaterThan(2);
			expect(m!.config_source).toMatch(/huggingface\.co|derivatives/);
		}
		expect(modelById('meta-llama/Llama-2-7b')?.id).toBe('meta-llama/Llama-2-7b-hf');
		expect(modelById('MISTRALAI/mistral-7b-v0.1')?.id).toBe('mistralai/Mistral-7B-v0.1');
	});

	it('weights in bf16, int8 and NF4+DQ match models.json for every model (GB = 1e9 bytes)', () => {
		for (const m of MODEL_RECORDS) {
			const a = architectureFromCatalog(m);
			expect(weightBytes(a, 'bf16') / 1e9, `${m.id} bf16`).toBeCloseTo(m.weights_GB_bf16, 1);
			expect(weightBytes(a, 'int8') / 1e9, `${m.id} int8`).toBeCloseTo(m.weights_GB_int8, 1);
			expect(weightBytes(a, 'nf4-dq') / 1e9, `${m.id} nf4-dq`).toBeCloseTo(m.weights_GB_nf4_dq, 1);
		}
	});

	it('KV cache bytes per token match models.json (§1.6), and Mamba has none', () => {
		for (const m of MODEL_RECORDS) {
			const a = architectureFromCatalog(m);
			if (m.kv_cache_bytes_per_token_bf16 === undefined) {
				expect(a.kind, m.id).toBe('ssm');
				continue;
			}
			expect(kvBytesPerToken(a), m.id).toBe(m.kv_cache_bytes_per_token_bf16);
		}
	});
});

describe('parameter counts (§1.1) and LoRA adapters (§1.3)', () => {
	const fromCatalog = (id: string): HfConfig => {
		const m = modelById(id)!;
		return {
			hidden_size: m.hidden_size,
			num_hidden_layers: m.layers,
			num_attention_heads: m.attention_heads!,
			num_key_value_heads: m.kv_heads!,
			head_dim: m.head_dim!,
			intermediate_size: m.intermediate_size,
			vocab_size: m.vocab_size,
			num_local_experts: m.num_experts,
			num_experts_per_tok: m.experts_per_token,
			shared_expert_intermediate_size: m.shared_expert_intermediate,
			model_type: m.family.startsWith('mpt')
				? 'mpt'
				: m.family.startsWith('persimmon')
					? 'persimmon'
					: undefined,
			tie_word_embeddings: /(?<!un)tied/.test(m.notes)
		};
	};

	it('Llama-2-7B from its config.json fields has exactly 6,738,415,616 parameters (litgpt/Raschka print it)', () => {
		const a = architectureFromConfig(fromCatalog('meta-llama/Llama-2-7b-hf'));
		expect(a.paramsTotal).toBe(6_738_415_616);
		expect(a.paramsLinear).toBe(6_476_005_376);
	});

	it('a custom config reproduces the catalog counts of every Llama/Mistral/Mixtral/MPT-shaped model', () => {
		for (const m of MODEL_RECORDS) {
			// Qwen models carry qkv biases and Fuyu qk-norms the §1.1 formula leaves out (< 0.1 %).
			if (m.attention_heads === null) continue;
			const a = architectureFromConfig(fromCatalog(m.id));
			expect(Math.abs(a.paramsTotal / m.params_total - 1), m.id).toBeLessThan(0.002);
			expect(Math.abs(a.paramsActive / m.params_active_per_token - 1), m.id).toBeLessThan(0.002);
			expect(Math.abs(a.paramsLinear / m.params_quantizable_linear - 1), m.id).toBeLessThan(0.002);
		}
	});

	it('Qwen v1 configs count both SwiGLU branches in intermediate_size (model_type "qwen" halves it)', () => {
		const m = modelById('Qwen/Qwen-7B')!;
		const a = architectureFromConfig({ ...fromCatalog(m.id), intermediate_size: 22016, model_type: 'qwen' });
		expect(Math.abs(a.paramsTotal / m.params_total - 1)).toBeLessThan(0.002);
	});

	it('LoRA counts: Llama-2-7B r8 q,v = 4,194,304; 13B = 6,553,600; Mistral-7B r16/r64 all-linear = 41.9M/167.8M', () => {
		expect(loraParams(arch('meta-llama/Llama-2-7b-hf'), 8, 'qv')).toBe(4_194_304);
		expect(loraParams(arch('meta-llama/Llama-2-13b-hf'), 8, 'qv')).toBe(6_553_600);
		expect(loraParams(arch('mistralai/Mistral-7B-v0.1'), 16, 'all-linear') / 1e6).toBeCloseTo(41.9, 1);
		expect(loraParams(arch('mistralai/Mistral-7B-v0.1'), 64, 'all-linear') / 1e6).toBeCloseTo(167.8, 1);
		const llama65 = architectureFromConfig({
			hidden_size: 8192,
			num_hidden_layers: 80,
			num_attention_heads: 64,
			intermediate_size: 22016,
			vocab_size: 32000
		});
		expect(loraParams(llama65, 64, 'all-linear') / 1e6).toBeCloseTo(799.5, 1);
		// attention targets sit between q,v and all-linear
		const m = arch('mistralai/Mistral-7B-v0.1');
		expect(loraParams(m, 16, 'qv')).toBeLessThan(loraParams(m, 16, 'attention'));
		expect(loraParams(m, 16, 'attention')).toBeLessThan(loraParams(m, 16, 'all-linear'));
	});
});

describe('memory', () => {
	it('reports the answer fields in GB with perGpuGb = the parts + overhead and totalGb = perGpu × GPUs', () => {
		const e = estimate(
			settings(arch('mistralai/Mistral-7B-v0.1'), { gpuCount: 2, gpu: gpu('a100-sxm-80gb') })
		);
		const m = e.memory;
		const parts = m.weightsGb + m.adaptersGb + m.optimizerGb + m.gradientsGb + m.activationsGb + m.kvCacheGb;
		expect(m.allocatedGb).toBeCloseTo(parts, 9);
		expect(m.perGpuGb).toBeCloseTo(parts + m.overheadGb, 9);
		expect(m.totalGb).toBeCloseTo(m.perGpuGb * 2, 9);
		// §2.6 worked example: Mistral-7B QLoRA r16 all-linear: 4.1 GB NF4 weights, ~0.7 GB adapters + optimizer
		// (+ 0.52 GB under the default hf-peft profile: embeddings, lm_head and norms upcast to fp32)
		expect(m.weightsGb).toBeCloseTo(4.13 + 0.524, 1);
		expect(m.adaptersGb + m.gradientsGb + m.optimizerGb).toBeCloseTo(0.67, 1);
	});

	it('T4 and V100 run eager attention: s² scores are stored, and cost more without checkpointing', () => {
		const a = arch('meta-llama/Llama-2-7b-hf');
		const onT4 = estimateMemory(settings(a, { gpu: gpu('t4'), seqLen: 1024 }));
		const onL4 = estimateMemory(settings(a, { gpu: gpu('l4'), seqLen: 1024 }));
		// 5·a·s² bytes once (checkpointing: one layer re-materialised)
		expect(onT4.attentionScoresGb).toBeCloseTo((5 * 32 * 1024 * 1024) / 1e9, 9);
		expect(onL4.attentionScoresGb).toBe(0);
		const noGc = estimateMemory(settings(a, { gpu: gpu('t4'), seqLen: 1024, gradientCheckpointing: false }));
		expect(noGc.attentionScoresGb).toBeCloseTo((32 * 5 * 32 * 1024 * 1024) / 1e9, 9);
	});

	it('gradient checkpointing lowers activations', () => {
		const a = arch('mistralai/Mistral-7B-v0.1');
		const on = estimateMemory(settings(a, { gradientCheckpointing: true }));
		const off = estimateMemory(settings(a, { gradientCheckpointing: false }));
		expect(on.activationsGb).toBeLessThan(off.activationsGb / 5);
	});

	it('MoE: memory from total parameters, compute from active ones (Mixtral 46.7B / 12.9B)', () => {
		const a = arch('mistralai/Mixtral-8x7B-v0.1');
		const m = estimateMemory(settings(a, { method: 'inference', gpu: gpu('h200') }));
		expect(m.weightsGb).toBeCloseTo(93.41, 1);
		const f = trainingFlopsPerToken(settings(a, { method: 'full', gradientCheckpointing: false, seqLen: 1 }));
		expect(f.model / 6 / 1e9).toBeCloseTo(12.88, 1);
	});

	it('full fine-tuning: 16 bytes per parameter with AdamW (2 weights + 2 grads + 12 states incl. fp32 master)', () => {
		const a = arch('meta-llama/Llama-2-7b-hf');
		const m = estimateMemory(settings(a, { method: 'full', gpu: gpu('b200') }));
		expect((m.weightsGb + m.gradientsGb + m.optimizerGb) * 1e9).toBeCloseTo(16 * a.paramsTotal, -3);
		const m8 = estimateMemory(settings(a, { method: 'full', gpu: gpu('b200'), optimizer: 'adamw-8bit' }));
		expect((m8.weightsGb + m8.gradientsGb + m8.optimizerGb) * 1e9).toBeCloseTo(10 * a.paramsTotal, -3);
	});

	it('ZeRO stages divide optimizer, then gradients, then weights by the GPU count; auto takes the least that fits', () => {
		const a = arch('meta-llama/Llama-2-7b-hf');
		const s = settings(a, { method: 'full', gpu: gpu('a100-sxm-80gb'), gpuCount: 4 });
		const none = estimateMemory({ ...s, sharding: 'none' });
		const z1 = estimateMemory({ ...s, sharding: 'zero1' });
		const z2 = estimateMemory({ ...s, sharding: 'zero2' });
		const z3 = estimateMemory({ ...s, sharding: 'zero3' });
		expect(z1.optimizerGb).toBeCloseTo(none.optimizerGb / 4, 9);
		expect(z2.gradientsGb).toBeCloseTo(none.gradientsGb / 4, 9);
		expect(z3.weightsGb).toBeLessThan(none.weightsGb / 4 + 2); // + two gathered layers
		expect(z3.gatheredWeightsGb).toBeGreaterThan(0);
		expect([none, z1, z2, z3].map((m) => m.perGpuGb)).toEqual(
			[...[none, z1, z2, z3].map((m) => m.perGpuGb)].sort((x, y) => y - x)
		);
		expect(none.fits).toBe(false); // 108 GB of states on an 80 GB card
		const auto = estimateMemory(s);
		expect(auto.fits).toBe(true);
		expect(auto.sharding).toBe('zero1');
	});

	it('a paged optimizer may page its states to host RAM, so they do not decide the fit', () => {
		const a = arch('meta-llama/Llama-2-13b-hf');
		const paged = estimateMemory(
			settings(a, { method: 'full', gpu: gpu('a100-sxm-80gb'), optimizer: 'paged-adamw-8bit' })
		);
		const plain = estimateMemory(
			settings(a, { method: 'full', gpu: gpu('a100-sxm-80gb'), optimizer: 'adamw-8bit' })
		);
		expect(paged.perGpuGb).toBeCloseTo(plain.perGpuGb, 9);
		expect(paged.pageableGb).toBeCloseTo(paged.optimizerGb, 9);
		expect(plain.fits).toBe(false);
		expect(paged.fits).toBe(true);
	});

	it('serving: KV cache per §1.6, Mistral capped at its 4096 sliding window, Mamba a fixed state, TP splits it', () => {
		const llama = estimateMemory(
			settings(arch('meta-llama/Llama-2-7b-hf'), { method: 'inference', seqLen: 4096, microBatch: 1 })
		);
		expect(llama.kvCacheGb).toBeCloseTo((512 * 1024 * 4096) / 1e9, 9); // 2 GiB
		const mistral = estimateMemory(
			settings(arch('mistralai/Mistral-7B-v0.1'), { method: 'inference', seqLen: 32768, microBatch: 1 })
		);
		expect(mistral.kvCacheGb).toBeCloseTo((128 * 1024 * 4096) / 1e9, 9);
		const mamba = estimateMemory(
			settings(arch('state-spaces/mamba-2.8b'), { method: 'inference', seqLen: 100_000, microBatch: 2 })
		);
		expect(mamba.kvCacheGb).toBeCloseTo((2 * 13_107_200) / 1e9, 9);
		const tp = estimateMemory(
			settings(arch('meta-llama/Llama-2-70b-hf'), { method: 'inference', gpu: gpu('h100-sxm'), gpuCount: 2 })
		);
		expect(tp.weightsGb).toBeCloseTo(137.95 / 2, 1);
		expect(tp.fits).toBe(true);
		// §2.6: 70B in bf16 does not fit one H200 with useful KV; 4-bit fits one 48 GB card
		expect(
			estimateMemory(
				settings(arch('meta-llama/Llama-2-70b-hf'), {
					method: 'inference',
					gpu: gpu('rtx-a6000'),
					precision: 'nf4'
				})
			).fits
		).toBe(true);
	});

	it('every model of the list gets an estimate for every method on every catalog GPU', () => {
		for (const m of MODEL_RECORDS) {
			const a = architectureFromCatalog(m);
			for (const method of ['full', 'lora', 'qlora', 'inference'] as const) {
				const rows = fitTable({ ...DEFAULTS, arch: a, method });
				expect(rows).toHaveLength(GPUS.length * 4);
				for (const r of rows) {
					expect(Number.isFinite(r.perGpuGb) && r.perGpuGb > 0, `${m.id} ${method} ${r.gpu}`).toBe(true);
					expect(r.hours > 0 && Number.isFinite(r.hours), `${m.id} ${method} ${r.gpu} hours`).toBe(true);
				}
			}
		}
	}, 30_000); // ~4 s alone; several times that on a shared 2-core machine
});

describe('time', () => {
	it('QLoRA takes 1.5× the LoRA time; LoRA is faster than full fine-tuning', () => {
		const a = arch('mistralai/Mistral-7B-v0.1');
		const lora = estimate(settings(a, { method: 'lora', gpu: gpu('a100-sxm-80gb') }));
		const qlora = estimate(settings(a, { method: 'qlora', gpu: gpu('a100-sxm-80gb') }));
		const full = estimate(settings(a, { method: 'full', gpu: gpu('a100-sxm-80gb') }));
		expect(qlora.time.hours / lora.time.hours).toBeCloseTo(1.5, 6);
		expect(full.time.hours).toBeGreaterThan(lora.time.hours);
	});

	it('§2.6 worked example: Mistral-7B QLoRA on 10M tokens on one RTX 4090 takes about 2 hours', () => {
		const e = estimate(settings(arch('mistralai/Mistral-7B-v0.1'), { datasetTokens: 10_000_000 }));
		expect(e.time.hours).toBeGreaterThan(1.5);
		expect(e.time.hours).toBeLessThan(2.5);
	});

	it('uses the BF16 peak, FP16 on GPUs without BF16 (T4)', () => {
		const t4 = estimate(settings(arch('Qwen/Qwen1.5-0.5B'), { gpu: gpu('t4') }));
		expect(t4.throughput.peakTflops).toBe(65);
		expect(t4.assumptions.join(' ')).toMatch(/FP16 peak/);
	});

	it('serving is bandwidth-bound at batch 1 and faster per token on a faster card', () => {
		const a = arch('meta-llama/Llama-2-7b-hf');
		const a100 = estimate(settings(a, { method: 'inference', gpu: gpu('a100-sxm-40gb') }));
		const h100 = estimate(settings(a, { method: 'inference', gpu: gpu('h100-sxm') }));
		expect(a100.throughput.bound).toBe('memory-bandwidth');
		// η · 1,555 GB/s / 13.5 GB ≈ 69 tok/s (§2.5: 115 tok/s upper bound at η = 1)
		expect(a100.throughput.tokensPerSecond).toBeGreaterThan(60);
		expect(a100.throughput.tokensPerSecond).toBeLessThan(115);
		expect(h100.throughput.tokensPerSecond).toBeGreaterThan(a100.throughput.tokensPerSecond);
	});

	it('says what it assumed, in words', () => {
		const e = estimate(settings(arch('mistralai/Mistral-7B-v0.1'), { gpuCount: 2 }));
		const text = e.assumptions.join('\n');
		expect(text).toMatch(/NF4 with double quantization/);
		expect(text).toMatch(/LoRA rank 16 on all linear layers/);
		expect(text).toMatch(/Data parallel over 2 GPUs/);
		expect(text).toMatch(/0\.65 GB CUDA context/);
	});
});
