/**
 * The fine-tuning and quantization papers of the list with their key facts for cost (docs/estimation.md §5),
 * and "reproduce it today" cards for those that report their hardware and time: GPU-hours × the cheapest
 * current per-GPU-hour price of that GPU, with the archive median beside it. Facts marked [mem]
 * (recalled, not re-verified) are flagged as such.
 */
import { gpuBySlug } from '#catalog/gpus.ts';
import type { OfferSummary } from './cost.ts';

export interface ReproduceCard {
	label: string;
	/** what the paper reports, in its words */
	reported: string;
	/** catalog GPUs that match the reported hardware (priced at the cheapest of them) */
	gpus: string[];
	gpuCount: number;
	hoursLow: number;
	hoursHigh: number;
	/** why these GPUs, where the paper is not specific */
	note?: string;
	/** an /estimate query reproducing the job's memory, where the estimator covers it */
	estimateQuery?: string;
}

export interface Paper {
	id: string;
	title: string;
	ref: string;
	/** omitted where no address of the source is known */
	url?: string;
	facts: string[];
	/** facts marked [mem] (recalled, not re-verified in a stored source) */
	unverified?: string[];
	hardware: string;
	cards: ReproduceCard[];
}

const LLAMA_65B_CONFIG = JSON.stringify({
	hidden_size: 8192,
	num_hidden_layers: 80,
	num_attention_heads: 64,
	intermediate_size: 22016,
	vocab_size: 32000
});
const LLAMA_33B_CONFIG = JSON.stringify({
	hidden_size: 6656,
	num_hidden_layers: 60,
	num_attention_heads: 52,
	intermediate_size: 17920,
	vocab_size: 32000
});
const qloraQuery = (config: string, gpu: string) =>
	new URLSearchParams({
		model: config,
		method: 'qlora',
		seqLen: '512',
		microBatch: '1',
		loraRank: '64',
		loraTargets: 'all-linear',
		optimizer: 'paged-adamw-8bit',
		gpu
	}).toString();

/** 48 GB cards (the QLoRA paper's "one 48 GB GPU" is not named). */
const GPUS_48GB = ['rtx-a6000', 'l40s', 'l40', 'a40', 'rtx-6000-ada'];

export const PAPERS: Paper[] = [
	{
		id: 'lora',
		title: 'LoRA: Low-Rank Adaptation of Large Language Models',
		ref: 'arXiv 2106.09685',
		url: 'https://arxiv.org/abs/2106.09685',
		facts: [
			'ΔW = BA with rank r; the update merges into the weights at inference, so no added latency.',
			'On GPT-3 175B: 10,000× fewer trainable parameters and 3× less GPU memory than full fine-tuning.'
		],
		unverified: [
			'1.2 TB → 350 GB of VRAM, checkpoints 350 GB → 35 MB at r = 4 on q,v; 25 % faster training than full fine-tuning.'
		],
		hardware: 'GPT-3 175B: not reproducible on rented single nodes.',
		cards: []
	},
	{
		id: 'qlora',
		title: 'QLoRA: Efficient Finetuning of Quantized LLMs',
		ref: 'arXiv 2305.14314',
		url: 'https://arxiv.org/abs/2305.14314',
		facts: [
			'NF4 + double quantization = 4.127 bits per parameter; paged optimizers absorb memory spikes.',
			'LoRA on all linear layers is needed to match 16-bit fine-tuning.',
			'Full 16-bit fine-tuning of a 65B model needs more than 780 GB of GPU memory.'
		],
		hardware: 'Guanaco-65B on one 48 GB GPU in 24 h; 33B on a 24 GB consumer GPU in under 12 h.',
		cards: [
			{
				label: 'Guanaco-65B (QLoRA, LLaMA-65B)',
				reported: 'one 48 GB GPU, 24 hours',
				gpus: GPUS_48GB,
				gpuCount: 1,
				hoursLow: 24,
				hoursHigh: 24,
				note: 'The paper names no card; any 48 GB GPU is priced.',
				estimateQuery: qloraQuery(LLAMA_65B_CONFIG, 'rtx-a6000')
			},
			{
				label: 'QLoRA fine-tune of LLaMA-33B',
				reported: 'one 24 GB consumer GPU, under 12 hours',
				gpus: ['rtx-4090', 'rtx-3090'],
				gpuCount: 1,
				hoursLow: 12,
				hoursHigh: 12,
				note: 'Priced at the reported upper bound of 12 h.',
				estimateQuery: qloraQuery(LLAMA_33B_CONFIG, 'rtx-4090')
			}
		]
	},
	{
		id: 'kbit-scaling',
		title: 'The case for 4-bit precision: k-bit Inference Scaling Laws',
		ref: 'arXiv 2212.09720',
		url: 'https://arxiv.org/abs/2212.09720',
		facts: [
			'More than 35,000 experiments, 19M–176B parameters, 3–8 bits: 4-bit is almost universally optimal for zero-shot accuracy per total model bits.',
			'Only small block sizes and float/quantile data types improve scaling; 3-bit is worse.',
			'For the same memory, prefer a larger model at 4-bit over a smaller one at 8 or 16 bits.'
		],
		hardware: 'Inference only; no training compute to reproduce.',
		cards: []
	},
	{
		id: 'quantization-white-paper',
		title: 'A White Paper on Neural Network Quantization',
		ref: 'Nagel et al., arXiv 2106.08295',
		url: 'https://arxiv.org/abs/2106.08295',
		facts: ['Post-training quantization (PTQ) and quantization-aware training (QAT) pipelines.'],
		unverified: [
			'INT8 weights and activations via PTQ are typically near FP32 accuracy; 8-bit cuts memory 4× against FP32.'
		],
		hardware: 'Method paper; no single run to reproduce.',
		cards: []
	},
	{
		id: 'llm-pruner',
		title: 'LLM-Pruner: On the Structural Pruning of Large Language Models',
		ref: 'arXiv 2305.11627',
		url: 'https://arxiv.org/abs/2305.11627',
		facts: [
			'Removing 20 % of LLaMA-7B’s parameters keeps 94.97 % of its zero-shot accuracy (60.07 vs 63.25 average).',
			'Recovery with LoRA takes 3 hours on 50K samples.'
		],
		hardware: 'About 3 h on a single GPU.',
		cards: [
			{
				label: 'LoRA recovery of a pruned LLaMA-7B',
				reported: 'a single GPU, about 3 hours',
				gpus: ['a100-sxm-80gb', 'a100-pcie-80gb'],
				gpuCount: 1,
				hoursLow: 3,
				hoursHigh: 3,
				note: 'The GPU model is not in our notes; priced on an A100 80GB.'
			}
		]
	},
	{
		id: 'zephyr',
		title: 'Zephyr: Direct Distillation of LM Alignment',
		ref: 'arXiv 2310.16944',
		url: 'https://arxiv.org/abs/2310.16944',
		facts: [
			'Distilled SFT on UltraChat, then distilled DPO on UltraFeedback, with no human labels.',
			'Zephyr-7B beats Llama-2-Chat-70B on MT-Bench.'
		],
		hardware: '16× A100 80GB, bf16, ZeRO-3, FlashAttention-2; “a few hours” (2–4 h in summaries).',
		cards: [
			{
				label: 'Zephyr-7B (full fine-tune of Mistral-7B)',
				reported: '16× A100 80GB, a few hours (2–4 h)',
				gpus: ['a100-sxm-80gb'],
				gpuCount: 16,
				hoursLow: 2,
				hoursHigh: 4
			}
		]
	},
	{
		id: 'wizardmath',
		title: 'WizardMath: Empowering Mathematical Reasoning via Reinforced Evol-Instruct',
		ref: 'arXiv 2308.09583',
		url: 'https://arxiv.org/abs/2308.09583',
		facts: [
			'RLEIF (evol-instruct plus a process reward model) on Llama-2; 70B reaches 81.6 on GSM8k (v1.0), 7B-v1.1 83.2.'
		],
		hardware: 'GPU-hours are not in the abstract or pages our notes could read.',
		cards: []
	},
	{
		id: 'star',
		title: 'STaR: Bootstrapping Reasoning With Reasoning',
		ref: 'arXiv 2203.14465',
		url: 'https://arxiv.org/abs/2203.14465',
		facts: [
			'Iterate: generate rationales, keep the correct ones, rationalize failures, fine-tune.',
			'GPT-J 6B reaches 72.3 % on CommonsenseQA (comparable to a 30× larger model) against 60.0 % for direct fine-tuning.'
		],
		unverified: ['Trained on TPUs.'],
		hardware: 'Compute not in the stored abstract.',
		cards: []
	},
	{
		id: 'dpo',
		title: 'Direct Preference Optimization: Your Language Model is Secretly a Reward Model',
		ref: 'arXiv 2305.18290',
		url: 'https://arxiv.org/abs/2305.18290',
		facts: [
			'Preference optimization without a reward model or sampling.',
			'Memory: the policy plus a frozen reference model (2× weights), unless reference log-probs are precomputed; LoRA-DPO can reuse the base with adapters disabled.',
			'TRL LoRA-DPO of Qwen2.5-7B at 2048 context peaks at 19.1 GB (31.1 GB with precompute_ref_log_probs) — a secondary source.'
		],
		hardware: 'Compute not found in our sources.',
		cards: []
	},
	{
		id: 'continual-pretraining',
		title: 'Continual Pre-training of Language Models',
		ref: 'Ke et al., arXiv 2302.03241 (DAS)',
		url: 'https://arxiv.org/abs/2302.03241',
		facts: [
			'Continual domain-adaptive pre-training of RoBERTa with soft-masking and contrastive knowledge integration; avoids forgetting across a sequence of domains.'
		],
		hardware: 'Small (RoBERTa-base); GPU-hours are not in the stored abstract.',
		cards: []
	},
	{
		id: 'alpaca',
		title: 'Alpaca: A Strong, Replicable Instruction-Following Model',
		ref: 'Stanford CRFM, 2023',
		url: 'https://crfm.stanford.edu/2023/03/13/alpaca.html',
		facts: [
			'52K self-instruct examples fine-tuned into LLaMA-7B; under $100 of compute plus ~$500 of data generation.'
		],
		hardware: '8× A100 80GB for 3 hours.',
		cards: [
			{
				label: 'Alpaca-7B (full fine-tune of LLaMA-7B)',
				reported: '8× A100 80GB, 3 hours',
				gpus: ['a100-sxm-80gb'],
				gpuCount: 8,
				hoursLow: 3,
				hoursHigh: 3
			}
		]
	},
	{
		id: 'mpt-7b',
		title: 'MPT-7B (MosaicML)',
		ref: 'MosaicML blog, 2023',
		url: 'https://www.mosaicml.com/blog/mpt-7b',
		facts: ['Pre-trained from scratch on 1T tokens with ALiBi; the base of Intel’s neural-chat-7b-v1-1.'],
		hardware: '440 A100 40GB for 9.5 days, about $200k.',
		cards: [
			{
				label: 'MPT-7B pre-training',
				reported: '440× A100 40GB, 9.5 days',
				gpus: ['a100-sxm-40gb', 'a100-pcie-40gb'],
				gpuCount: 440,
				hoursLow: 9.5 * 24,
				hoursHigh: 9.5 * 24
			}
		]
	},
	{
		id: 'mpt-7b-8k-chat',
		title: 'MPT-7B-8k-Chat (MosaicML)',
		ref: 'MosaicML blog, 2023',
		facts: ['Chat fine-tune of MPT-7B-8k.'],
		hardware: '192 H100 for about 48 minutes.',
		cards: [
			{
				label: 'MPT-7B-8k-Chat fine-tune',
				reported: '192× H100, about 48 minutes',
				gpus: ['h100-sxm'],
				gpuCount: 192,
				hoursLow: 0.8,
				hoursHigh: 0.8
			}
		]
	}
];

export interface ArchiveReference {
	gpu: string;
	/** median of the archived daily on-demand medians over the last 30 archived days */
	medianPerGpuHourUsd: number;
	/** ISO dates of the first and last archived day used */
	from: string;
	to: string;
	days: number;
}

export interface PricedCard extends ReproduceCard {
	gpuHoursLow: number;
	gpuHoursHigh: number;
	/** the cheapest current on-demand per-GPU-hour offer among the card's GPUs, or null */
	current: { offer: OfferSummary; gpuName: string; usdLow: number; usdHigh: number } | null;
	/** the cheapest current spot offer, or null */
	spot: { offer: OfferSummary; gpuName: string; usdLow: number; usdHigh: number } | null;
	/** archive median of the card's first GPU that has one, or null */
	archive: { ref: ArchiveReference; gpuName: string; usdLow: number; usdHigh: number } | null;
}

/**
 * Prices a card: GPU-hours × the cheapest per-GPU-hour price of the card's GPUs among current available
 * offers (any box size: whether N GPUs can be had at once is not checked), and × the archive median.
 */
export function priceCard(
	card: ReproduceCard,
	offers: OfferSummary[],
	archive: ArchiveReference[]
): PricedCard {
	const gpuHoursLow = card.hoursLow * card.gpuCount;
	const gpuHoursHigh = card.hoursHigh * card.gpuCount;
	const cheapest = (pricing: string) => {
		let best: OfferSummary | null = null;
		for (const o of offers) {
			if (o.pricing !== pricing || !card.gpus.includes(o.gpu)) continue;
			if (!best || o.pricePerGpuHourUsd < best.pricePerGpuHourUsd) best = o;
		}
		return best
			? {
					offer: best,
					gpuName: gpuBySlug(best.gpu)?.name ?? best.gpu,
					usdLow: gpuHoursLow * best.pricePerGpuHourUsd,
					usdHigh: gpuHoursHigh * best.pricePerGpuHourUsd
				}
			: null;
	};
	let arch: PricedCard['archive'] = null;
	for (const slug of card.gpus) {
		const ref = archive.find((a) => a.gpu === slug);
		if (ref) {
			arch = {
				ref,
				gpuName: gpuBySlug(slug)?.name ?? slug,
				usdLow: gpuHoursLow * ref.medianPerGpuHourUsd,
				usdHigh: gpuHoursHigh * ref.medianPerGpuHourUsd
			};
			break;
		}
	}
	return {
		...card,
		gpuHoursLow,
		gpuHoursHigh,
		current: cheapest('on_demand'),
		spot: cheapest('spot'),
		archive: arch
	};
}
