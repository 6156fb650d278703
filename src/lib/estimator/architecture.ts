/**
 * A model's shapes and parameter counts, from the catalog (models.json) or from Hugging Face config.json
 * fields. Parameter counts follow docs/estimation.md §1.1:
 *   attn  = h·(a·d_h) + 2·h·(n_kv·d_h) + (a·d_h)·h
 *   mlp   = 3·h·I (gated SwiGLU) | 2·h·I (non-gated); MoE: E·3·h·I + h·E (router) [+ shared expert]
 *   N     = L·(attn + mlp + 2h) + V·h·(1 if tied else 2) + h
 *   N_lin = L·(attn + mlp)   (what bitsandbytes quantizes: embeddings, lm_head and norms stay 16-bit)
 */
import { modelFacts, type CatalogModelRecord } from './models.ts';

export interface Linear {
	name: string;
	inFeatures: number;
	outFeatures: number;
	/** how many copies per layer (experts) */
	count: number;
	/** the LoRA target groups that include this linear */
	groups: ('qv' | 'attention' | 'all-linear')[];
}

export interface Architecture {
	/** catalog id, Hub id, or "custom" */
	id: string;
	/** where the shapes came from: the built-in list, a Hub config.json, or a config object in the request */
	source?: 'builtin' | 'hub' | 'config';
	label: string;
	kind: 'decoder' | 'ssm';
	hiddenSize: number;
	layers: number;
	/** attention heads (0 for attention-free models) */
	heads: number;
	kvHeads: number;
	headDim: number;
	/** MLP intermediate size per expert (dense: the MLP; Mamba: d_inner) */
	intermediateSize: number;
	vocabSize: number;
	gatedMlp: boolean;
	experts: number;
	expertsPerToken: number;
	sharedExpertIntermediate: number;
	paramsTotal: number;
	paramsActive: number;
	paramsLinear: number;
	maxContext: number | null;
	slidingWindow: number | null;
	/** Mamba: recurrent state bytes per sequence (bf16), replacing the KV cache */
	recurrentStateBytesPerSeq: number;
	/** Mamba: selective-scan sizes */
	ssm: { dState: number; dtRank: number } | null;
	/** the linear layers of one decoder layer, for LoRA (fractional counts: layers of mixed dense/MoE stacks) */
	linears: Linear[];
	/** KV cache elements per token and layer when not 2·kvHeads·headDim (MLA's compressed latent) */
	kvElementsPerTokenLayer?: number;
	license: string | null;
	configSource: string | null;
}

function decoderLinears(
	h: number,
	heads: number,
	kvHeads: number,
	headDim: number,
	inter: number,
	gated: boolean,
	experts: number,
	sharedInter: number
): Linear[] {
	const q = heads * headDim;
	const kv = kvHeads * headDim;
	const out: Linear[] = [
		{ name: 'q_proj', inFeatures: h, outFeatures: q, count: 1, groups: ['qv', 'attention', 'all-linear'] },
		{ name: 'k_proj', inFeatures: h, outFeatures: kv, count: 1, groups: ['attention', 'all-linear'] },
		{ name: 'v_proj', inFeatures: h, outFeatures: kv, count: 1, groups: ['qv', 'attention', 'all-linear'] },
		{ name: 'o_proj', inFeatures: q, outFeatures: h, count: 1, groups: ['attention', 'all-linear'] }
	];
	if (gated) {
		out.push(
			{ name: 'gate_proj', inFeatures: h, outFeatures: inter, count: experts, groups: ['all-linear'] },
			{ name: 'up_proj', inFeatures: h, outFeatures: inter, count: experts, groups: ['all-linear'] },
			{ name: 'down_proj', inFeatures: inter, outFeatures: h, count: experts, groups: ['all-linear'] }
		);
	} else {
		out.push(
			{ name: 'up_proj', inFeatures: h, outFeatures: inter, count: experts, groups: ['all-linear'] },
			{ name: 'down_proj', inFeatures: inter, outFeatures: h, count: experts, groups: ['all-linear'] }
		);
	}
	if (experts > 1) {
		out.push({ name: 'router', inFeatures: h, outFeatures: experts, count: 1, groups: ['all-linear'] });
	}
	if (sharedInter > 0) {
		out.push(
			{ name: 'shared_gate_proj', inFeatures: h, outFeatures: sharedInter, count: 1, groups: ['all-linear'] },
			{ name: 'shared_up_proj', inFeatures: h, outFeatures: sharedInter, count: 1, groups: ['all-linear'] },
			{ name: 'shared_down_proj', inFeatures: sharedInter, outFeatures: h, count: 1, groups: ['all-linear'] }
		);
	}
	return out;
}

/**
 * Mamba's mixer (state-spaces/mamba): in_proj h→2·d_inner, x_proj d_inner→dt_rank+2·d_state,
 * dt_proj dt_rank→d_inner, out_proj d_inner→h. It has no q/v: the `qv` target maps to in_proj and
 * out_proj (what PEFT users target on Mamba), `attention` to the whole mixer.
 */
function ssmLinears(h: number, dInner: number, dState: number, dtRank: number): Linear[] {
	return [
		{
			name: 'in_proj',
			inFeatures: h,
			outFeatures: 2 * dInner,
			count: 1,
			groups: ['qv', 'attention', 'all-linear']
		},
		{
			name: 'x_proj',
			inFeatures: dInner,
			outFeatures: dtRank + 2 * dState,
			count: 1,
			groups: ['attention', 'all-linear']
		},
		{
			name: 'dt_proj',
			inFeatures: dtRank,
			outFeatures: dInner,
			count: 1,
			groups: ['attention', 'all-linear']
		},
		{
			name: 'out_proj',
			inFeatures: dInner,
			outFeatures: h,
			count: 1,
			groups: ['qv', 'attention', 'all-linear']
		}
	];
}

/** Parameters of one layer's linears. */
export function linearParamsPerLayer(linears: Linear[]): number {
	return linears.reduce((sum, l) => sum + l.inFeatures * l.outFeatures * l.count, 0);
}

export function architectureFromCatalog(m: CatalogModelRecord): Architecture {
	const facts = modelFacts(m);
	const h = m.hidden_size;
	const experts = m.num_experts ?? 1;
	const shared = m.shared_expert_intermediate ?? 0;
	const linears = facts.attentionFree
		? ssmLinears(h, m.intermediate_size, m.d_state ?? 16, m.dt_rank ?? Math.ceil(h / 16))
		: decoderLinears(
				h,
				m.attention_heads ?? 0,
				m.kv_heads ?? m.attention_heads ?? 0,
				m.head_dim ?? h / (m.attention_heads ?? 1),
				m.intermediate_size,
				facts.gatedMlp,
				experts,
				shared
			);
	return {
		id: m.id,
		source: 'builtin',
		label: m.id,
		kind: facts.attentionFree ? 'ssm' : 'decoder',
		hiddenSize: h,
		layers: m.layers,
		heads: m.attention_heads ?? 0,
		kvHeads: m.kv_heads ?? 0,
		headDim: m.head_dim ?? 0,
		intermediateSize: m.intermediate_size,
		vocabSize: m.vocab_size,
		gatedMlp: facts.gatedMlp,
		experts,
		expertsPerToken: m.experts_per_token ?? 1,
		sharedExpertIntermediate: shared,
		paramsTotal: m.params_total,
		paramsActive: m.params_active_per_token,
		paramsLinear: m.params_quantizable_linear,
		maxContext: m.max_context_config,
		slidingWindow: facts.slidingWindow,
		recurrentStateBytesPerSeq: m.recurrent_state_bytes_per_seq_bf16 ?? 0,
		ssm: facts.attentionFree ? { dState: m.d_state ?? 16, dtRank: m.dt_rank ?? Math.ceil(h / 16) } : null,
		linears,
		license: m.license,
		configSource: m.config_source
	};
}

/**
 * The common Hugging Face config.json fields (Llama/Mistral/Qwen2/Mixtral naming). hf-config.ts reads these
 * and every other field it knows (MLA, expert layouts, text_config, …) from any config object.
 */
export interface HfConfig {
	hidden_size: number;
	num_hidden_layers: number;
	num_attention_heads: number;
	num_key_value_heads?: number;
	head_dim?: number;
	intermediate_size: number;
	vocab_size: number;
	tie_word_embeddings?: boolean;
	num_local_experts?: number;
	num_experts?: number;
	num_experts_per_tok?: number;
	moe_intermediate_size?: number;
	shared_expert_intermediate_size?: number;
	max_position_embeddings?: number;
	sliding_window?: number | null;
	/** e.g. "mpt", "falcon", "gpt_neox", "persimmon": non-gated MLP; "qwen": v1 intermediate_size is doubled */
	model_type?: string;
}
