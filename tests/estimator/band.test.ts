/**
 * The memory band: its bounds are the calibration envelope (measured ÷ predicted over every claimed
 * memory row), it contains the point, and `fit` reads it: fits / tight / no, with `fits` true only for fits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GPUS, gpuBySlug } from '#catalog/gpus.ts';
import { buildAnswer } from '../../src/lib/estimate/answer.ts';
import {
	claimedRows,
	DEFAULTS,
	estimate,
	MEMORY_BAND_HIGH,
	MEMORY_BAND_LOW,
	MODEL_IDS,
	resolveArchitecture,
	type Architecture,
	type EstimateSettings
} from '../../src/lib/estimator/index.ts';

describe('band bounds come from the calibration errors', () => {
	const ratios = claimedRows()
		.filter((r) => r.kind === 'memory')
		.map((r) => r.measured / r.predict());
	it('covers every claimed memory row, and is at most 0.03 wider than the envelope', () => {
		const lo = Math.min(...ratios);
		const hi = Math.max(...ratios);
		expect(MEMORY_BAND_LOW).toBeLessThanOrEqual(lo);
		expect(MEMORY_BAND_HIGH).toBeGreaterThanOrEqual(hi);
		expect(lo - MEMORY_BAND_LOW).toBeLessThan(0.03);
		expect(MEMORY_BAND_HIGH - hi).toBeLessThan(0.03);
	});
});

const base = (o: Partial<EstimateSettings>): EstimateSettings => ({
	...DEFAULTS,
	arch: resolveArchitecture('mistralai/Mistral-7B-v0.1')!,
	gpu: gpuBySlug('rtx-4090')!,
	method: 'qlora',
	...o
});

describe('fit from the band', () => {
	it('the band contains the point, for any model, method and GPU', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...MODEL_IDS),
				fc.constantFrom('full' as const, 'lora' as const, 'qlora' as const, 'inference' as const),
				fc.constantFrom(...GPUS),
				fc.integer({ min: 1, max: 32_768 }),
				fc.constantFrom('hf-peft' as const, 'litgpt' as const, 'torchtune' as const, 'unsloth' as const),
				(id, method, gpu, seqLen, framework) => {
					const m = estimate(
						base({ arch: resolveArchitecture(id) as Architecture, method, gpu, seqLen, framework })
					).memory;
					expect(m.rangeGb[0]).toBeLessThanOrEqual(m.perGpuGb);
					expect(m.rangeGb[1]).toBeGreaterThanOrEqual(m.perGpuGb);
				}
			),
			{ numRuns: 200 }
		);
	});

	it('tight where the point fits and the high end does not; fits is true only for fits', () => {
		// sweep the sequence length on one card: the verdict goes fits → tight → no, in that order
		const seen: string[] = [];
		for (let seqLen = 1024; seqLen <= 65_536; seqLen += 256) {
			const e = estimate(base({ seqLen }));
			const m = e.memory;
			const expected = m.perGpuGb > m.capacityGb ? 'no' : m.rangeGb[1] > m.capacityGb ? 'tight' : 'fits';
			expect(e.fit).toBe(expected);
			expect(e.fits).toBe(e.fit === 'fits');
			if (seen.at(-1) !== e.fit) seen.push(e.fit);
		}
		expect(seen).toEqual(['fits', 'tight', 'no']);
	});

	it('the answer carries memory.rangeGb and fit', () => {
		let seqLen = 1024;
		while (estimate(base({ seqLen })).fit !== 'tight') seqLen += 256;
		const s = base({ seqLen });
		const a = buildAnswer(s, []);
		expect(a.fit).toBe('tight');
		expect(a.fits).toBe(false);
		expect(a.memory.rangeGb[0]).toBeLessThan(a.memory.perGpuGb);
		expect(a.memory.rangeGb[1]).toBeGreaterThan(estimate(s).memory.capacityGb);
	});
});
