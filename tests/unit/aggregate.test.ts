import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { NormalizedOffer } from '#adapters/types.ts';
import {
	aggregateOffers,
	FULL_KEY,
	medianOfSorted,
	SERIES_KEY
} from '../../src/lib/server/poll/snapshots.ts';

function offer(p: Partial<NormalizedOffer>): NormalizedOffer {
	return {
		provider: 'vastai',
		gpu: 'rtx-4090',
		gpuName: 'RTX 4090',
		gpuCount: 1,
		vramGb: 24,
		pricing: 'on_demand',
		cloud: 'community',
		region: 'US',
		pricePerHourUsd: 0.3,
		pricePerGpuHourUsd: 0.3,
		available: true,
		observedAt: '2026-11-27T00:00:00.000Z',
		...p
	};
}

describe('snapshot aggregates', () => {
	it('takes the median as percentile_cont(0.5) does', () => {
		expect(medianOfSorted([1])).toBe(1);
		expect(medianOfSorted([1, 3])).toBe(2);
		expect(medianOfSorted([0.2, 0.3, 0.9])).toBe(0.3);
		expect(medianOfSorted([0.25, 0.3, 0.4, 1.2])).toBeCloseTo(0.35, 15);
	});

	it('groups by the full key and by the series key, over all offers, counting the available ones', () => {
		const offers = [
			offer({ pricePerGpuHourUsd: 0.3, region: 'US' }),
			offer({ pricePerGpuHourUsd: 0.5, region: 'US', available: false }),
			offer({ pricePerGpuHourUsd: 0.2, region: 'CN' }),
			offer({ pricePerGpuHourUsd: 0.25, region: 'US', pricing: 'spot' }),
			offer({ pricePerGpuHourUsd: 0.4, region: 'US', gpuCount: 2 }),
			offer({ pricePerGpuHourUsd: 0.6, region: 'US', cloud: null, provider: 'lambda' })
		];
		const full = aggregateOffers(offers, FULL_KEY);
		expect(full).toContainEqual({
			gpu: 'rtx-4090',
			gpuCount: 1,
			pricing: 'on_demand',
			cloud: 'community',
			region: 'US',
			minUsd: 0.3,
			medianUsd: 0.4,
			maxUsd: 0.5,
			n: 2,
			availableN: 1,
			// the $0.50 offer is not available: the cheapest available is $0.30
			minAvailableUsd: 0.3,
			// 1-based positions of those prices in `offers`: the insert reads the prices by them
			at: { min: 1, medianLow: 1, medianHigh: 2, max: 2, minAvailable: 1 }
		});
		expect(full.find((a) => a.cloud === '')).toMatchObject({ minUsd: 0.6, n: 1 });
		const series = aggregateOffers(offers, SERIES_KEY);
		expect(
			aggregateOffers(
				[offer({ available: false }), offer({ available: false, pricePerGpuHourUsd: 0.2 })],
				[]
			)[0]
		).toMatchObject({ minUsd: 0.2, minAvailableUsd: null, availableN: 0 });
		expect(series.find((a) => a.pricing === 'on_demand' && a.cloud === 'community')).toMatchObject({
			minAvailableUsd: 0.2,
			minUsd: 0.2,
			maxUsd: 0.5,
			n: 4,
			availableN: 3
		});
	});

	it('counts only the included offers, at their positions in the whole list', () => {
		const offers = [
			offer({ pricePerGpuHourUsd: 0.001 }),
			offer({ pricePerGpuHourUsd: 0.4 }),
			offer({ pricePerGpuHourUsd: 0.3, available: false }),
			offer({ pricePerGpuHourUsd: 0.5 })
		];
		const [a] = aggregateOffers(offers, SERIES_KEY, [false, true, true, true]);
		expect(a).toMatchObject({
			minUsd: 0.3,
			medianUsd: 0.4,
			maxUsd: 0.5,
			n: 3,
			availableN: 2,
			minAvailableUsd: 0.4
		});
		expect(a!.at).toEqual({ min: 3, medianLow: 2, medianHigh: 2, max: 4, minAvailable: 2 });
	});

	it('points at prices that give its figures back, the median as medianOfSorted computes it', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.record({
						p: fc.double({ min: 0.01, max: 100, noNaN: true }),
						av: fc.boolean(),
						in: fc.boolean()
					}),
					{
						minLength: 1,
						maxLength: 40
					}
				),
				(items) => {
					const offers = items.map((x) => offer({ pricePerGpuHourUsd: x.p, available: x.av }));
					const include = items.map((x) => x.in);
					const price = (at: number) => offers[at - 1]!.pricePerGpuHourUsd;
					for (const a of aggregateOffers(offers, [], include)) {
						expect(price(a.at.min)).toBe(a.minUsd);
						expect(price(a.at.max)).toBe(a.maxUsd);
						const lo = price(a.at.medianLow);
						expect(lo + (price(a.at.medianHigh) - lo) * 0.5).toBe(a.medianUsd);
						expect(a.at.minAvailable === null ? null : price(a.at.minAvailable)).toBe(a.minAvailableUsd);
						for (const k of ['min', 'medianLow', 'medianHigh', 'max'] as const)
							expect(include[a.at[k] - 1], k).toBe(true);
					}
				}
			)
		);
	});

	it('keeps min ≤ median ≤ max and n equal to the offers for any prices', () => {
		fc.assert(
			fc.property(
				fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 1, maxLength: 60 }),
				(prices) => {
					const [a] = aggregateOffers(
						prices.map((p) => offer({ pricePerGpuHourUsd: p })),
						[]
					);
					expect(a!.minUsd).toBe(Math.min(...prices));
					expect(a!.maxUsd).toBe(Math.max(...prices));
					expect(a!.medianUsd).toBeGreaterThanOrEqual(a!.minUsd);
					expect(a!.medianUsd).toBeLessThanOrEqual(a!.maxUsd);
					expect(a!.n).toBe(prices.length);
				}
			)
		);
	});
});
