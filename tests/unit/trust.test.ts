/**
 * The trust policy (src/lib/trust.ts), table by table: each flag on offers parsed from the recorded
 * payloads (tests/fixtures/providers) by the real adapters, plus CONSTRUCTED rows — recorded vast.ai offer
 * objects with one field changed, so they travel the real schema and parser — for what the recordings do
 * not hold: a near-zero price, a low-reliability unverified host, a cross-market outlier, and a normal
 * cheap offer that must stay trusted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '#adapters/index.ts';
import type { NormalizedOffer, ProviderId } from '#adapters/types.ts';
import {
	assessOffer,
	assessOffers,
	DEFAULT_TRUST,
	flagReason,
	marketMedians,
	trustReason,
	type TrustSettings
} from '../../src/lib/trust.ts';
import { loadConfig } from '../../src/lib/server/config.ts';
import { recordedPayloads } from '../helpers/fake-providers.ts';

const AT = new Date('2026-11-30T12:00:00Z');
const recorded = recordedPayloads() as Record<ProviderId, unknown> & {
	vastai: { offers: Record<string, unknown>[] };
};
const VAST_OFFER = recorded.vastai.offers[0]!;

function parse(provider: ProviderId, payload: unknown): NormalizedOffer[] {
	return ADAPTERS[provider].parse(payload, AT).offers;
}

/** A recorded vast.ai offer object with some fields changed (CONSTRUCTED), parsed by the real adapter. */
function vast(changes: Record<string, unknown>): NormalizedOffer {
	const [o] = parse('vastai', { offers: [{ ...VAST_OFFER, ...changes }] });
	if (!o) throw new Error('constructed vast.ai offer did not parse');
	return o;
}

/** Flags of `offer` in a market of `market` plus itself, as storeSnapshot judges it. */
function judge(offer: NormalizedOffer, market: NormalizedOffer[], settings: TrustSettings = DEFAULT_TRUST) {
	return assessOffer(offer, marketMedians([...market, offer], settings), settings);
}

const allRecorded = (['vastai', 'runpod', 'lambda'] as const).flatMap((p) => parse(p, recorded[p]));

describe('trust flags on the recorded payloads', () => {
	it('holds offers of every provider, the vast.ai one with its reliability and verification', () => {
		const v = parse('vastai', recorded.vastai)[0]!;
		expect(v).toMatchObject({ gpu: 'rtx-4090', reliability: expect.closeTo(0.97, 2), verified: true });
		expect(new Set(allRecorded.map((o) => o.provider))).toEqual(new Set(['vastai', 'runpod', 'lambda']));
	});

	it('flags none of the recorded offers: they are real prices from verified or non-marketplace hosts', () => {
		const medians = marketMedians(allRecorded, DEFAULT_TRUST);
		const flagged = allRecorded
			.map((o) => ({ o, a: assessOffer(o, medians, DEFAULT_TRUST) }))
			.filter(({ a }) => a.flags.length > 0)
			.map(({ o, a }) => `${o.provider} ${o.gpu} ${o.pricing} ${o.pricePerGpuHourUsd}: ${a.flags.join(',')}`);
		expect(flagged).toEqual([]);
	});
});

describe('trust flags, table of constructed rows on the real schemas', () => {
	// The rtx-4090 on-demand market of the recordings (vast.ai $0.2467, RunPod's secure and community
	// prices) plus two constructed vast.ai offers at ordinary prices, so the median is well defined.
	const market = [
		...allRecorded,
		vast({ id: 9001, dph_total: 0.3, dph_base: 0.3 }),
		vast({ id: 9002, dph_total: 0.34, dph_base: 0.34 })
	];
	const median = marketMedians(market, DEFAULT_TRUST).get('rtx-4090\u0000on_demand')!;

	const rows: {
		name: string;
		offer: NormalizedOffer;
		settings?: TrustSettings;
		flags: string[];
		trusted: boolean;
	}[] = [
		{
			name: 'CONSTRUCTED near-zero price ($0.0000093/h, the price a user met on the compare page)',
			offer: vast({ id: 9101, dph_total: 0.0000093, dph_base: 0.0000093 }),
			flags: ['implausible-price', 'price-outlier'],
			trusted: false
		},
		{
			name: 'CONSTRUCTED low-reliability unverified host (reliability2 0.42, verification unverified)',
			offer: vast({ id: 9102, reliability2: 0.42, reliability: 0.42, verification: 'unverified' }),
			flags: ['low-reliability', 'unverified'],
			trusted: false
		},
		{
			name: 'CONSTRUCTED cross-market outlier ($0.05: under 25 % of the market median)',
			offer: vast({ id: 9103, dph_total: 0.05, dph_base: 0.05 }),
			flags: ['price-outlier'],
			trusted: false
		},
		{
			name: 'CONSTRUCTED normal cheap offer ($0.16: cheapest, yet over 25 % of the median) stays trusted',
			offer: vast({ id: 9104, dph_total: 0.16, dph_base: 0.16 }),
			flags: [],
			trusted: true
		},
		{
			name: 'CONSTRUCTED reliable but unverified host: informational by default',
			offer: vast({ id: 9105, verification: 'unverified' }),
			flags: ['unverified'],
			trusted: true
		},
		{
			name: 'CONSTRUCTED reliable but unverified host with TRUST_UNVERIFIED=untrusted',
			offer: vast({ id: 9106, verification: 'unverified' }),
			settings: { ...DEFAULT_TRUST, unverified: 'untrusted' },
			flags: ['unverified'],
			trusted: false
		},
		{
			name: 'CONSTRUCTED reliability exactly at the threshold (0.90) is not low',
			offer: vast({ id: 9107, reliability2: 0.9 }),
			flags: [],
			trusted: true
		},
		{
			name: 'CONSTRUCTED RunPod offer carrying a reliability: RunPod is no marketplace, the rule does not apply',
			offer: { ...parse('runpod', recorded.runpod)[0]!, reliability: 0.1, verified: false },
			flags: [],
			trusted: true
		}
	];

	for (const row of rows) {
		it(row.name, () => {
			const a = judge(row.offer, market, row.settings);
			expect(a.flags).toEqual(row.flags);
			expect(a.trusted).toBe(row.trusted);
		});
	}

	it('says which rule fired with what numbers (the API flagDetails)', () => {
		const a = judge(vast({ id: 9103, dph_total: 0.05, dph_base: 0.05 }), market);
		const withIt = marketMedians(
			[...market, vast({ id: 9103, dph_total: 0.05, dph_base: 0.05 })],
			DEFAULT_TRUST
		).get('rtx-4090\u0000on_demand')!;
		expect(a.details).toEqual([
			{
				rule: 'price-outlier',
				value: expect.closeTo(0.05, 6),
				threshold: expect.closeTo(withIt.medianUsd * 0.25, 9),
				medianUsd: withIt.medianUsd,
				marketOffers: withIt.offers,
				informational: false
			}
		]);
		expect(median.offers).toBeGreaterThanOrEqual(3);
		expect(trustReason(a.details)).toMatch(/^outlier: \d+ % of the market median \(\$0\.\d\d, \d+ offers\)$/);
		const low = judge(vast({ id: 9102, reliability2: 0.42 }), market);
		expect(low.details[0]).toEqual({
			rule: 'low-reliability',
			value: 0.42,
			threshold: 0.9,
			informational: false
		});
		expect(trustReason(low.details)).toBe('host reliability 0.42 (under 0.9)');
	});

	it('words an outlier as a percentage of the median ("outlier: 4 % of the market median")', () => {
		expect(
			flagReason({
				rule: 'price-outlier',
				value: 0.0066,
				threshold: 0.04,
				medianUsd: 0.165,
				marketOffers: 12,
				informational: false
			})
		).toBe('outlier: 4 % of the market median ($0.17, 12 offers)');
	});
});

describe('price-outlier needs a market', () => {
	const cheap = vast({ id: 9201, dph_total: 0.05, dph_base: 0.05 });

	it('does not fire when fewer than TRUST_MEDIAN_OFFERS offers make the median', () => {
		const one = [vast({ id: 9202, dph_total: 0.4, dph_base: 0.4 })];
		expect(judge(cheap, one).flags).toEqual([]); // two offers: no median to judge by
		expect(judge(cheap, one, { ...DEFAULT_TRUST, outlierMinOffers: 2 }).flags).toEqual(['price-outlier']);
	});

	it('keeps on-demand and spot apart: a cheap spot price is judged against spot prices only', () => {
		const onDemand = [0.4, 0.42, 0.45].map((p, i) => vast({ id: 9210 + i, dph_total: p, dph_base: p }));
		const spot = { ...cheap, pricing: 'spot' as const };
		expect(judge(spot, onDemand).flags).toEqual([]);
		expect(judge(cheap, onDemand).flags).toEqual(['price-outlier']);
	});

	it('leaves prices under the floor out of the median (junk never moves the market)', () => {
		const junk = [1, 2, 3, 4, 5].map((i) => vast({ id: 9220 + i, dph_total: 0.000001, dph_base: 0.000001 }));
		const real = [0.3, 0.32, 0.35].map((p, i) => vast({ id: 9230 + i, dph_total: p, dph_base: p }));
		const m = marketMedians([...junk, ...real], DEFAULT_TRUST).get('rtx-4090\u0000on_demand')!;
		expect(m).toEqual({ medianUsd: 0.32, offers: 3 });
	});
});

describe('TRUST_* settings', () => {
	it('defaults to the documented thresholds', () => {
		expect(loadConfig({}).trust).toEqual({
			minPriceUsd: 0.01,
			outlierRatio: 0.25,
			outlierMinOffers: 3,
			minReliability: 0.9,
			unverified: 'info'
		});
	});

	it('reads every threshold and refuses bad values naming the variable', () => {
		const c = loadConfig({
			TRUST_MIN_PRICE_USD: '0.02',
			TRUST_OUTLIER_RATIO: '0.3',
			TRUST_MEDIAN_OFFERS: '5',
			TRUST_MIN_RELIABILITY: '0.95',
			TRUST_UNVERIFIED: 'untrusted'
		});
		expect(c.trust).toEqual({
			minPriceUsd: 0.02,
			outlierRatio: 0.3,
			outlierMinOffers: 5,
			minReliability: 0.95,
			unverified: 'untrusted'
		});
		expect(() => loadConfig({ TRUST_OUTLIER_RATIO: '1.5' })).toThrow(/TRUST_OUTLIER_RATIO/);
		expect(() => loadConfig({ TRUST_MIN_RELIABILITY: 'high' })).toThrow(/TRUST_MIN_RELIABILITY/);
		expect(() => loadConfig({ TRUST_UNVERIFIED: 'maybe' })).toThrow(
			/TRUST_UNVERIFIED: expected info or untrusted/
		);
		expect(() => loadConfig({ TRUST_MIN_PRICE_USD: '-1' })).toThrow(/TRUST_MIN_PRICE_USD/);
	});
});

describe("assessOffers (the poller's one-pass form)", () => {
	const settingsArb = fc.record({
		minPriceUsd: fc.constantFrom(0.01, 0.1),
		outlierRatio: fc.constantFrom(0.25, 0.5),
		outlierMinOffers: fc.constantFrom(1, 3),
		minReliability: fc.constantFrom(0.9, 0.5),
		unverified: fc.constantFrom('info' as const, 'untrusted' as const)
	});
	const offerArb = fc.record({
		provider: fc.constantFrom<ProviderId>('vastai', 'runpod', 'lambda'),
		gpu: fc.constantFrom('rtx-4090', 'h100-sxm'),
		pricing: fc.constantFrom('on_demand' as const, 'spot' as const),
		pricePerGpuHourUsd: fc.oneof(fc.double({ min: 0, max: 5, noNaN: true }), fc.constantFrom(0, 0.001, 0.4)),
		reliability: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 1, noNaN: true })),
		verified: fc.constantFrom(true, false, null)
	});

	it('flags every offer as assessOffer does against the market of the others plus the snapshot', () => {
		fc.assert(
			fc.property(
				fc.array(offerArb, { maxLength: 12 }),
				fc.array(offerArb, { maxLength: 12 }),
				settingsArb,
				(others, snapshot, settings) => {
					const market = marketMedians([...others, ...snapshot], settings);
					const expected = snapshot.map((o) => assessOffer(o, market, settings));
					expect(assessOffers(snapshot, others, settings)).toEqual(expected);
				}
			),
			{ numRuns: Number(process.env.FC_RUNS ?? 300) }
		);
	});

	it('holds the flags of the recorded payloads: a host under the reliability floor, an unverified one', () => {
		const junk = vast({ reliability2: 0.4, verified: false, verification: 'unverified' });
		const [a] = assessOffers([junk], allRecorded, DEFAULT_TRUST);
		expect(a!.flags).toEqual(['low-reliability', 'unverified']);
		expect(a!.trusted).toBe(false);
	});
});
