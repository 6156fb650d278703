/**
 * The /estimate page's reading of shared links (issue 18): any subset of fields, one wrong field costs
 * nothing else, messages by label; memory in GiB; what would fit instead of a price for a job that
 * cannot run.
 */
import { describe, expect, it } from 'vitest';
import { parseEstimateQueryKeeping } from '../../src/lib/estimate/request.ts';
import { estimate } from '../../src/lib/estimator/index.ts';
import { gbText, memoryUnitsInText, vramText } from '../../src/lib/format/common.ts';
import { alternatives } from '../../src/routes/estimate/alternatives.ts';
import { EXAMPLE, fieldLabel, formFromQuery, formToQuery } from '../../src/routes/estimate/form.ts';

const keep = (q: string) =>
	parseEstimateQueryKeeping(formToQuery(formFromQuery(new URLSearchParams(q))), EXAMPLE);

describe('short /estimate links', () => {
	it('a link with only a GPU takes the example’s model and method, shown filled in', () => {
		const v = formFromQuery(new URLSearchParams('gpu=h100-sxm'));
		expect(v).toMatchObject({
			model: EXAMPLE.model,
			method: EXAMPLE.method,
			gpu: 'h100-sxm',
			seqLen: '2048'
		});
		expect(formToQuery(v).toString()).toBe('model=mistralai%2FMistral-7B-v0.1&method=qlora&gpu=h100-sxm');
		const { result, dropped } = keep('gpu=h100-sxm');
		expect(dropped).toEqual([]);
		expect(result.ok && result.settings.gpu.slug).toBe('h100-sxm');
		// and a link with only a model
		expect(formFromQuery(new URLSearchParams('model=meta-llama/Llama-2-7b-hf'))).toMatchObject({
			method: 'qlora',
			gpu: 'rtx-4090'
		});
	});

	it('one wrong field is replaced by its default and the rest is kept', () => {
		const { result, dropped } = keep('method=lora&gpu=l40s&gpuCount=2&seqLen=abc');
		expect(dropped.map((d) => d.field)).toEqual(['seqLen']);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.request).toMatchObject({ method: 'lora', gpu: 'l40s', gpuCount: 2, seqLen: 2048 });
	});

	it('several wrong fields, an unknown GPU and model, a precision the method lacks: all replaced', () => {
		const { result, dropped } = keep(
			'model=nope/nope&method=full&gpu=gtx-9999&precision=nf4&epochs=-1&loraRank=0'
		);
		expect(dropped.map((d) => d.field).sort()).toEqual(['epochs', 'gpu', 'loraRank', 'model', 'precision']);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.request).toMatchObject({
			model: EXAMPLE.model,
			method: 'full',
			gpu: EXAMPLE.gpu,
			epochs: 1
		});
	});

	it('a broken pasted config falls back to the example model, naming the config field', () => {
		const { result, dropped } = keep('model=%7B%22hidden_size%22%3A4096%7D&method=qlora&gpu=l4');
		expect(dropped[0]!.field).toMatch(/^model\./);
		expect(fieldLabel(dropped[0]!.field, 'qlora')).toMatch(/^config\.json /);
		expect(result.ok && result.settings.gpu.slug).toBe('l4');
	});

	it('messages name fields by the form’s labels', () => {
		expect(fieldLabel('seqLen', 'qlora')).toBe('Sequence length');
		expect(fieldLabel('seqLen', 'inference')).toBe('Context length');
		expect(fieldLabel('microBatch', 'lora')).toBe('Micro-batch per GPU');
		expect(fieldLabel('gpuCount', 'lora')).toBe('GPUs');
		expect(fieldLabel('precision', 'qlora')).toBe('Quantization');
	});
});

describe('memory in one unit', () => {
	it('GB (1e9 bytes) from the estimator is shown in GiB; a card’s nominal size is GiB', () => {
		expect(gbText((24 * 2 ** 30) / 1e9)).toBe('24.0 GiB');
		expect(gbText(32.4)).toBe('30.2 GiB');
		expect(gbText(150)).toBe('140 GiB');
		expect(vramText(24)).toBe('24 GiB');
	});

	it('the issue’s “32.4 GB / 32 GB — fits” reads consistently: the capacity is the card’s 32 GiB', () => {
		const { result } = keep('model=meta-llama/Llama-2-13b-hf&method=lora&gpu=v100-32gb');
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const e = estimate(result.settings);
		expect(gbText(e.memory.capacityGb)).toBe('32.0 GiB');
		const shown = parseFloat(gbText(e.memory.perGpuGb));
		// the point estimate fits exactly when the shown figure is within the card (tight still fits at the point)
		expect(e.fit !== 'no').toBe(shown <= 32);
	});

	it('the estimator’s running text is rewritten in GiB, GB/s kept', () => {
		expect(memoryUnitsInText('Overhead: 0.65 GB CUDA context; RTX 4090 24GB holds 24 GiB = 25.8 GB.')).toBe(
			'Overhead: 0.61 GiB CUDA context; RTX 4090 24GB holds 24 GiB.'
		);
		expect(memoryUnitsInText('bandwidth (1008 GB/s at 60 %)')).toBe('bandwidth (1008 GB/s at 60 %)');
	});
});

describe('what would fit instead', () => {
	it('a full fine-tune of Mistral-7B on one RTX 3090 suggests more GPUs or QLoRA, each of which fits', () => {
		const { result } = keep('method=full&gpu=rtx-3090');
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(estimate(result.settings).fits).toBe(false);
		const alts = alternatives(result.settings);
		expect(alts.map((a) => a.text)).toContain('QLoRA on 1× RTX 3090 24GB');
		for (const alt of alts) {
			const v = { ...formFromQuery(new URLSearchParams('method=full&gpu=rtx-3090')), ...alt.patch };
			const again = parseEstimateQueryKeeping(formToQuery(v), EXAMPLE).result;
			expect(again.ok && estimate(again.settings).fits, alt.text).toBe(true);
		}
	});

	it('serving more sequences than fit offers the most that fit: that one fits and one more does not', () => {
		const query = 'method=inference&gpu=rtx-4090&concurrency=4000&promptTokens=1024&outputTokens=256';
		const { result } = keep(query);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(estimate(result.settings).fit).toBe('no');
		const crowd = alternatives(result.settings).find((a) => a.patch.concurrency);
		expect(crowd?.text).toMatch(/^\d+ concurrent sequences$/);
		const most = Number(crowd!.patch.concurrency);
		expect(most).toBeGreaterThan(1);
		const at = (c: number) => {
			const v = { ...formFromQuery(new URLSearchParams(query)), concurrency: String(c) };
			const again = parseEstimateQueryKeeping(formToQuery(v), EXAMPLE).result;
			return again.ok && estimate(again.settings).fit;
		};
		// the point estimate fits at the offer (the band may call it tight), and not one sequence more
		expect(at(most)).not.toBe('no');
		expect(at(most + 1)).toBe('no');
	});

	it('a 32k-token sequence suggests a shorter one', () => {
		const { result } = keep('method=qlora&gpu=rtx-3090&seqLen=131072');
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(estimate(result.settings).fits).toBe(false);
		const seq = alternatives(result.settings).find((a) => a.patch.seqLen);
		expect(seq?.text).toMatch(/^sequences of [\d,]+ tokens$/);
	});
});
