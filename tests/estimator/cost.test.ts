/**
 * Cost from offers (pure): which offers can run an n-GPU job, what it costs, the performance-normalized
 * "USD per million QLoRA training tokens" and the papers' "reproduce it today" cards.
 */
import { describe, expect, it } from 'vitest';
import { GPUS, gpuBySlug } from '#catalog/gpus.ts';
import {
	cheapestLine,
	costLines,
	DEFAULTS,
	estimate,
	PAPERS,
	priceCard,
	REFERENCE_QLORA_JOB,
	resolveArchitecture,
	usdPerMillionTrainingTokens,
	type OfferSummary
} from '../../src/lib/estimator/index.ts';

let nextId = 1;
function offer(
	o: Partial<OfferSummary> & Pick<OfferSummary, 'provider' | 'gpuCount' | 'pricePerGpuHourUsd'>
): OfferSummary {
	return {
		id: nextId++,
		gpu: 'h100-sxm',
		gpuName: 'H100 80GB HBM3',
		pricing: 'on_demand',
		cloud: null,
		region: 'us-east',
		observedAt: '2026-11-27T10:00:00.000Z',
		offerRef: null,
		pricePerHourUsd: o.pricePerGpuHourUsd * o.gpuCount,
		...o
	};
}

describe('costLines', () => {
	const offers = [
		offer({ provider: 'vastai', gpuCount: 1, pricePerGpuHourUsd: 1.9 }),
		offer({ provider: 'vastai', gpuCount: 2, pricePerGpuHourUsd: 1.7 }),
		offer({ provider: 'vastai', gpuCount: 8, pricePerGpuHourUsd: 1.5 }),
		offer({ provider: 'lambda', gpuCount: 8, pricePerGpuHourUsd: 2.99 }),
		offer({ provider: 'runpod', gpuCount: 1, pricePerGpuHourUsd: 2.69 }),
		offer({ provider: 'runpod', gpuCount: 1, pricePerGpuHourUsd: 1.25, pricing: 'spot' }),
		offer({ provider: 'runpod', gpuCount: 1, pricePerGpuHourUsd: 0.5, gpu: 'rtx-4090' })
	];

	it('one line per provider and pricing for the GPU, cheapest first, total = hours × the job’s hourly price', () => {
		const lines = costLines(offers, 'h100-sxm', 1, 10);
		expect(lines.map((l) => `${l.provider}/${l.pricing}`)).toEqual([
			'runpod/spot',
			'vastai/on_demand',
			'runpod/on_demand',
			'lambda/on_demand'
		]);
		const vast = lines.find((l) => l.provider === 'vastai')!;
		expect(vast.pricePerGpuHourUsd).toBe(1.9);
		expect(vast.totalUsd).toBeCloseTo(19, 10);
		expect(vast.offer).toMatchObject({ gpuCount: 1, boxes: 1, gpusBilled: 1, jobPricePerHourUsd: 1.9 });
		// Lambda rents only 8-GPU boxes of H100 here: a 1-GPU job pays all 8 GPUs
		const lambda = lines.find((l) => l.provider === 'lambda')!;
		expect(lambda.offer.gpusBilled).toBe(8);
		expect(lambda.totalUsd).toBeCloseTo(10 * 8 * 2.99, 10);
	});

	it('a 2-GPU job takes the 2-GPU box, combines 1-GPU offers (RunPod per GPU) or pays a bigger box', () => {
		const lines = costLines(offers, 'h100-sxm', 2, 1);
		const vast = lines.find((l) => l.provider === 'vastai')!;
		expect(vast.offer).toMatchObject({ gpuCount: 2, boxes: 1, jobPricePerHourUsd: 3.4 });
		const runpod = lines.find((l) => l.provider === 'runpod' && l.pricing === 'on_demand')!;
		expect(runpod.offer).toMatchObject({ gpuCount: 1, boxes: 2, gpusBilled: 2 });
		expect(runpod.totalUsd).toBeCloseTo(2 * 2.69, 10);
		// an 8-GPU job: one 8-box at 12 $/h beats 4 × 2-boxes (13.6) and 8 × 1-boxes (15.2)
		const eight = costLines(offers, 'h100-sxm', 8, 1).find((l) => l.provider === 'vastai')!;
		expect(eight.offer).toMatchObject({ gpuCount: 8, boxes: 1 });
		expect(eight.totalUsd).toBeCloseTo(12, 10);
	});

	it('no offers for the GPU → no lines; cheapestLine picks the lowest total, on-demand on a tie', () => {
		expect(costLines(offers, 'b200', 1, 5)).toEqual([]);
		expect(cheapestLine([])).toBeNull();
		const lines = costLines(offers, 'h100-sxm', 1, 2);
		expect(cheapestLine(lines)!.pricing).toBe('spot');
		expect(cheapestLine(lines, 'on_demand')!.provider).toBe('vastai');
		const tie = costLines(
			[
				offer({ provider: 'runpod', gpuCount: 1, pricePerGpuHourUsd: 1, pricing: 'spot' }),
				offer({ provider: 'vastai', gpuCount: 1, pricePerGpuHourUsd: 1 })
			],
			'h100-sxm',
			1,
			1
		);
		expect(cheapestLine(tie)!.pricing).toBe('on_demand');
	});
});

describe('usdPerMillionTrainingTokens (the performance-normalized column)', () => {
	it('is the reference QLoRA job’s hours per million tokens × the per-GPU-hour price', () => {
		// Expected computed independently of the function under test: the engine's estimate() of the
		// reference job over exactly 1e6 tokens, times the price, multiplied here.
		const gpu = gpuBySlug('rtx-4090')!;
		const e = estimate({
			...REFERENCE_QLORA_JOB,
			arch: resolveArchitecture(REFERENCE_QLORA_JOB.model)!,
			gpu,
			datasetTokens: 1e6,
			epochs: 1
		});
		expect(usdPerMillionTrainingTokens(gpu, 0.5)).toBeCloseTo(e.time.hours * 0.5, 12);
		expect(usdPerMillionTrainingTokens('rtx-4090', 0.5)).toBeCloseTo(e.time.hours * 0.5, 12);
		// §2.6: ~1,300–1,450 tokens/s on a 4090 → about $0.10 per million tokens at $0.50/h
		expect(usdPerMillionTrainingTokens('rtx-4090', 0.5)!).toBeGreaterThan(0.08);
		expect(usdPerMillionTrainingTokens('rtx-4090', 0.5)!).toBeLessThan(0.12);
	});

	it('compares on the job: a dear fast card can be cheaper per token than a cheap slow one', () => {
		const h100 = usdPerMillionTrainingTokens('h100-sxm', 2.2)!;
		const t4 = usdPerMillionTrainingTokens('t4', 0.35)!;
		expect(h100).toBeLessThan(t4);
		// and is linear in the price
		expect(usdPerMillionTrainingTokens('h100-sxm', 4.4)).toBeCloseTo(2 * h100, 12);
	});

	it('is null for an unknown GPU, a negative price, or a job that does not fit the card', () => {
		expect(usdPerMillionTrainingTokens('no-such-gpu', 1)).toBeNull();
		expect(usdPerMillionTrainingTokens('rtx-4090', -1)).toBeNull();
		expect(
			usdPerMillionTrainingTokens('t4', 1, { ...REFERENCE_QLORA_JOB, model: 'meta-llama/Llama-2-70b-hf' })
		).toBeNull();
		// the reference job fits every catalog GPU
		for (const g of GPUS) expect(usdPerMillionTrainingTokens(g, 1), g.slug).not.toBeNull();
	});

	it('the reference job is the estimator defaults for Mistral-7B QLoRA on one GPU', () => {
		expect(REFERENCE_QLORA_JOB).toMatchObject({
			model: 'mistralai/Mistral-7B-v0.1',
			method: 'qlora',
			gpuCount: 1,
			seqLen: DEFAULTS.seqLen,
			loraRank: DEFAULTS.loraRank
		});
	});
});

describe('papers', () => {
	it('lists the papers of the list with key facts; cards only where hardware and time are reported', () => {
		const ids = PAPERS.map((p) => p.id);
		for (const id of [
			'lora',
			'qlora',
			'kbit-scaling',
			'quantization-white-paper',
			'llm-pruner',
			'zephyr',
			'wizardmath',
			'star',
			'dpo',
			'continual-pretraining'
		]) {
			expect(ids).toContain(id);
		}
		for (const p of PAPERS) {
			expect(p.facts.length, p.id).toBeGreaterThan(0);
			for (const c of p.cards) for (const g of c.gpus) expect(gpuBySlug(g), `${p.id} ${g}`).toBeDefined();
		}
		expect(PAPERS.find((p) => p.id === 'dpo')!.cards).toEqual([]);
	});

	it('prices a card as GPU-hours × the cheapest current per-GPU-hour price, with the archive median beside it', () => {
		const card = PAPERS.find((p) => p.id === 'zephyr')!.cards[0]!;
		const offers = [
			offer({ provider: 'vastai', gpu: 'a100-sxm-80gb', gpuCount: 8, pricePerGpuHourUsd: 1.1 }),
			offer({ provider: 'lambda', gpu: 'a100-sxm-80gb', gpuCount: 8, pricePerGpuHourUsd: 1.79 }),
			offer({
				provider: 'vastai',
				gpu: 'a100-sxm-80gb',
				gpuCount: 1,
				pricePerGpuHourUsd: 0.6,
				pricing: 'spot'
			})
		];
		const priced = priceCard(card, offers, [
			{ gpu: 'a100-sxm-80gb', medianPerGpuHourUsd: 1.57, from: '2026-06-20', to: '2026-07-20', days: 31 }
		]);
		expect(priced.gpuHoursLow).toBe(32);
		expect(priced.gpuHoursHigh).toBe(64);
		expect(priced.current!.offer.pricePerGpuHourUsd).toBe(1.1);
		expect(priced.current!.usdLow).toBeCloseTo(35.2, 10);
		expect(priced.current!.usdHigh).toBeCloseTo(70.4, 10);
		expect(priced.spot!.usdLow).toBeCloseTo(19.2, 10);
		expect(priced.archive!.usdHigh).toBeCloseTo(64 * 1.57, 10);
		const none = priceCard(card, [], []);
		expect(none.current).toBeNull();
		expect(none.archive).toBeNull();
	});
});
