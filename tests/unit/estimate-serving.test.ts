/**
 * Serving at concurrency in the request and the answer: concurrency (microBatch still accepted as the
 * older name), promptTokens + outputTokens together, the largest concurrency that fits, and USD per
 * million output tokens at the cheapest current offer.
 */
import { describe, expect, it } from 'vitest';
import { buildAnswer } from '../../src/lib/estimate/answer.ts';
import { parseEstimateRequest } from '../../src/lib/estimate/request.ts';
import { estimate, kvBytesPerToken, type OfferSummary } from '../../src/lib/estimator/index.ts';

const base = { model: 'mistralai/Mistral-7B-v0.1', method: 'inference', gpu: 'a100-sxm-80gb' };
const parse = (o: Record<string, unknown>) => {
	const p = parseEstimateRequest({ ...base, ...o });
	if (!p.ok) throw new Error(p.error.message);
	return p.settings;
};

describe('serving at concurrency', () => {
	it('KV cache for every sequence; microBatch maps to concurrency', () => {
		const one = estimate(parse({ concurrency: 1, promptTokens: 1000, outputTokens: 1000 }));
		const many = estimate(parse({ concurrency: 32, promptTokens: 1000, outputTokens: 1000 }));
		// 2,000 tokens per sequence (below Mistral's 4,096-token window), 31 more sequences
		const perSeqGb = (kvBytesPerToken(parse({}).arch) * 2000) / 1e9;
		expect(many.memory.kvCacheGb - one.memory.kvCacheGb).toBeCloseTo(31 * perSeqGb, 3);
		const old = estimate(parse({ microBatch: 32, seqLen: 2000 }));
		const now = estimate(parse({ concurrency: 32, seqLen: 2000 }));
		expect(old.memory.perGpuGb).toBeCloseTo(now.memory.perGpuGb, 9);
		expect(many.throughput.tokensPerSecond).toBeGreaterThan(10 * one.throughput.tokensPerSecond);
	});

	it('the largest concurrency that fits is the edge of fitting', () => {
		const s = parse({ promptTokens: 2000, outputTokens: 2000 });
		const max = estimate(s).serving!.maxConcurrency;
		expect(max).toBeGreaterThan(10);
		expect(estimate({ ...s, concurrency: max }).memory.fits).toBe(true);
		expect(estimate({ ...s, concurrency: max + 1 }).memory.fits).toBe(false);
	});

	it('cost per million output tokens at the cheapest current offer', () => {
		const s = parse({ concurrency: 16, promptTokens: 500, outputTokens: 500, datasetTokens: 1e7 });
		const offer: OfferSummary = {
			id: 1,
			provider: 'runpod',
			gpu: 'a100-sxm-80gb',
			gpuName: 'A100 SXM 80GB',
			gpuCount: 1,
			pricing: 'on_demand',
			cloud: null,
			region: '',
			pricePerHourUsd: 2,
			pricePerGpuHourUsd: 2,
			observedAt: '2026-12-01T00:00:00Z',
			offerRef: null
		};
		const a = buildAnswer(s, [offer]);
		const tps = a.serving!.tokensPerSecond;
		expect(a.serving!.costPerMillionOutputTokensUsd).toBeCloseTo((2 / 3600 / tps) * 1e6, 2);
		expect(buildAnswer(s, []).serving!.costPerMillionOutputTokensUsd).toBeNull();
		expect(buildAnswer({ ...s, method: 'qlora' }, []).serving).toBeNull();
	});

	it('refuses serving fields on training and a prompt without an output', () => {
		for (const bad of [
			{ method: 'qlora', concurrency: 4 },
			{ promptTokens: 100 },
			{ outputTokens: 100 },
			{ concurrency: 0 }
		]) {
			const p = parseEstimateRequest({ ...base, ...bad });
			expect(p.ok, JSON.stringify(bad)).toBe(false);
		}
	});
});
