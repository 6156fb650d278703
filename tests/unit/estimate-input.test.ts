/**
 * The estimate request (API JSON and query parameters, the page form): defaults, validation naming the
 * field, unknown model/GPU listing what exists, config objects, and the answer's shape.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GPU_SLUGS } from '#catalog/gpus.ts';
import { buildAnswer } from '../../src/lib/estimate/answer.ts';
import { parseEstimateQuery, parseEstimateRequest, requestToQuery } from '../../src/lib/estimate/request.ts';
import { architectureFromHfConfig, DEFAULTS, MODEL_IDS } from '../../src/lib/estimator/index.ts';
import { formFromQuery, formToQuery } from '../../src/routes/estimate/form.ts';

const ok = (input: unknown) => {
	const p = parseEstimateRequest(input);
	if (!p.ok) throw new Error(p.error.message);
	return p;
};
const bad = (input: unknown) => {
	const p = parseEstimateRequest(input);
	if (p.ok) throw new Error('expected an error');
	return p.error;
};

describe('estimate request', () => {
	it('needs only model, method and gpu; everything else has a documented default', () => {
		const p = ok({ model: 'mistralai/Mistral-7B-v0.1', method: 'qlora', gpu: 'rtx-4090' });
		expect(p.request).toMatchObject({ ...DEFAULTS });
		expect(p.settings.precision).toBe('nf4-dq');
		expect(p.settings.arch.paramsTotal).toBe(7_241_732_096);
		expect(DEFAULTS).toEqual({
			seqLen: 2048,
			microBatch: 1,
			gradientCheckpointing: true,
			loraRank: 16,
			loraTargets: 'all-linear',
			optimizer: 'adamw',
			gpuCount: 1,
			datasetTokens: 10_000_000,
			epochs: 1,
			sharding: 'auto'
		});
	});

	it('names the field of each invalid value', () => {
		expect(bad({ model: 'mistralai/Mistral-7B-v0.1', gpu: 'rtx-4090' }).field).toBe('method');
		expect(bad({ model: 'mistralai/Mistral-7B-v0.1', method: 'dpo', gpu: 'rtx-4090' }).field).toBe('method');
		const base = { model: 'mistralai/Mistral-7B-v0.1', method: 'lora', gpu: 'rtx-4090' };
		expect(bad({ ...base, seqLen: 0 }).field).toBe('seqLen');
		expect(bad({ ...base, seqLen: 1.5 }).field).toBe('seqLen');
		expect(bad({ ...base, microBatch: '2' }).field).toBe('microBatch');
		expect(bad({ ...base, gradientCheckpointing: 'yes' }).field).toBe('gradientCheckpointing');
		expect(bad({ ...base, loraTargets: 'mlp' }).field).toBe('loraTargets');
		expect(bad({ ...base, optimizer: 'sgd' }).field).toBe('optimizer');
		expect(bad({ ...base, gpuCount: 0 }).field).toBe('gpuCount');
		expect(bad({ ...base, datasetTokens: -5 }).field).toBe('datasetTokens');
		expect(bad({ ...base, epochs: 0 }).field).toBe('epochs');
		expect(bad({ ...base, precision: 'nf4' }).field).toBe('precision');
		expect(bad({ ...base, gpus: 2 }).field).toBe('gpus');
		expect(bad([]).field).toBe('body');
		expect(bad({ ...base, seqLen: 0 }).message).toMatch(/^seqLen: /);
		// "is required" only for a field that is absent; a value of the wrong type says what was expected
		expect(bad({ ...base, microBatch: '2' }).message).toBe(
			'microBatch: Invalid input: expected number, received string'
		);
		// a config object is read by the same reader as a Hub config.json, which names the field
		expect(bad({ model: { hidden_size: 'x' }, method: 'qlora', gpu: 'rtx-4090' }).message).toBe(
			'model.hidden_size: expected a whole number ≥ 1, got "x"'
		);
		expect(bad({ model: { hidden_size: 4096 }, method: 'qlora', gpu: 'rtx-4090' }).message).toBe(
			'model.num_hidden_layers: is missing'
		);
	});

	it('an unknown model or GPU is a 400 that lists what exists', () => {
		const m = bad({ model: 'nobody/NoModel-1B', method: 'qlora', gpu: 'rtx-4090' });
		expect(m).toMatchObject({ status: 400, field: 'model' });
		expect(m.known).toEqual(MODEL_IDS);
		const g = bad({ model: 'mistralai/Mistral-7B-v0.1', method: 'qlora', gpu: 'rtx-9090' });
		expect(g).toMatchObject({ status: 400, field: 'gpu' });
		expect(g.known).toEqual(GPU_SLUGS);
	});

	it('accepts a config.json object (other keys ignored) and validates its fields', () => {
		const config = {
			architectures: ['LlamaForCausalLM'],
			hidden_size: 4096,
			num_hidden_layers: 32,
			num_attention_heads: 32,
			num_key_value_heads: 8,
			intermediate_size: 14336,
			vocab_size: 128256,
			rope_theta: 500000
		};
		const p = ok({ model: config, method: 'qlora', gpu: 'rtx-4090' });
		expect(p.settings.arch.paramsTotal / 1e9).toBeCloseTo(8.03, 2);
		expect(bad({ model: { ...config, hidden_size: 0 }, method: 'qlora', gpu: 'rtx-4090' }).field).toBe(
			'model.hidden_size'
		);
		expect(
			bad({ model: { ...config, num_key_value_heads: 5 }, method: 'qlora', gpu: 'rtx-4090' }).field
		).toBe('model.num_key_value_heads');
		expect(bad({ model: { hidden_size: 4096 }, method: 'qlora', gpu: 'rtx-4090' }).field).toMatch(/^model\./);
	});

	it('a pasted config is read like a Hub config.json: MLA, expert layouts and text_config are kept', () => {
		const fixture = (name: string): Record<string, unknown> =>
			JSON.parse(readFileSync(new URL(`../fixtures/hf-configs/${name}.json`, import.meta.url), 'utf8'));
		// DeepSeek-V2.5: MLA attention (kv_lora_rank …), 160 routed + 2 shared experts, first layer dense;
		// the card says 236B total, 21B active. A narrow schema dropped these fields and counted a dense model.
		const deepseek = fixture('deepseek-v2.5');
		const pasted = ok({ model: deepseek, method: 'inference', gpu: 'h100-sxm', gpuCount: 8 });
		expect(pasted.settings.arch.source).toBe('config');
		expect(pasted.settings.arch.paramsTotal / 236e9).toBeCloseTo(1, 1);
		expect(pasted.settings.arch.paramsActive / 21e9).toBeCloseTo(1, 1);
		expect(pasted.settings.arch.paramsTotal).toBe(architectureFromHfConfig(deepseek, 'x').paramsTotal);
		// MLA caches the compressed latent: far less KV per token than 128 full heads would
		expect(pasted.settings.arch.kvElementsPerTokenLayer).toBe(
			(deepseek.kv_lora_rank as number) + (deepseek.qk_rope_head_dim as number)
		);
		// the same object in the URL (the /estimate page's model field)
		const viaQuery = parseEstimateQuery(
			new URLSearchParams({ model: JSON.stringify(deepseek), method: 'inference', gpu: 'h100-sxm' })
		);
		expect(viaQuery.ok && viaQuery.settings.arch.paramsTotal).toBe(pasted.settings.arch.paramsTotal);
		// an MLA config without its latent rank names the field
		const { kv_lora_rank: _dropped, ...noRank } = deepseek;
		expect(bad({ model: noRank, method: 'inference', gpu: 'h100-sxm' }).message).toBe(
			'model.kv_lora_rank: is missing'
		);
		// a hostile size is refused by name before anything loops over it
		expect(
			bad({ model: { ...deepseek, num_hidden_layers: 10_000_000 }, method: 'inference', gpu: 'h100-sxm' })
				.message
		).toBe('model.num_hidden_layers: must be at most 1,000');
		// a multimodal wrapper keeps the language model in text_config
		const inner = fixture('qwen2.5-7b');
		const wrapped = ok({
			model: { model_type: 'wrapper', text_config: inner },
			method: 'qlora',
			gpu: 'h100-sxm'
		});
		expect(wrapped.settings.arch.paramsTotal).toBe(architectureFromHfConfig(inner, 'q').paramsTotal);
		expect(
			bad({
				model: { model_type: 'wrapper', text_config: { hidden_size: 8 } },
				method: 'qlora',
				gpu: 'h100-sxm'
			}).field
		).toBe('model.text_config.num_hidden_layers');
	});

	it('query parameters carry the same fields (numbers, booleans, a JSON config in model)', () => {
		const p = parseEstimateQuery(
			new URLSearchParams(
				'model=meta-llama/Llama-2-7b&method=lora&gpu=a100-sxm-40gb&seqLen=1304&gradientCheckpointing=false&loraTargets=qv&loraRank=8&datasetTokens=1e7&epochs=0.5'
			)
		);
		expect(p.ok).toBe(true);
		if (!p.ok) return;
		expect(p.request).toMatchObject({
			seqLen: 1304,
			gradientCheckpointing: false,
			loraTargets: 'qv',
			loraRank: 8,
			datasetTokens: 1e7,
			epochs: 0.5
		});
		expect(p.settings.arch.id).toBe('meta-llama/Llama-2-7b-hf');
		const cfg = parseEstimateQuery(
			new URLSearchParams({
				model: JSON.stringify({
					hidden_size: 2048,
					num_hidden_layers: 24,
					num_attention_heads: 16,
					intermediate_size: 5504,
					vocab_size: 32256
				}),
				method: 'full',
				gpu: 'l4'
			})
		);
		expect(cfg.ok).toBe(true);
		const errors = [
			['model=%7Bnope&method=qlora&gpu=l4', 'model'],
			['model=mistralai/Mistral-7B-v0.1&method=qlora&gpu=l4&seqLen=abc', 'seqLen'],
			['model=mistralai/Mistral-7B-v0.1&method=qlora&gpu=l4&foo=1', 'foo'],
			['model=mistralai/Mistral-7B-v0.1&method=qlora&gpu=l4&gpu=t4', 'gpu'],
			[
				'model=mistralai/Mistral-7B-v0.1&method=qlora&gpu=l4&gradientCheckpointing=maybe',
				'gradientCheckpointing'
			]
		] as const;
		for (const [q, field] of errors) {
			const r = parseEstimateQuery(new URLSearchParams(q));
			expect(r.ok, q).toBe(false);
			if (!r.ok) expect(r.error.field, q).toBe(field);
		}
	});

	it('requestToQuery leaves defaults out and round-trips', () => {
		const p = ok({ model: 'mistralai/Mistral-7B-v0.1', method: 'qlora', gpu: 'rtx-4090', seqLen: 4096 });
		const q = requestToQuery(p.request);
		expect(q).toBe('model=mistralai%2FMistral-7B-v0.1&method=qlora&seqLen=4096&gpu=rtx-4090');
		const again = parseEstimateQuery(new URLSearchParams(q));
		expect(again.ok && again.request).toEqual(p.request);
	});

	it('the serving form sends concurrency (not microBatch) and reads older links that used microBatch', () => {
		const serve = formFromQuery(
			new URLSearchParams('model=mistralai/Mistral-7B-v0.1&method=inference&gpu=l40s&microBatch=16')
		);
		expect(serve.concurrency).toBe('16');
		const q = formToQuery({ ...serve, promptTokens: '1,024', outputTokens: '256' });
		expect(q.get('concurrency')).toBe('16');
		expect(q.has('microBatch')).toBe(false);
		expect(q.get('promptTokens')).toBe('1024');
		const parsed = parseEstimateQuery(q);
		expect(parsed.ok && parsed.settings).toMatchObject({
			concurrency: 16,
			promptTokens: 1024,
			outputTokens: 256
		});
		// a concurrency of 1 is the default and stays out of the URL; training never sends it
		expect(formToQuery({ ...serve, concurrency: '1' }).has('concurrency')).toBe(false);
		const train = formToQuery({ ...serve, method: 'qlora', concurrency: '16', microBatch: '2' });
		expect(train.has('concurrency')).toBe(false);
		expect(train.get('microBatch')).toBe('2');
	});

	it('the page form round-trips through the URL, including a pasted config', () => {
		const v = formFromQuery(
			new URLSearchParams(
				'model=mistralai/Mistral-7B-v0.1&method=lora&gpu=l40s&gpuCount=2&gradientCheckpointing=false'
			)
		);
		expect(v).toMatchObject({
			model: 'mistralai/Mistral-7B-v0.1',
			method: 'lora',
			gpu: 'l40s',
			gpuCount: '2',
			gradientCheckpointing: 'off',
			seqLen: '2048'
		});
		const q = formToQuery({ ...v, datasetTokens: '20,000,000' });
		expect(q.get('datasetTokens')).toBe('20000000');
		expect(q.get('gradientCheckpointing')).toBe('false');
		expect(q.has('seqLen')).toBe(false);
		const custom = formToQuery({
			...v,
			model: 'custom',
			customConfig:
				'{ "hidden_size": 1024, "num_hidden_layers": 2, "num_attention_heads": 8, "intermediate_size": 2048, "vocab_size": 1000 }'
		});
		expect(JSON.parse(custom.get('model')!)).toMatchObject({ hidden_size: 1024 });
		expect(formFromQuery(custom)).toMatchObject({ model: 'custom' });
		// what the no-JavaScript GET form sends (every field, a pasted config) canonicalizes, and idempotently
		const raw = new URLSearchParams(
			'model=custom&customConfig=%7B+%22hidden_size%22%3A+1024%2C+%22num_hidden_layers%22%3A+2%2C+%22num_attention_heads%22%3A+8%2C+%22intermediate_size%22%3A+2048%2C+%22vocab_size%22%3A+1000+%7D&method=qlora&precision=&gpu=l4&gpuCount=1&seqLen=2048&microBatch=1&datasetTokens=10000000&epochs=1&gradientCheckpointing=on&optimizer=adamw&sharding=auto&loraRank=16&loraTargets=all-linear'
		);
		const canonical = formToQuery(formFromQuery(raw));
		expect(canonical.toString()).toBe(
			'model=%7B%22hidden_size%22%3A1024%2C%22num_hidden_layers%22%3A2%2C%22num_attention_heads%22%3A8%2C%22intermediate_size%22%3A2048%2C%22vocab_size%22%3A1000%7D&method=qlora&gpu=l4'
		);
		expect(formToQuery(formFromQuery(canonical)).toString()).toBe(canonical.toString());
		expect(parseEstimateQuery(canonical).ok).toBe(true);
		// the empty page shows the example question
		expect(formFromQuery(new URLSearchParams())).toMatchObject({
			model: 'mistralai/Mistral-7B-v0.1',
			method: 'qlora',
			gpu: 'rtx-4090'
		});
	});
});

describe('the answer', () => {
	it('has exactly the contract’s fields, GB = 1e9 bytes, and cost lines from the offers', () => {
		const p = ok({ model: 'mistralai/Mistral-7B-v0.1', method: 'qlora', gpu: 'rtx-4090' });
		const offer = {
			id: 7,
			provider: 'vastai',
			gpu: 'rtx-4090',
			gpuName: 'RTX 4090',
			gpuCount: 1,
			pricing: 'on_demand',
			cloud: null,
			region: 'x',
			pricePerHourUsd: 0.4,
			pricePerGpuHourUsd: 0.4,
			observedAt: '2026-11-27T00:00:00.000Z',
			offerRef: null
		};
		const a = buildAnswer(p.settings, [offer], { providersPolled: 1 });
		expect(Object.keys(a).sort()).toEqual([
			'assumptions',
			'cost',
			'fit',
			'fits',
			'memory',
			'model',
			'serving',
			'throughput',
			'time'
		]);
		expect(Object.keys(a.memory).sort()).toEqual([
			'activationsGb',
			'adaptersGb',
			'gradientsGb',
			'kvCacheGb',
			'optimizerGb',
			'overheadGb',
			'perGpuGb',
			'rangeGb',
			'totalGb',
			'weightsGb'
		]);
		expect(Object.keys(a.throughput)).toEqual(['tokensPerSecond']);
		expect(Object.keys(a.time)).toEqual(['hours']);
		// NF4-DQ linears 3.601 GB + the 262 M non-quantized parameters in fp32 (hf-peft, the default) 1.049 GB
		expect(a.memory.weightsGb).toBeCloseTo(4.65, 2);
		expect(a.cost).toHaveLength(1);
		expect(Object.keys(a.cost[0]!).sort()).toEqual([
			'offer',
			'pricePerGpuHourUsd',
			'pricing',
			'provider',
			'totalUsd'
		]);
		expect(a.cost[0]!.totalUsd).toBeCloseTo(a.time.hours * 0.4, 3);
		const none = buildAnswer(p.settings, [], { providersPolled: 0 });
		expect(none.cost).toEqual([]);
		expect(none.assumptions.join(' ')).toMatch(/no provider has been polled yet/);
	});
});
