/**
 * config.json → parameter counts, against the counts the model cards publish (each fixture's
 * .source.txt gives the Hub URL and the card's figure): within 2 % for every model, total and (MoE)
 * active. Plus Transformers' per-model_type defaults and the errors that name the field.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { architectureFromHfConfig, ConfigError, kvBytesPerToken } from '../../src/lib/estimator/index.ts';

const dir = new URL('../fixtures/hf-configs/', import.meta.url);
const load = (name: string): Record<string, unknown> =>
	JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8'));

/** [fixture, published total, published active (MoE)] — from each .source.txt */
const PUBLISHED: [string, number, number?][] = [
	['llama-3.1-8b', 8.03e9],
	['llama-3.2-3b', 3.21e9],
	['llama-3.1-70b', 70.6e9],
	['qwen2.5-3b', 3.09e9],
	['qwen2.5-7b', 7.61e9],
	['qwen2.5-14b', 14.7e9],
	['qwen2.5-32b', 32.5e9],
	['qwen3-4b', 4.0e9],
	['qwen3-8b', 8.2e9],
	['qwen3-14b', 14.8e9],
	['qwen3-32b', 32.8e9],
	['qwen3-30b-a3b', 30.5e9, 3.3e9],
	['deepseek-r1', 671e9, 37e9],
	['deepseek-v2.5', 236e9, 21e9],
	['gemma-2-2b-it', 2.61e9]
];

describe('parameter counts from real config.json files', () => {
	it.each(PUBLISHED)('%s within 2 %% of the published count', (name, total, active) => {
		const source = readFileSync(new URL(`${name}.source.txt`, dir), 'utf8');
		expect(source).toMatch(/^URL: https:\/\/huggingface\.co\//m);
		const a = architectureFromHfConfig(load(name), name);
		expect(Math.abs(a.paramsTotal / total - 1), `total ${a.paramsTotal}`).toBeLessThan(0.02);
		if (active) expect(Math.abs(a.paramsActive / active - 1), `active ${a.paramsActive}`).toBeLessThan(0.02);
		else expect(a.paramsActive).toBe(a.paramsTotal);
		// the LoRA linears carry the linear parameters exactly (fractional counts for mixed stacks)
		expect(a.paramsLinear).toBeLessThan(a.paramsTotal);
	});
	it('counts at least ten models', () => expect(PUBLISHED.length).toBeGreaterThanOrEqual(10));
});

describe('defaults per model_type, as Transformers', () => {
	it('Gemma ties its embeddings when the file says nothing; Llama does not', () => {
		const g = load('gemma-2-2b-it');
		expect(g.tie_word_embeddings).toBeUndefined();
		const tied = architectureFromHfConfig(g, 'g');
		const untied = architectureFromHfConfig({ ...g, tie_word_embeddings: false }, 'g');
		expect(untied.paramsTotal - tied.paramsTotal).toBe(256000 * 2304);
		const { head_dim: _drop, ...noHeadDim } = g;
		// Gemma's default head_dim is 256, not hidden/heads (288)
		expect(architectureFromHfConfig(noHeadDim, 'g').headDim).toBe(256);
	});

	it('DeepSeek MLA caches the compressed latent: (kv_lora_rank + rope) per token and layer', () => {
		const a = architectureFromHfConfig(load('deepseek-r1'), 'r1');
		expect(kvBytesPerToken(a)).toBe(61 * (512 + 64) * 2);
		// a GQA model of the same heads would cache 2·128·192 per layer: MLA is ~85× smaller
		expect(a.kvElementsPerTokenLayer).toBe(576);
	});

	it('multimodal wrappers are read from text_config', () => {
		const inner = load('qwen3-8b');
		const a = architectureFromHfConfig({ model_type: 'wrapper', text_config: inner }, 'w');
		expect(a.paramsTotal).toBe(architectureFromHfConfig(inner, 'q').paramsTotal);
	});
});

describe('a config the estimator cannot read names the field', () => {
	const cases: [string, unknown, string][] = [
		['not an object', [1, 2], 'config.json'],
		[
			'missing hidden_size',
			{ num_hidden_layers: 2, num_attention_heads: 2, vocab_size: 10, intermediate_size: 8 },
			'hidden_size'
		],
		['hidden_size a string', { ...load('qwen3-8b'), hidden_size: '4096' }, 'hidden_size'],
		[
			'num_key_value_heads not dividing',
			{ ...load('qwen3-8b'), num_key_value_heads: 7 },
			'num_key_value_heads'
		],
		['MLA without kv_lora_rank', { ...load('deepseek-r1'), kv_lora_rank: undefined }, 'kv_lora_rank'],
		['text_config field', { text_config: { hidden_size: 8 } }, 'text_config.num_hidden_layers']
	];
	it.each(cases)('%s', (_n, input, field) => {
		try {
			architectureFromHfConfig(input, 'x');
			expect.unreachable();
		} catch (e) {
			expect(e).toBeInstanceOf(ConfigError);
			expect((e as ConfigError).field).toBe(field);
		}
	});
});
