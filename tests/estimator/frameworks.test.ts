/**
 * Framework profiles: each difference moves exactly the memory part it names, every difference cites a
 * URL, and the request carries `framework` (API body, query string, form) with hf-peft as the default.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gpuBySlug } from '#catalog/gpus.ts';
import { parseEstimateQuery, parseEstimateRequest } from '../../src/lib/estimate/request.ts';
import {
	DEFAULTS,
	estimateMemory,
	FRAMEWORK_PROFILES,
	FRAMEWORKS,
	resolveArchitecture,
	type EstimateSettings
} from '../../src/lib/estimator/index.ts';
import { formFromQuery, formToQuery } from '../../src/routes/estimate/form.ts';

const l31: EstimateSettings = {
	...DEFAULTS,
	// Llama-3.1-8B's own config.json (tests/fixtures/hf-configs, with its Hub URL beside it)
	arch: resolveArchitecture(
		JSON.parse(readFileSync(new URL('../fixtures/hf-configs/llama-3.1-8b.json', import.meta.url), 'utf8'))
	)!,
	gpu: gpuBySlug('a100-sxm-80gb')!,
	method: 'qlora',
	seqLen: 4096
};

describe('framework profiles', () => {
	it('every profile cites a URL for each difference', () => {
		for (const f of FRAMEWORKS) {
			const p = FRAMEWORK_PROFILES[f];
			expect(p.sources.length).toBeGreaterThan(1);
			for (const s of p.sources) expect(s.url).toMatch(/^https:\/\//);
		}
	});

	it('hf-peft QLoRA holds the non-quantized parameters in fp32: +2 bytes each over litgpt', () => {
		const hf = estimateMemory({ ...l31, framework: 'hf-peft', adapterPrecision: 'bf16' });
		const lit = estimateMemory({ ...l31, framework: 'litgpt', adapterPrecision: 'bf16' });
		const nonQuantized = l31.arch.paramsTotal - l31.arch.paramsLinear;
		expect((hf.weightsGb - lit.weightsGb) * 1e9).toBeCloseTo(2 * nonQuantized, -3);
		// Llama-3.1-8B: 1.05 B embedding + lm_head parameters → 2.1 GB more
		expect(hf.weightsGb - lit.weightsGb).toBeGreaterThan(2);
		// and the larger allocator reserve (10 % vs 5 %) on top
		expect(hf.overheadGb).toBeGreaterThan(lit.overheadGb);
	});

	it('LoRA (no quantization) is not upcast by hf-peft', () => {
		const hf = estimateMemory({ ...l31, method: 'lora', framework: 'hf-peft' });
		const lit = estimateMemory({ ...l31, method: 'lora', framework: 'litgpt' });
		expect(hf.weightsGb).toBeCloseTo(lit.weightsGb, 9);
	});

	it('torchtune keeps 2 bytes per logit, Unsloth none, hf-peft 16', () => {
		const tokens = l31.seqLen * l31.microBatch * l31.arch.vocabSize;
		expect(estimateMemory({ ...l31, framework: 'hf-peft' }).logitsGb * 1e9).toBeCloseTo(16 * tokens, -3);
		expect(estimateMemory({ ...l31, framework: 'torchtune' }).logitsGb * 1e9).toBeCloseTo(2 * tokens, -3);
		expect(estimateMemory({ ...l31, framework: 'unsloth' }).logitsGb).toBe(0);
	});

	it('Unsloth offloads the checkpoints: one layer stays on the GPU', () => {
		const un = estimateMemory({ ...l31, framework: 'unsloth' });
		const lit = estimateMemory({ ...l31, framework: 'litgpt' });
		expect(un.checkpointsGb * l31.arch.layers).toBeCloseTo(lit.checkpointsGb, 6);
	});
});

describe('framework in the request', () => {
	it('defaults to hf-peft and accepts each profile', () => {
		const base = { model: 'mistralai/Mistral-7B-v0.1', method: 'qlora', gpu: 'rtx-4090' };
		const d = parseEstimateRequest(base);
		expect(d.ok && d.settings.framework).toBe('hf-peft');
		for (const f of FRAMEWORKS) {
			const p = parseEstimateRequest({ ...base, framework: f });
			expect(p.ok && p.settings.framework).toBe(f);
		}
		const q = parseEstimateQuery(new URLSearchParams({ ...base, framework: 'unsloth' }));
		expect(q.ok && q.settings.framework).toBe('unsloth');
	});

	it('refuses an unknown framework naming the field', () => {
		const p = parseEstimateRequest({
			model: 'mistralai/Mistral-7B-v0.1',
			method: 'qlora',
			gpu: 'rtx-4090',
			framework: 'deepspeed'
		});
		expect(p.ok).toBe(false);
		if (!p.ok) expect(p.error.field).toBe('framework');
	});

	it('the form round-trips it and leaves the default out of the URL', () => {
		const v = formFromQuery(new URLSearchParams('model=x&method=qlora&gpu=rtx-4090&framework=torchtune'));
		expect(v.framework).toBe('torchtune');
		expect(formToQuery(v).get('framework')).toBe('torchtune');
		expect(formToQuery({ ...v, framework: 'hf-peft' }).has('framework')).toBe(false);
	});
});
