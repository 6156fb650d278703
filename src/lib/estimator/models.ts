/**
 * The models of the list. `models.json` beside this file is a verbatim copy of the research data
 * (models.json beside this file: parameter counts computed from each config.json, license, context,
 * config_source). This module types it and adds the few architecture facts the estimator needs that the
 * JSON states only in prose (MLP gating, sliding window, tied embeddings), each with its source.
 */
import data from './models.json' with { type: 'json' };

export interface CatalogModelRecord {
	id: string;
	family: string;
	architecture: string;
	params_total: number;
	params_active_per_token: number;
	params_quantizable_linear: number;
	layers: number;
	hidden_size: number;
	attention_heads: number | null;
	kv_heads: number | null;
	head_dim: number | null;
	intermediate_size: number;
	vocab_size: number;
	max_context_config: number | null;
	license: string;
	base_model: string | null;
	config_source: string;
	notes: string;
	kv_cache_bytes_per_token_bf16?: number;
	weights_GB_bf16: number;
	weights_GB_int8: number;
	weights_GB_nf4_dq: number;
	num_experts?: number;
	experts_per_token?: number;
	shared_expert_intermediate?: number;
	d_state?: number;
	d_conv?: number;
	expand?: number;
	dt_rank?: number;
	recurrent_state_bytes_per_seq_bf16?: number;
}

export const MODEL_RECORDS: readonly CatalogModelRecord[] = (data as { models: CatalogModelRecord[] }).models;

/**
 * Architecture facts stated in models.json `notes`/`family` or docs/estimation.md §1.1/§4, not as fields:
 *  - non-gated MLPs: MPT (4h GELU, §1.1 "MPT … non-gated 4h GELU MLP"), Persimmon/Fuyu (relu², §4 table);
 *  - attention-free: Mamba (§1.1 "Mamba has no attention and no KV cache");
 *  - sliding window 4096: Mistral-7B-v0.1 and openchat_3.5 (their models.json notes).
 */
const NON_GATED_FAMILIES = ['mpt', 'persimmon'];

export interface ModelFacts {
	gatedMlp: boolean;
	attentionFree: boolean;
	slidingWindow: number | null;
}

export function modelFacts(m: CatalogModelRecord): ModelFacts {
	const family = m.family.toLowerCase();
	const window = /sliding_window (\d+)/.exec(m.notes);
	return {
		gatedMlp: !NON_GATED_FAMILIES.some((f) => family.startsWith(f)),
		attentionFree: m.attention_heads === null,
		slidingWindow: window ? Number(window[1]) : null
	};
}

const BY_ID = new Map(MODEL_RECORDS.map((m) => [m.id.toLowerCase(), m]));

/**
 * Finds a catalog model by its Hugging Face repo id, case-insensitively; `meta-llama/Llama-2-7b` finds
 * `meta-llama/Llama-2-7b-hf` (the same weights in transformers format).
 */
export function modelById(id: string): CatalogModelRecord | undefined {
	const key = id.trim().toLowerCase();
	return BY_ID.get(key) ?? BY_ID.get(key + '-hf');
}

export const MODEL_IDS: string[] = MODEL_RECORDS.map((m) => m.id);
