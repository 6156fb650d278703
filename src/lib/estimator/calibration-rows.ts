/**
 * The claimed rows of the calibration set: published measurements (docs/estimation.md §3)
 * with the engine's prediction for each, at the run's own settings. calibration.ts marks which rows fitted
 * a constant and which are held out; tests/estimator/calibration.test.ts holds each to its tolerance.
 */
import type { GpuSpec } from '#catalog/gpus.ts';
import type { Architecture, HfConfig } from './architecture.ts';
import { GIB_IN_GB } from './constants.ts';
import {
	arch,
	fillAtMeasuredContext,
	fits,
	gpu,
	mem,
	settings,
	slowdown,
	tps,
	tpsPerGpu,
	type ClaimedRow
} from './calibration-runs.ts';
import type { EstimateSettings } from './types.ts';

// Shapes of models outside the list, as their config.json fields (Llama naming).
const LLAMA_1_65B: HfConfig = {
	hidden_size: 8192,
	num_hidden_layers: 80,
	num_attention_heads: 64,
	intermediate_size: 22016,
	vocab_size: 32000
};
const LLAMA_1_33B: HfConfig = {
	hidden_size: 6656,
	num_hidden_layers: 60,
	num_attention_heads: 52,
	intermediate_size: 17920,
	vocab_size: 32000
};
const LLAMA_31_8B: HfConfig = {
	hidden_size: 4096,
	num_hidden_layers: 32,
	num_attention_heads: 32,
	num_key_value_heads: 8,
	intermediate_size: 14336,
	vocab_size: 128256
};
const LLAMA_31_70B: HfConfig = {
	hidden_size: 8192,
	num_hidden_layers: 80,
	num_attention_heads: 64,
	num_key_value_heads: 8,
	intermediate_size: 28672,
	vocab_size: 128256
};
const CODELLAMA_34B: HfConfig = {
	hidden_size: 8192,
	num_hidden_layers: 48,
	num_attention_heads: 64,
	num_key_value_heads: 8,
	intermediate_size: 22016,
	vocab_size: 32000
};
const FALCON_40B: HfConfig = {
	hidden_size: 8192,
	num_hidden_layers: 60,
	num_attention_heads: 128,
	num_key_value_heads: 8,
	head_dim: 64,
	intermediate_size: 32768,
	vocab_size: 65024,
	tie_word_embeddings: true,
	model_type: 'falcon'
};
const MPT_7B: HfConfig = {
	hidden_size: 4096,
	num_hidden_layers: 32,
	num_attention_heads: 32,
	intermediate_size: 16384,
	vocab_size: 50432,
	tie_word_embeddings: true,
	model_type: 'mpt'
};
// llm-foundry's pre-training configs for the larger MPT benchmarks (d_model, n_heads, n_layers, expansion
// ratio 4, vocabulary 50,368): scripts/train/yamls/pretrain/mpt-13b.yaml and mpt-30b.yaml,
// https://github.com/mosaicml/llm-foundry/tree/main/scripts/train/yamls/pretrain
const mptConfig = (d: number, heads: number, layers: number): HfConfig => ({
	hidden_size: d,
	num_hidden_layers: layers,
	num_attention_heads: heads,
	intermediate_size: 4 * d,
	vocab_size: 50368,
	tie_word_embeddings: true,
	model_type: 'mpt'
});
const MPT_13B = mptConfig(5120, 40, 40);
const MPT_30B = mptConfig(7168, 56, 48);
const MPT_7B_BENCH = mptConfig(4096, 32, 32);

// litgpt resource tables (§3 #9–#15): Alpaca, longest sample ≈1304 tokens, micro-batch 1, bf16-true,
// LoRA r8 on q,v (litgpt keeps adapters in bf16), no activation checkpointing, A100-40GB.
const LITGPT = {
	framework: 'litgpt',
	seqLen: 1304,
	microBatch: 1,
	gradientCheckpointing: false,
	loraRank: 8,
	loraTargets: 'qv',
	adapterPrecision: 'bf16'
} as const;
// torchtune README (§3 #1–#8): packed 2048 × bs2, activation checkpointing, chunked CE loss, bf16 LoRA r8.
const TORCHTUNE = {
	framework: 'torchtune',
	seqLen: 2048,
	microBatch: 2,
	gradientCheckpointing: true,
	loraRank: 8,
	loraTargets: 'all-linear',
	adapterPrecision: 'bf16',
	chunkedLoss: true
} as const;
// QLoRA paper Fig. 6 (§3 #29–#30): NF4+DQ, r64 on all linear layers, bs1, seq 512, checkpointing; the
// QLoRA repo casts adapters to bf16 and uses 32-bit (paged) AdamW states. It is an HF + PEFT script, but
// after prepare_model_for_kbit_training it casts lm_head and embed_tokens back to bf16
// (https://github.com/artidoro/qlora/blob/main/qlora.py, get_accelerate_model), hence nonQuantizedBytes 2.
const QLORA_FIG6 = {
	framework: 'hf-peft',
	nonQuantizedBytes: 2,
	method: 'qlora',
	precision: 'nf4-dq',
	loraRank: 64,
	loraTargets: 'all-linear',
	seqLen: 512,
	microBatch: 1,
	gradientCheckpointing: true,
	adapterPrecision: 'bf16',
	optimizer: 'adamw'
} as const;

const A100_40 = () => gpu('a100-sxm-40gb');
const L2_7 = () => arch('meta-llama/Llama-2-7b-hf', 'Llama-2-7B');
const L2_13 = () => arch('meta-llama/Llama-2-13b-hf', 'Llama-2-13B');
export const LITGPT_SRC = 'litgpt tutorials/resource-tables.md (10/2023)';
export const TT_SRC = 'torchtune README "Memory and training speed"';
// where each source can be read (ClaimedRow.url); tests/estimator/calibration.test.ts requires one per row
const LITGPT_URL = 'https://github.com/Lightning-AI/litgpt/blob/main/tutorials/resource-tables.md';
const TT_URL = 'https://github.com/pytorch/torchtune/blob/main/README.md#memory-and-training-speed';
const RASCHKA_URL = 'https://lightning.ai/pages/community/lora-insights/';
const QLORA_URL = 'https://arxiv.org/abs/2305.14314';
const LLM_FOUNDRY_URL =
	'https://github.com/mosaicml/llm-foundry/blob/main/scripts/train/benchmarking/README.md';

/** The claimed rows, before calibration.ts marks which fitted a constant. */
export function publishedRows(): ClaimedRow[] {
	const lit = (a: Architecture, o: Partial<EstimateSettings>) => settings(a, A100_40(), { ...LITGPT, ...o });
	const inf = (a: Architecture, precision: EstimateSettings['precision']) =>
		settings(a, A100_40(), {
			framework: 'litgpt',
			method: 'inference',
			precision,
			seqLen: 64,
			microBatch: 1
		});
	const l31 = arch(LLAMA_31_8B, 'Llama-3.1-8B');
	const rows: ClaimedRow[] = [
		{
			row: '§3 #9, §1.9',
			run: 'Llama-2-7B LoRA r8 q,v, mb1, A100-40GB',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'memory',
			measured: 21.3,
			unit: 'GB',
			predict: mem(lit(L2_7(), {}))
		},
		{
			row: '§3 #11, §1.9',
			run: 'Llama-2-7B LoRA mb2',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'memory',
			measured: 29.07,
			unit: 'GB',
			predict: mem(lit(L2_7(), { microBatch: 2 }))
		},
		{
			row: '§3 #11',
			run: 'Llama-2-7B LoRA mb4 on A100-40GB: out of memory',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'fit',
			measured: 0,
			unit: 'fits',
			predict: fits(lit(L2_7(), { microBatch: 4 }))
		},
		{
			row: '§3 #10, §1.9',
			run: 'Llama-2-7B QLoRA nf4',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'memory',
			measured: 14.14,
			unit: 'GB',
			predict: mem(lit(L2_7(), { method: 'qlora', precision: 'nf4' }))
		},
		{
			row: '§3 #10, §1.9',
			run: 'Llama-2-7B QLoRA nf4-dq',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'memory',
			measured: 13.84,
			unit: 'GB',
			predict: mem(lit(L2_7(), { method: 'qlora', precision: 'nf4-dq' }))
		},
		{
			row: '§3 #12, §1.9',
			run: 'Llama-2-13B LoRA',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'memory',
			measured: 38.12,
			unit: 'GB',
			predict: mem(lit(L2_13(), {}))
		},
		{
			row: '§3 #12',
			run: 'Llama-2-13B LoRA fits an A100-40GB',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'fit',
			measured: 1,
			unit: 'fits',
			predict: fits(lit(L2_13(), {}))
		},
		{
			row: '§3 #12',
			run: 'Llama-2-13B QLoRA nf4',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'memory',
			measured: 23.14,
			unit: 'GB',
			predict: mem(lit(L2_13(), { method: 'qlora', precision: 'nf4' }))
		},
		{
			row: '§3 #12, §1.9',
			run: 'Llama-2-13B QLoRA nf4-dq',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'memory',
			measured: 22.55,
			unit: 'GB',
			predict: mem(lit(L2_13(), { method: 'qlora', precision: 'nf4-dq' }))
		},
		{
			row: '§3 #13',
			run: 'Falcon-40B LoRA on A100-40GB: out of memory',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'fit',
			measured: 0,
			unit: 'fits',
			predict: fits(lit(arch(FALCON_40B, 'Falcon-40B'), {}))
		},
		{
			row: '§3 #13',
			run: 'Falcon-40B QLoRA on A100-40GB: out of memory',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'fit',
			measured: 0,
			unit: 'fits',
			predict: fits(lit(arch(FALCON_40B, 'Falcon-40B'), { method: 'qlora', precision: 'nf4' }))
		},
		{
			row: '§3 #15',
			run: 'Llama-2-7B inference bf16',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'memory',
			measured: 13.52,
			unit: 'GB',
			predict: mem(inf(L2_7(), 'bf16'))
		},
		{
			row: '§3 #15',
			run: 'Llama-2-7B inference nf4',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'memory',
			measured: 4.57,
			unit: 'GB',
			predict: mem(inf(L2_7(), 'nf4'))
		},
		{
			row: '§3 #15',
			run: 'Llama-2-7B inference nf4-dq',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'memory',
			measured: 4.26,
			unit: 'GB',
			predict: mem(inf(L2_7(), 'nf4-dq'))
		},
		{
			row: '§3 #15',
			run: 'Llama-2-13B inference bf16',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'memory',
			measured: 26.21,
			unit: 'GB',
			predict: mem(inf(L2_13(), 'bf16'))
		},
		{
			row: '§3 #15',
			run: 'Llama-2-13B inference nf4',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'memory',
			measured: 8.32,
			unit: 'GB',
			predict: mem(inf(L2_13(), 'nf4'))
		},
		{
			row: '§3 #15',
			run: 'Llama-2-13B inference nf4-dq',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'memory',
			measured: 7.72,
			unit: 'GB',
			predict: mem(inf(L2_13(), 'nf4-dq'))
		},
		{
			row: '§3 #15',
			run: 'CodeLlama-34B inference bf16 on A100-40GB: out of memory',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'fit',
			measured: 0,
			unit: 'fits',
			predict: fits(inf(arch(CODELLAMA_34B, 'CodeLlama-34B'), 'bf16'))
		},
		{
			row: '§3 #15',
			run: 'CodeLlama-34B inference nf4',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'memory',
			measured: 20.52,
			unit: 'GB',
			predict: mem(inf(arch(CODELLAMA_34B, 'CodeLlama-34B'), 'nf4'))
		},
		{
			row: '§3 #15',
			run: 'CodeLlama-34B inference nf4-dq',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'memory',
			measured: 18.95,
			unit: 'GB',
			predict: mem(inf(arch(CODELLAMA_34B, 'CodeLlama-34B'), 'nf4-dq'))
		},
		{
			row: '§3 #15',
			run: 'Llama-2-70B inference bf16 on A100-40GB: out of memory',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'fit',
			measured: 0,
			unit: 'fits',
			predict: fits(inf(arch('meta-llama/Llama-2-70b-hf', 'Llama-2-70B'), 'bf16'))
		},
		{
			row: '§3 #15',
			run: 'Llama-2-70B inference nf4-dq',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'memory',
			measured: 37.21,
			unit: 'GB',
			predict: mem(inf(arch('meta-llama/Llama-2-70b-hf', 'Llama-2-70B'), 'nf4-dq'))
		},
		{
			row: '§3 #16, §1.9',
			run: 'Llama-2-7B LoRA r8 q,v, 50k Alpaca, A100',
			source: 'Raschka, "Finetuning LLMs with LoRA and QLoRA" (Lightning AI)',
			url: RASCHKA_URL,
			kind: 'memory',
			measured: 21.33,
			unit: 'GB',
			predict: mem(lit(L2_7(), {}))
		},
		{
			row: '§3 #17, §1.9',
			run: 'Llama-2-7B QLoRA nf4, A100',
			source: 'Raschka (as #16)',
			url: RASCHKA_URL,
			kind: 'memory',
			measured: 14.18,
			unit: 'GB',
			predict: mem(lit(L2_7(), { method: 'qlora', precision: 'nf4' }))
		},
		{
			row: '§3 #29, §1.9',
			run: 'LLaMA-65B QLoRA NF4+DQ r64 all-linear, bs1 s512, checkpointing',
			source: 'QLoRA paper Fig. 6',
			url: QLORA_URL,
			kind: 'memory',
			measured: 45.0,
			unit: 'GB',
			predict: mem(settings(arch(LLAMA_1_65B, 'LLaMA-65B'), gpu('rtx-a6000'), QLORA_FIG6))
		},
		{
			row: '§3 #29',
			run: 'LLaMA-65B QLoRA fits one 48 GB GPU',
			source: 'QLoRA paper abstract',
			url: QLORA_URL,
			kind: 'fit',
			measured: 1,
			unit: 'fits',
			predict: fits(settings(arch(LLAMA_1_65B, 'LLaMA-65B'), gpu('rtx-a6000'), QLORA_FIG6))
		},
		{
			row: '§3 #30, §1.9',
			run: 'LLaMA-33B QLoRA, same settings',
			source: 'QLoRA paper',
			url: QLORA_URL,
			kind: 'memory',
			measured: 24.7,
			unit: 'GB',
			predict: mem(settings(arch(LLAMA_1_33B, 'LLaMA-33B'), gpu('rtx-4090'), QLORA_FIG6))
		},
		{
			row: '§3 #30',
			run: 'LLaMA-33B QLoRA on a 24 GB GPU needs the paged optimizer: plain AdamW does not fit',
			source: 'QLoRA paper',
			url: QLORA_URL,
			kind: 'fit',
			measured: 0,
			unit: 'fits',
			predict: fits(settings(arch(LLAMA_1_33B, 'LLaMA-33B'), gpu('rtx-4090'), QLORA_FIG6))
		},
		{
			row: '§3 #3, §1.9',
			run: 'Llama-3.1-8B LoRA, RTX 4090, bs2 × 2048, checkpointing (16.2 GiB)',
			source: TT_SRC,
			url: TT_URL,
			kind: 'memory',
			measured: 16.2 * GIB_IN_GB,
			unit: 'GB',
			predict: mem(settings(l31, gpu('rtx-4090'), { ...TORCHTUNE, method: 'lora' }))
		},
		{
			row: '§3 #5, §1.9',
			run: 'Llama-3.1-8B QLoRA (torchao NF4), RTX 4090 (7.4 GiB)',
			source: TT_SRC,
			url: TT_URL,
			kind: 'memory',
			measured: 7.4 * GIB_IN_GB,
			unit: 'GB',
			predict: mem(settings(l31, gpu('rtx-4090'), { ...TORCHTUNE, method: 'qlora' }))
		},
		{
			row: '§3 #7',
			run: 'Llama-3.1-70B LoRA, 8×A100-80GB FSDP (27.6 GiB/GPU)',
			source: TT_SRC,
			url: TT_URL,
			kind: 'memory',
			measured: 27.6 * GIB_IN_GB,
			unit: 'GB',
			predict: mem(
				settings(arch(LLAMA_31_70B, 'Llama-3.1-70B'), gpu('a100-sxm-80gb'), {
					...TORCHTUNE,
					method: 'lora',
					gpuCount: 8,
					sharding: 'zero3'
				})
			)
		},
		{
			row: '§3 #7',
			run: 'Llama-3.1-70B LoRA, 8×A100-80GB, aggregate',
			source: TT_SRC,
			url: TT_URL,
			kind: 'throughput',
			fittedFor: 'HARDWARE_FLOPS_UTILISATION',
			measured: 3497,
			unit: 'tok/s',
			predict: tps(
				settings(arch(LLAMA_31_70B, 'Llama-3.1-70B'), gpu('a100-sxm-80gb'), {
					...TORCHTUNE,
					method: 'lora',
					gpuCount: 8,
					sharding: 'zero3'
				})
			)
		},
		{
			row: '§3 #1',
			run: 'Llama-3.1-8B full fine-tune, RTX 4090, checkpointing',
			source: TT_SRC,
			url: TT_URL,
			kind: 'throughput',
			fittedFor: 'HARDWARE_FLOPS_UTILISATION',
			measured: 1650,
			unit: 'tok/s',
			predict: tps(
				settings(l31, gpu('rtx-4090'), { ...TORCHTUNE, method: 'full', optimizer: 'paged-adamw-8bit' })
			)
		},
		{
			row: '§3 #35',
			run: 'MPT-7B full training, 8×A100-80GB, s2048, no checkpointing',
			source: 'llm-foundry scripts/train/benchmarking/README.md',
			url: LLM_FOUNDRY_URL,
			kind: 'throughput',
			fittedFor: 'HARDWARE_FLOPS_UTILISATION',
			measured: 4641,
			unit: 'tok/s/GPU',
			predict: tpsPerGpu(
				settings(arch(MPT_7B, 'MPT-7B'), gpu('a100-sxm-80gb'), {
					method: 'full',
					gpuCount: 8,
					seqLen: 2048,
					microBatch: 1,
					gradientCheckpointing: false
				})
			)
		},
		{
			row: '§3 #35',
			run: 'MPT-7B full training, 8×H100, s2048',
			source: 'llm-foundry benchmarking README',
			url: LLM_FOUNDRY_URL,
			kind: 'throughput',
			fittedFor: 'HARDWARE_FLOPS_UTILISATION',
			measured: 10643,
			unit: 'tok/s/GPU',
			predict: tpsPerGpu(
				settings(arch(MPT_7B, 'MPT-7B'), gpu('h100-sxm'), {
					method: 'full',
					gpuCount: 8,
					seqLen: 2048,
					microBatch: 1,
					gradientCheckpointing: false
				})
			)
		},
		{
			row: '§2.2',
			run: 'QLoRA/LoRA time, Llama-2-7B nf4, A100 (6,685.75 s → 10,059.53 s)',
			source: 'Raschka (§3 #16/#17)',
			url: RASCHKA_URL,
			kind: 'slowdown',
			measured: 10059.53 / 6685.75,
			unit: '×',
			predict: slowdown(lit(L2_7(), {}))
		},
		{
			row: '§2.2',
			run: 'QLoRA/LoRA time, Llama-2-7B fp4, A100 (→ 9,334.45 s)',
			source: 'Raschka',
			url: RASCHKA_URL,
			kind: 'slowdown',
			measured: 9334.45 / 6685.75,
			unit: '×',
			predict: slowdown(lit(L2_7(), {}))
		},
		{
			row: '§2.2',
			run: 'QLoRA/LoRA time per 1k iters, Llama-2-7B (2.36 → 3.68 min)',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'slowdown',
			measured: 3.68 / 2.36,
			unit: '×',
			predict: slowdown(lit(L2_7(), {}))
		},
		{
			row: '§2.2',
			run: 'QLoRA-dq/LoRA, Llama-2-7B (2.36 → 3.83 min)',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'slowdown',
			measured: 3.83 / 2.36,
			unit: '×',
			predict: slowdown(lit(L2_7(), {}))
		},
		{
			row: '§2.2',
			run: 'QLoRA/LoRA, Llama-2-13B (3.19 → 6.38 min)',
			source: LITGPT_SRC,
			url: LITGPT_URL,
			kind: 'slowdown',
			measured: 6.38 / 3.19,
			unit: '×',
			predict: slowdown(lit(L2_13(), {}))
		},
		{
			row: '§2.2',
			run: 'QLoRA/LoRA, Llama-2-7B mb4, 5000 iters (876.30 → 1,089.79 s)',
			source: 'litgpt tutorials/finetune_lora.md',
			url: 'https://github.com/Lightning-AI/litgpt/blob/main/tutorials/finetune_lora.md',
			kind: 'slowdown',
			measured: 1089.79 / 876.3,
			unit: '×',
			predict: slowdown(lit(L2_7(), { microBatch: 4 }))
		}
	];
	// Held out for the time model (§3 #35): every other 8-GPU, 2,048-token row of llm-foundry's A100-80GB,
	// A100-40GB and H100 BF16 tables for the 7B, 13B and 30B models (the two MPT-7B rows above fitted
	// HARDWARE_FLOPS_UTILISATION; none of these was used). Full training with FSDP full sharding, with or
	// without activation checkpointing as the table says.
	for (const [label, config, slug, checkpointing, microBatch, measured] of [
		['MPT-13B', MPT_13B, 'a100-sxm-80gb', false, 2, 2262],
		['MPT-30B', MPT_30B, 'a100-sxm-80gb', true, 3, 916],
		['MPT-7B', MPT_7B_BENCH, 'a100-sxm-40gb', true, 12, 3679],
		['MPT-13B', MPT_13B, 'a100-sxm-40gb', true, 4, 1668],
		['MPT-13B', MPT_13B, 'h100-sxm', false, 2, 4792],
		['MPT-30B', MPT_30B, 'h100-sxm', true, 3, 2002]
	] as const) {
		const g = gpu(slug);
		rows.push({
			row: '§3 #35',
			run: `${label} full training, 8×${g.name}, s2048, mb${microBatch}, ${checkpointing ? 'checkpointing' : 'no checkpointing'}`,
			source: 'llm-foundry scripts/train/benchmarking/README.md',
			url: LLM_FOUNDRY_URL,
			kind: 'throughput',
			measured,
			unit: 'tok/s/GPU',
			predict: tpsPerGpu(
				settings(arch(config, label), g, {
					method: 'full',
					gpuCount: 8,
					seqLen: 2048,
					microBatch,
					gradientCheckpointing: checkpointing
				})
			)
		});
	}
	// Unsloth's HF + FlashAttention-2 column (§3 #27): the longest context that fits, Llama-3.1-8B QLoRA r32
	// all-linear, bs1. At that context the predicted peak should fill the card (1.0 = exactly full).
	for (const [vramGb, ctx] of [
		[24, 5789],
		[40, 12264],
		[48, 15502],
		[80, 28454]
	] as const) {
		rows.push({
			row: '§3 #27',
			run: `Llama-3.1-8B QLoRA r32 all-linear (HF + FA2): ${ctx.toLocaleString('en-US')} tokens fill a ${vramGb} GB GPU`,
			source: 'Unsloth benchmarks docs / Llama-3.3 blog',
			url: 'https://docs.unsloth.ai/basics/unsloth-benchmarks',
			kind: 'memory',
			measured: 1,
			unit: 'GB',
			predict: fillAtMeasuredContext(
				settings(l31, gpu('a100-sxm-80gb', vramGb), {
					framework: 'hf-peft',
					method: 'qlora',
					seqLen: ctx,
					microBatch: 1,
					loraRank: 32,
					loraTargets: 'all-linear',
					gradientCheckpointing: true
				})
			)
		});
	}
	// Serving (vLLM), the decode roofline: Llama-3.1-8B bf16, fixed 1,024-token prompts and 128-token outputs
	// on an A100-40GB (vLLM 0.23), and an H100 decode time per output token at concurrency 1.
	const VLLM_SWEEP = 'https://johnmusgrave.com/p/vllm-throughput-latency-sweep-on';
	const vllm = (g: GpuSpec, o: Partial<EstimateSettings>) =>
		settings(l31, g, { method: 'inference', precision: 'bf16', ...o });
	rows.push(
		{
			row: 'vLLM sweep C=1',
			run: 'Llama-3.1-8B bf16 vLLM, A100-40GB, 1 sequence, 1,024 in / 128 out',
			source: VLLM_SWEEP,
			url: VLLM_SWEEP,
			kind: 'serving',
			measured: 75,
			unit: 'tok/s',
			fittedFor: 'DECODE_BANDWIDTH_EFFICIENCY',
			predict: tps(vllm(A100_40(), { concurrency: 1, promptTokens: 1024, outputTokens: 128 }))
		},
		{
			row: 'vLLM sweep C=8',
			run: 'same, 8 concurrent sequences (6.6× the single-sequence rate)',
			source: VLLM_SWEEP,
			url: VLLM_SWEEP,
			kind: 'serving',
			measured: 75 * 6.6,
			unit: 'tok/s',
			predict: tps(vllm(A100_40(), { concurrency: 8, promptTokens: 1024, outputTokens: 128 }))
		},
		{
			row: 'vLLM H100 C=1',
			run: 'Llama-3.1-8B fp16 vLLM 0.21, H100-80GB, decode 6.48 ms per output token (short chat prompts)',
			source: 'https://yobitelcomm.github.io/bench/recipes/concurrency-sweep/',
			url: 'https://yobitelcomm.github.io/bench/recipes/concurrency-sweep/',
			kind: 'serving',
			measured: 1000 / 6.48,
			unit: 'tok/s',
			predict: tps(vllm(gpu('h100-sxm'), { concurrency: 1, seqLen: 512 }))
		}
	);
	return rows;
}
