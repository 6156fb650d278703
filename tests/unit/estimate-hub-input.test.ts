/**
 * A Hugging Face model id in the request: the form keeps it in its own field and the URL carries it in
 * `model`; the parser estimates it from the config.json the server fetched (and says it is unknown
 * without one).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildAnswer } from '../../src/lib/estimate/answer.ts';
import { hubModelId, parseEstimateRequest } from '../../src/lib/estimate/request.ts';
import { formFromQuery, formToQuery, HUB } from '../../src/routes/estimate/form.ts';

const qwen = JSON.parse(
	readFileSync(new URL('../fixtures/hf-configs/qwen3-8b.json', import.meta.url), 'utf8')
) as Record<string, unknown>;

describe('Hub model ids in the request', () => {
	it('hubModelId: only strings outside the list', () => {
		expect(hubModelId({ model: 'Qwen/Qwen3-8B' })).toBe('Qwen/Qwen3-8B');
		expect(hubModelId({ model: 'mistralai/Mistral-7B-v0.1' })).toBeNull();
		expect(hubModelId({ model: { hidden_size: 1 } })).toBeNull();
		expect(hubModelId({ model: 'custom' })).toBeNull();
	});

	it('estimates from the fetched config and the answer says where the model came from', () => {
		const base = { model: 'Qwen/Qwen3-8B', method: 'qlora', gpu: 'rtx-4090' };
		const without = parseEstimateRequest(base);
		expect(without.ok).toBe(false);
		if (!without.ok) expect(without.error.message).toContain('Hugging Face model id');
		const p = parseEstimateRequest(base, { 'Qwen/Qwen3-8B': qwen });
		expect(p.ok).toBe(true);
		if (!p.ok) return;
		const a = buildAnswer(p.settings, []);
		expect(a.model.id).toBe('Qwen/Qwen3-8B');
		expect(a.model.source).toBe('hub');
		expect(a.model.parameters / 8.2e9).toBeCloseTo(1, 1);
		const unreadable = parseEstimateRequest(base, { 'Qwen/Qwen3-8B': { model_type: 'qwen3' } });
		expect(!unreadable.ok && unreadable.error.message).toContain('hidden_size');
	});

	it('the form holds the id in hubId and the URL carries it in model', () => {
		const v = formFromQuery(new URLSearchParams('model=Qwen/Qwen3-8B&method=qlora&gpu=rtx-4090'));
		expect(v.model).toBe(HUB);
		expect(v.hubId).toBe('Qwen/Qwen3-8B');
		expect(formToQuery(v).get('model')).toBe('Qwen/Qwen3-8B');
		// the no-JavaScript form sends model=hub&hubId=…
		const form = formFromQuery(
			new URLSearchParams('model=hub&hubId=%20Qwen/Qwen3-8B%20&method=lora&gpu=rtx-4090')
		);
		expect(formToQuery(form).get('model')).toBe('Qwen/Qwen3-8B');
	});
});
