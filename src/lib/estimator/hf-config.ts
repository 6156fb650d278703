/**
 * Any Hugging Face config.json → the estimator's Architecture. Browser-safe and pure: the server fetches
 * the file (src/lib/server/hub-config.ts), this reads it. Field defaults per `model_type` follow the
 * Transformers configuration classes (configuration_<type>.py in
 * https://github.com/huggingface/transformers/tree/main/src/transformers/models), e.g. Gemma ties its
 * embeddings and uses head_dim 256 when the file says nothing; Qwen3 uses head_dim 128.
 *
 * Parameter counts (docs/estimator.md "Parameter counts"):
 *   attention  GQA: h·(a·d) + 2·h·(kv·d) + (a·d)·h  (+ q/k/v biases for Qwen2)
 *              MLA (DeepSeek-V2/V3): q_a h·r_q + q_b r_q·a·(d_nope+d_rope) (or q h·a·(d_nope+d_rope) without
 *              q_lora_rank) + kv_a h·(r_kv+d_rope) + kv_b r_kv·a·(d_nope+d_v) + o a·d_v·h
 *   MLP        gated 3·h·I; MoE layers E routed experts of I_moe + shared experts + router h·E
 *   N          L·(attention + norms) + Σ MLP + V·h·(1 if tied else 2) + h
 * Mixed dense/MoE stacks (first_k_dense_replace, mlp_only_layers, decoder_sparse_step) carry their
 * linears with fractional per-layer counts so that counts × layers are the exact totals.
 */
import {
	architectureFromCatalog,
	linearParamsPerLayer,
	type Architecture,
	type HfConfig,
	type Linear
} from './architecture.ts';
import { NORMS_PER_LAYER } from './constants.ts';
import { modelById } from './models.ts';

export class ConfigError extends Error {
	readonly field: string;
	/** what is wrong with the field, without its name */
	readonly reason: string;
	constructor(field: string, reason: string) {
		super(`${field}: ${reason}`);
		this.field = field;
		this.reason = reason;
	}
}

type Raw = Record<string, unknown>;

interface TypeDefaults {
	tie: boolean;
	headDim?: number;
	experts?: number;
	expertsPerToken?: number;
	qkvBias?: boolean;
	/** extra norm vectors of h per layer beyond the two pre-norms (Gemma 2/3 post-norms) */
	extraNorms?: number;
	/** per-head q/k norms (Qwen3, Gemma 3) */
	qkNorm?: boolean;
	gated?: boolean;
	/** Qwen v1 (QWenLMHeadModel): intermediate_size is the sum of both SwiGLU branches (docs/estimation.md §1.1) */
	halvedIntermediate?: boolean;
}

/** Defaults of the Transformers config classes for the fields the estimator reads. */
const TYPE_DEFAULTS: Record<string, TypeDefaults> = {
	llama: { tie: false },
	mistral: { tie: false },
	mixtral: { tie: false, experts: 8, expertsPerToken: 2 },
	qwen2: { tie: false, qkvBias: true },
	qwen2_moe: { tie: false, qkvBias: true, experts: 60, expertsPerToken: 4 },
	qwen3: { tie: false, headDim: 128, qkNorm: true },
	qwen3_moe: { tie: false, headDim: 128, qkNorm: true, experts: 128, expertsPerToken: 8 },
	gemma: { tie: true, headDim: 256 },
	gemma2: { tie: true, headDim: 256, extraNorms: 2 },
	gemma3_text: { tie: true, headDim: 256, extraNorms: 2, qkNorm: true },
	phi3: { tie: false },
	deepseek_v2: { tie: false, experts: 64, expertsPerToken: 6 },
	deepseek_v3: { tie: false, experts: 256, expertsPerToken: 8 },
	qwen: { tie: false, halvedIntermediate: true },
	// plain up/act/down MLPs (2·h·I): MPT, Falcon, Persimmon/Fuyu and the GPT-style families (§1.1)
	mpt: { tie: true, gated: false },
	falcon: { tie: true, gated: false },
	gpt_neox: { tie: false, gated: false },
	persimmon: { tie: false, gated: false },
	fuyu: { tie: false, gated: false },
	starcoder2: { tie: true, gated: false },
	phi: { tie: false, gated: false },
	gpt2: { tie: true, gated: false },
	gptj: { tie: false, gated: false },
	gpt_bigcode: { tie: true, gated: false },
	bloom: { tie: true, gated: false },
	opt: { tie: true, gated: false }
};

/**
 * Upper bounds of the shape fields: well above any published model (Llama 3.1 405B: hidden 16,384,
 * 126 layers; Gemma 3: vocabulary 262,144; DeepSeek-V3: 256 experts), low enough that a hostile config
 * cannot make the reader or the estimate loop for long (the layer loop below runs once per layer).
 */
const FIELD_MAX: Record<string, number> = {
	hidden_size: 65_536,
	num_hidden_layers: 1_000,
	num_attention_heads: 1_024,
	num_key_value_heads: 1_024,
	head_dim: 1_024,
	intermediate_size: 1_000_000,
	moe_intermediate_size: 1_000_000,
	vocab_size: 4_194_304,
	n_routed_experts: 1_024,
	num_local_experts: 1_024,
	num_experts: 1_024,
	num_experts_per_tok: 1_024
};
/** context lengths, ranks and the rest */
const DEFAULT_MAX = 16_777_216;

function reader(c: Raw, prefix: string) {
	const field = (k: string) => (prefix ? `${prefix}.${k}` : k);
	const int = (k: string, dflt?: number, min = 1): number => {
		const v = c[k];
		if (v === undefined || v === null) {
			if (dflt !== undefined) return dflt;
			throw new ConfigError(field(k), 'is missing');
		}
		if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
			throw new ConfigError(
				field(k),
				`expected a whole number ≥ ${min}, got ${JSON.stringify(v).slice(0, 40)}`
			);
		const max = FIELD_MAX[k] ?? DEFAULT_MAX;
		if (v > max) throw new ConfigError(field(k), `must be at most ${max.toLocaleString('en-US')}`);
		return v;
	};
	const optInt = (k: string, min = 1): number | null =>
		c[k] === undefined || c[k] === null ? null : int(k, undefined, min);
	const bool = (k: string, dflt: boolean): boolean => {
		const v = c[k];
		if (v === undefined || v === null) return dflt;
		if (typeof v !== 'boolean') throw new ConfigError(field(k), 'expected true or false');
		return v;
	};
	const intList = (k: string): number[] => {
		const v = c[k];
		if (v === undefined || v === null) return [];
		if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isInteger(x)))
			throw new ConfigError(field(k), 'expected a list of layer indices');
		return v as number[];
	};
	return { int, optInt, bool, intList, field };
}

const lin = (name: string, i: number, o: number, count: number, groups: Linear['groups']): Linear => ({
	name,
	inFeatures: i,
	outFeatures: o,
	count,
	groups
});

/** Reads a config.json object; throws ConfigError naming the field it cannot read. */
export function architectureFromHfConfig(input: unknown, label: string): Architecture {
	if (typeof input !== 'object' || input === null || Array.isArray(input))
		throw new ConfigError('config.json', 'is not a JSON object');
	let c = input as Raw;
	let prefix = '';
	// multimodal wrappers (Gemma 3, Llama 4, Mistral 3) keep the language model in text_config
	if (typeof c.text_config === 'object' && c.text_config !== null && c.hidden_size === undefined) {
		c = c.text_config as Raw;
		prefix = 'text_config';
	}
	const r = reader(c, prefix);
	const rawType = typeof c.model_type === 'string' ? c.model_type.toLowerCase() : '';
	const modelType = rawType === 'gemma3' ? 'gemma3_text' : rawType;
	const d: TypeDefaults = TYPE_DEFAULTS[modelType] ?? { tie: false };

	const h = r.int('hidden_size');
	const L = r.int('num_hidden_layers');
	const heads = r.int('num_attention_heads');
	const kvHeads = r.int('num_key_value_heads', heads);
	if (heads % kvHeads !== 0)
		throw new ConfigError(r.field('num_key_value_heads'), 'must divide num_attention_heads');
	const V = r.int('vocab_size');
	const tied = r.bool('tie_word_embeddings', d.tie);
	const gated = d.gated ?? true;
	const isMla = modelType === 'deepseek_v2' || modelType === 'deepseek_v3';

	// ---- attention --------------------------------------------------------------------------------------
	const linears: Linear[] = [];
	let headDim: number;
	let attnNorms = 0;
	let attnBias = 0;
	let kvElementsPerTokenLayer: number | undefined;
	if (isMla) {
		const kvRank = r.int('kv_lora_rank');
		const qRank = r.optInt('q_lora_rank');
		const nope = r.int('qk_nope_head_dim');
		const rope = r.int('qk_rope_head_dim');
		const vDim = r.int('v_head_dim');
		headDim = nope + rope;
		if (qRank === null) {
			linears.push(lin('q_proj', h, heads * headDim, 1, ['qv', 'attention', 'all-linear']));
		} else {
			linears.push(lin('q_a_proj', h, qRank, 1, ['qv', 'attention', 'all-linear']));
			linears.push(lin('q_b_proj', qRank, heads * headDim, 1, ['qv', 'attention', 'all-linear']));
			attnNorms += qRank;
		}
		linears.push(lin('kv_a_proj_with_mqa', h, kvRank + rope, 1, ['attention', 'all-linear']));
		linears.push(lin('kv_b_proj', kvRank, heads * (nope + vDim), 1, ['qv', 'attention', 'all-linear']));
		linears.push(lin('o_proj', heads * vDim, h, 1, ['attention', 'all-linear']));
		attnNorms += kvRank;
		// MLA caches the compressed latent and the shared rope key per token and layer
		kvElementsPerTokenLayer = kvRank + rope;
	} else {
		headDim = r.int('head_dim', d.headDim ?? h / heads);
		if (!Number.isInteger(headDim))
			throw new ConfigError(
				r.field('head_dim'),
				'is missing and hidden_size is not a multiple of num_attention_heads'
			);
		const q = heads * headDim;
		const kv = kvHeads * headDim;
		linears.push(
			lin('q_proj', h, q, 1, ['qv', 'attention', 'all-linear']),
			lin('k_proj', h, kv, 1, ['attention', 'all-linear']),
			lin('v_proj', h, kv, 1, ['qv', 'attention', 'all-linear']),
			lin('o_proj', q, h, 1, ['attention', 'all-linear'])
		);
		if (r.bool('attention_bias', d.qkvBias ?? false)) attnBias = q + 2 * kv;
		if (d.qkNorm) attnNorms += 2 * headDim;
	}

	// ---- MLP: dense, MoE, or a mix --------------------------------------------------------------------
	const experts =
		r.optInt('n_routed_experts') ??
		r.optInt('num_local_experts') ??
		r.optInt('num_experts') ??
		(d.experts && c.moe_intermediate_size !== undefined ? d.experts : 1);
	const moe = experts > 1;
	const k = moe ? r.int('num_experts_per_tok', d.expertsPerToken ?? 2) : 1;
	if (k > experts) throw new ConfigError(r.field('num_experts_per_tok'), 'exceeds the number of experts');
	const denseInter =
		r.int('intermediate_size', moe && isMla ? 1 : undefined) / (d.halvedIntermediate ? 2 : 1);
	// Mixtral-style configs give the expert size as intermediate_size; the Qwen MoE and DeepSeek families
	// give moe_intermediate_size beside a dense intermediate_size and must not fall back to it
	const separateExpertSize = isMla || modelType.endsWith('_moe');
	const moeInter = moe ? r.int('moe_intermediate_size', separateExpertSize ? undefined : denseInter) : 0;
	// which layers are MoE
	let moeLayers = 0;
	if (moe) {
		const firstDense = r.int('first_k_dense_replace', 0, 0);
		const step = r.int('decoder_sparse_step', 1);
		const freq = r.int('moe_layer_freq', 1);
		const mlpOnly = new Set(r.intList('mlp_only_layers'));
		for (let i = 0; i < L; i++) {
			if (i < firstDense || mlpOnly.has(i)) continue;
			if (isMla ? (i - firstDense) % freq === 0 : (i + 1) % step === 0) moeLayers++;
		}
	}
	const denseLayers = L - moeLayers;
	const shared =
		(r.optInt('shared_expert_intermediate_size', 0) ?? 0) +
		(isMla ? (r.optInt('n_shared_experts', 0) ?? 0) * moeInter : 0);
	const mlp = (name: string, inter: number, count: number) =>
		gated
			? [
					lin(`${name}gate_proj`, h, inter, count, ['all-linear']),
					lin(`${name}up_proj`, h, inter, count, ['all-linear']),
					lin(`${name}down_proj`, inter, h, count, ['all-linear'])
				]
			: [
					lin(`${name}up_proj`, h, inter, count, ['all-linear']),
					lin(`${name}down_proj`, inter, h, count, ['all-linear'])
				];
	if (denseLayers > 0) linears.push(...mlp('', denseInter, denseLayers / L));
	let routerExtra = 0;
	if (moeLayers > 0) {
		const share = moeLayers / L;
		linears.push(...mlp('expert.', moeInter, experts * share));
		linears.push(lin('router', h, experts, share, ['all-linear']));
		if (shared > 0) {
			linears.push(...mlp('shared_expert.', shared, share));
			// Qwen2-MoE gates its shared expert with a 1-unit linear
			if (modelType === 'qwen2_moe') linears.push(lin('shared_expert_gate', h, 1, share, ['all-linear']));
		}
		// DeepSeek-V3's router bias (e_score_correction_bias), one per routed expert
		if (modelType === 'deepseek_v3') routerExtra = experts * moeLayers;
	}

	const perLayerLinear = linearParamsPerLayer(linears);
	const norms = (NORMS_PER_LAYER + (d.extraNorms ?? 0)) * h + attnNorms;
	const embeddings = V * h * (tied ? 1 : 2);
	const total = L * (perLayerLinear + norms + attnBias) + routerExtra + embeddings + h;
	const perExpert = (gated ? 3 : 2) * h * moeInter;
	const active = total - moeLayers * (experts - k) * perExpert;
	const window = r.optInt('sliding_window');
	const useWindow = window !== null && (c.use_sliding_window === undefined || c.use_sliding_window === true);
	return {
		id: label,
		source: 'hub',
		label,
		kind: 'decoder',
		hiddenSize: h,
		layers: L,
		heads,
		kvHeads: isMla ? heads : kvHeads,
		headDim,
		intermediateSize: moe ? moeInter : denseInter,
		vocabSize: V,
		gatedMlp: gated,
		experts,
		expertsPerToken: k,
		sharedExpertIntermediate: shared,
		paramsTotal: total,
		paramsActive: active,
		paramsLinear: L * perLayerLinear,
		maxContext: r.optInt('max_position_embeddings'),
		// Gemma 2/3 alternate local and global layers: the global ones keep the full context, so no cap
		slidingWindow: useWindow && !modelType.startsWith('gemma') ? window : null,
		recurrentStateBytesPerSeq: 0,
		ssm: null,
		linears,
		kvElementsPerTokenLayer,
		license: null,
		configSource: null
	};
}

/** A config object given in a request (pasted, or in the URL): the same reader, marked as such. */
export function architectureFromConfig(
	c: HfConfig | Record<string, unknown>,
	label = 'custom'
): Architecture {
	return { ...architectureFromHfConfig(c, label), id: 'custom', source: 'config' };
}

/**
 * A catalog id or a config object → the architecture, or undefined for an unknown id. A config object it
 * cannot read throws ConfigError naming the field.
 */
export function resolveArchitecture(
	model: string | HfConfig | Record<string, unknown>
): Architecture | undefined {
	if (typeof model !== 'string') return architectureFromConfig(model);
	const m = modelById(model);
	return m ? architectureFromCatalog(m) : undefined;
}
