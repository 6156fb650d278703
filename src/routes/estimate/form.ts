/**
 * The /estimate form as strings (what inputs hold), to and from the URL. The URL uses the API's query
 * parameters, so a page URL and a GET /api/estimate URL carry the same estimate.
 */
import { DEFAULT_FRAMEWORK, DEFAULTS, modelById } from '$lib/estimator';

export interface FormValues {
	model: string;
	customConfig: string;
	/** a Hugging Face model id, used when model is HUB */
	hubId: string;
	method: string;
	precision: string;
	seqLen: string;
	microBatch: string;
	gradientCheckpointing: string;
	loraRank: string;
	loraTargets: string;
	optimizer: string;
	gpu: string;
	gpuCount: string;
	datasetTokens: string;
	epochs: string;
	sharding: string;
	framework: string;
	/** serving: concurrent sequences (the API's `concurrency`; microBatch is its older name) */
	concurrency: string;
	/** serving: tokens per request (both or neither) */
	promptTokens: string;
	outputTokens: string;
}

/** What the page shows before the user asks anything: the question the dashboard exists for. */
export const EXAMPLE = { model: 'mistralai/Mistral-7B-v0.1', method: 'qlora', gpu: 'rtx-4090' } as const;

export const CUSTOM = 'custom';
/** the model select's value for "a Hugging Face model by id" (the id is in hubId) */
export const HUB = 'hub';

/** What the form's labels call each field, so messages name what the user sees, not the URL's key. */
export function fieldLabel(field: string, method: string): string {
	const training = method !== 'inference';
	const labels: Record<string, string> = {
		model: 'Model',
		method: 'Method',
		precision: method === 'qlora' ? 'Quantization' : 'Weights',
		gpu: 'GPU',
		gpuCount: 'GPUs',
		seqLen: training ? 'Sequence length' : 'Context length',
		microBatch: training ? 'Micro-batch per GPU' : 'Concurrent sequences',
		concurrency: 'Concurrent sequences',
		datasetTokens: training ? 'Dataset tokens' : 'Tokens to generate',
		epochs: 'Epochs',
		gradientCheckpointing: 'Gradient checkpointing',
		optimizer: 'Optimizer',
		sharding: 'Multi-GPU sharding',
		loraRank: 'LoRA rank',
		loraTargets: 'LoRA targets'
	};
	const [top, ...rest] = field.split('.');
	if (top === 'model' && rest.length) return `config.json ${rest.join('.')}`;
	return labels[top!] ?? field;
}

export function formFromQuery(q: URLSearchParams): FormValues {
	const get = (k: string, d: string | number | boolean) => q.get(k)?.trim() || String(d);
	// A shared link may carry any subset of the fields (`?gpu=h100-sxm`): the rest take the example's
	// answers and the defaults, shown filled in.
	const model = get('model', EXAMPLE.model);
	const custom = model.startsWith('{') || model === CUSTOM;
	// any other id outside the list is a Hugging Face model id (the page's form sends it as hubId)
	const hubId =
		model === HUB ? (q.get('hubId')?.trim() ?? '') : !custom && model && !modelById(model) ? model : '';
	const gc = get('gradientCheckpointing', DEFAULTS.gradientCheckpointing).toLowerCase();
	return {
		model: custom ? CUSTOM : hubId || model === HUB ? HUB : model,
		hubId,
		// the page's form sends a pasted config as customConfig with model=custom; URLs carry it in model
		customConfig: model === CUSTOM ? (q.get('customConfig') ?? '') : custom ? model : '',
		method: get('method', EXAMPLE.method),
		precision: get('precision', ''),
		seqLen: get('seqLen', DEFAULTS.seqLen),
		microBatch: get('microBatch', DEFAULTS.microBatch),
		gradientCheckpointing: ['false', '0', 'off', 'no'].includes(gc) ? 'off' : 'on',
		loraRank: get('loraRank', DEFAULTS.loraRank),
		loraTargets: get('loraTargets', DEFAULTS.loraTargets),
		optimizer: get('optimizer', DEFAULTS.optimizer),
		gpu: get('gpu', EXAMPLE.gpu),
		gpuCount: get('gpuCount', DEFAULTS.gpuCount),
		datasetTokens: get('datasetTokens', DEFAULTS.datasetTokens),
		epochs: get('epochs', DEFAULTS.epochs),
		sharding: get('sharding', DEFAULTS.sharding),
		framework: get('framework', DEFAULT_FRAMEWORK),
		// older serving links carry the concurrency as microBatch
		concurrency: get('concurrency', q.get('microBatch')?.trim() || 1),
		promptTokens: get('promptTokens', ''),
		outputTokens: get('outputTokens', '')
	};
}

/** A number as people type it (10,000,000 or 10_000_000), without its separators. */
export function typedNumber(v: string): string {
	return v.replace(/[,_\s]/g, '');
}

/**
 * The query parameters of the form: defaults left out so URLs stay short; a custom config goes in
 * `model` as compact JSON (invalid JSON is passed through so validation can name the field).
 */
export function formToQuery(v: FormValues): URLSearchParams {
	const q = new URLSearchParams();
	let model = v.model;
	if (v.model === CUSTOM) {
		try {
			model = JSON.stringify(JSON.parse(v.customConfig));
		} catch {
			model = v.customConfig.trim() || '{';
		}
	}
	if (v.model === HUB) model = v.hubId.trim();
	q.set('model', model);
	q.set('method', v.method);
	if (v.precision) q.set('precision', v.precision);
	const serving = v.method === 'inference';
	const numbers: [keyof FormValues, number][] = [
		['seqLen', DEFAULTS.seqLen],
		// one or the other: a serving estimate's concurrent sequences, a training run's micro-batch
		serving ? ['concurrency', 1] : ['microBatch', DEFAULTS.microBatch],
		['loraRank', DEFAULTS.loraRank],
		['gpuCount', DEFAULTS.gpuCount],
		['datasetTokens', DEFAULTS.datasetTokens],
		['epochs', DEFAULTS.epochs]
	];
	if (v.gradientCheckpointing === 'off') q.set('gradientCheckpointing', 'false');
	if (v.loraTargets !== DEFAULTS.loraTargets) q.set('loraTargets', v.loraTargets);
	if (v.optimizer !== DEFAULTS.optimizer) q.set('optimizer', v.optimizer);
	q.set('gpu', v.gpu);
	for (const [k, d] of numbers) {
		const s = typedNumber(v[k]);
		if (s !== '' && s !== String(d)) q.set(k, s);
	}
	if (v.sharding !== DEFAULTS.sharding) q.set('sharding', v.sharding);
	if (v.framework && v.framework !== DEFAULT_FRAMEWORK) q.set('framework', v.framework);
	if (serving) {
		for (const k of ['promptTokens', 'outputTokens'] as const) {
			const t = typedNumber(v[k]);
			if (t !== '') q.set(k, t);
		}
	}
	return q;
}
