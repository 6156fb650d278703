/**
 * Trust and provider scope across every surface that prices, on both engines. Three providers' snapshots
 * are stored through storeSnapshot (the poller's path): RunPod's and Lambda's recorded answers, and a
 * vast.ai market of recorded offer objects with their prices changed (CONSTRUCTED) holding three planted
 * untrusted offers — a near-zero price, a cross-market outlier and a reliability-0.42 host — each cheaper
 * than every real offer. Then:
 *  - every surface (compare page, GPU page summary and $/1M tokens, /api/gpus, /api/offers?trusted=true,
 *    the estimator's offers and cost rows, /models' picker, /papers cards, the history's cheapest series,
 *    trends, alert evaluation) agrees on the cheapest RTX 4090 on-demand price, the real one;
 *  - a property: adding any untrusted offer to the vast.ai snapshot lowers none of those figures and fires
 *    no alert;
 *  - with PROVIDERS narrowed to vastai,runpod, Lambda's stored snapshot prices nothing anywhere.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '#adapters/index.ts';
import { PROVIDERS, type NormalizedOffer, type ProviderId } from '#adapters/types.ts';
import {
	architectureFromCatalog,
	costLines,
	modelById,
	priceCard,
	usdPerMillionTrainingTokens
} from '../../src/lib/estimator/index.ts';
import { hardwarePicker, MODEL_USES } from '../../src/lib/estimate/model-report.ts';
import { createWatch, deleteWatch } from '../../src/lib/server/alerts/watches.ts';
import { evaluateAlerts } from '../../src/lib/server/alerts/evaluate.ts';
import { readCurrentOffers, readCurrentSnapshots } from '../../src/lib/server/estimate-prices.ts';
import { queryHistory } from '../../src/lib/server/history/query.ts';
import { rollupHistory } from '../../src/lib/server/history/rollup.ts';
import { cheapestByGpu, compareByGpu } from '../../src/lib/server/offers/compare.ts';
import { listOffers } from '../../src/lib/server/offers/list.ts';
import { getProviderHealth } from '../../src/lib/server/providers.ts';
import { loadConfig } from '../../src/lib/server/config.ts';
import { storeSnapshot } from '../../src/lib/server/poll/snapshots.ts';
import { loadTrends } from '../../src/lib/server/trends.ts';
import { DEFAULT_TRUST, marketMedians } from '../../src/lib/trust.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';
import { recordedPayloads } from '../helpers/fake-providers.ts';

const GPU = 'rtx-4090';
const NOW = new Date('2026-11-30T12:00:00.000Z');
const recorded = recordedPayloads() as Record<ProviderId, unknown> & {
	vastai: { offers: Record<string, unknown>[] };
};
const VAST = recorded.vastai.offers[0]!;

const parse = (p: ProviderId, payload: unknown, at = NOW): NormalizedOffer[] =>
	ADAPTERS[p].parse(payload, at).offers;

/** vast.ai offer objects (CONSTRUCTED from the recorded one), per-GPU price given, parsed by the adapter. */
function vastOffers(
	rows: { id: number; usd: number; gpus?: number; reliability?: number; bid?: number }[],
	at = NOW
) {
	return parse(
		'vastai',
		{
			offers: rows.map((r) => ({
				...VAST,
				id: r.id,
				num_gpus: r.gpus ?? 1,
				dph_total: r.usd * (r.gpus ?? 1),
				dph_base: r.usd * (r.gpus ?? 1),
				min_bid: r.bid ?? 0,
				...(r.reliability === undefined ? {} : { reliability2: r.reliability, reliability: r.reliability })
			}))
		},
		at
	);
}

/** The real vast.ai market: reliable, verified hosts (spot bids on two of them). */
const REAL_VAST = [
	{ id: 1, usd: 0.3, bid: 0.2 },
	{ id: 2, usd: 0.32, bid: 0.21 },
	{ id: 3, usd: 0.35 },
	{ id: 4, usd: 0.41, gpus: 2 }
];
/** Planted: each cheaper than every real offer, each untrusted. */
const PLANTED = [
	{ id: 101, usd: 0.0000093 }, // implausible-price (and outlier)
	{ id: 102, usd: 0.05 }, // price-outlier
	{ id: 103, usd: 0.11, reliability: 0.42 } // low-reliability
];

const TRUST = { settings: DEFAULT_TRUST, scope: PROVIDERS };

const runpod = parse('runpod', recorded.runpod);
const lambda = parse('lambda', recorded.lambda);
const realVast = vastOffers(REAL_VAST);

/** The cheapest real (untainted) available on-demand RTX 4090 price per GPU-hour, from the inputs. */
const EXPECTED = Math.min(
	...[...realVast, ...runpod]
		.filter((o) => o.gpu === GPU && o.pricing === 'on_demand' && o.available)
		.map((o) => o.pricePerGpuHourUsd)
);

/** A one-GPU paper card on RTX 4090s (the cards of /papers are priced the same way). */
const CARD = { label: 'test', reported: 'test', gpus: [GPU], gpuCount: 1, hoursLow: 10, hoursHigh: 20 };

/** Every figure a user can see for the RTX 4090's cheapest on-demand price, read through the app's modules. */
async function surfaces(db: TestDatabase['db'], scope: readonly ProviderId[]) {
	const [compare] = await compareByGpu(db, {}, scope).then((rows) => rows.filter((r) => r.gpu === GPU));
	const [page] = await compareByGpu(db, { gpu: GPU }, scope);
	const api = (await cheapestByGpu(db, scope)).get(GPU);
	const listed = await listOffers(
		db,
		{ gpu: GPU, pricing: 'on_demand', available: true },
		{ limit: 1, scope, trusted: true }
	);
	const offers = await readCurrentOffers(db, scope);
	const estimator = offers.filter((o) => o.gpu === GPU && o.pricing === 'on_demand');
	const lines = costLines(offers, GPU, 1, 1).filter((l) => l.pricing === 'on_demand');
	const card = priceCard(CARD, offers, []);
	const model = modelById('TokenBender/evolvedSeeker_1_3');
	const qlora = MODEL_USES.find((u) => u.id === 'qlora')!;
	const pick = model
		? hardwarePicker(model.id, architectureFromCatalog(model), qlora, offers).find(
				(r) => r.gpu === GPU && r.gpuCount === 1 && r.pricing === 'on_demand'
			)
		: undefined;
	const history = await queryHistory(
		db,
		{
			gpu: GPU,
			pricing: 'on_demand',
			source: 'live',
			from: new Date(NOW.getTime() - 3_600_000),
			to: new Date(NOW.getTime() + 120_000)
		},
		new Date(NOW.getTime() + 120_000)
	);
	const historyMin = Math.min(...history.series.flatMap((s) => s.points.map((p) => p.min)));
	return {
		compare: compare?.bestOnDemandUsd,
		perMTokens: compare?.qloraUsdPerMTokens,
		gpuPage: page?.bestOnDemandUsd,
		apiGpus: api?.onDemand?.pricePerGpuHourUsd,
		apiOffers: listed.offers[0]?.pricePerGpuHourUsd,
		estimator: Math.min(...estimator.map((o) => o.pricePerGpuHourUsd)),
		costRow: Math.min(...lines.map((l) => l.offer.pricePerGpuHourUsd)),
		paperCard: card.current?.offer.pricePerGpuHourUsd,
		modelPicker: pick?.pricePerHourUsd,
		historyMin
	};
}

/** Whether an alert at `thresholdUsd` on the RTX 4090 fires now (a fresh watch each time, removed after). */
async function fires(db: TestDatabase['db'], thresholdUsd: number, scope: readonly ProviderId[], gpu = GPU) {
	const watch = await createWatch(
		db,
		{ gpu, pricing: 'on_demand', minGpuCount: 1, thresholdUsd },
		{ allowPrivate: false }
	);
	try {
		const res = await evaluateAlerts(db, NOW, { allowPrivate: false, scope });
		return res.fired.find((f) => f.watchId === watch.id) ?? null;
	} finally {
		await deleteWatch(db, watch.id);
	}
}

describe.each(ENGINES)('trust across surfaces on %s', (engine) => {
	let t: TestDatabase;

	beforeAll(async () => {
		t = await createTestDatabase(engine);
		await storeSnapshot(t.db, 'lambda', null, NOW, lambda, TRUST);
		await storeSnapshot(t.db, 'runpod', null, NOW, runpod, TRUST);
		await storeSnapshot(t.db, 'vastai', null, NOW, [...realVast, ...vastOffers(PLANTED)], TRUST);
	}, 120_000);
	afterAll(() => t?.destroy());

	it('stores the planted offers flagged and untrusted, with their numbers, and counts them per snapshot', async () => {
		const { offers, untrusted } = await listOffers(
			t.db,
			{ gpu: GPU, provider: 'vastai' },
			{ limit: 100, scope: PROVIDERS, trusted: false }
		);
		expect(untrusted).toBe(3);
		const byRef = Object.fromEntries(offers.map((o) => [o.offerRef, o]));
		expect(byRef['101']).toMatchObject({ trusted: false, flags: ['implausible-price', 'price-outlier'] });
		expect(byRef['102']).toMatchObject({ trusted: false, flags: ['price-outlier'] });
		expect(byRef['102']!.trustReason).toMatch(/^outlier: \d+ % of the market median/);
		expect(byRef['102']!.flagDetails[0]).toMatchObject({
			rule: 'price-outlier',
			value: 0.05,
			informational: false
		});
		expect(byRef['103']).toMatchObject({ trusted: false, flags: ['low-reliability'] });
		expect(byRef['103']!.trustReason).toBe('host reliability 0.42 (under 0.9)');
		const health = await getProviderHealth(t.db, loadConfig({}), NOW);
		const vast = health.find((h) => h.provider === 'vastai')!;
		expect(vast.untrustedOffers).toBe(3);
		expect(vast.flagCounts).toEqual({ 'implausible-price': 1, 'price-outlier': 2, 'low-reliability': 1 });
		expect(health.find((h) => h.provider === 'runpod')).toMatchObject({ untrustedOffers: 0, flagCounts: {} });
		// The listing holds them all; the trusted filter and the untrusted count agree.
		const all = await listOffers(t.db, { gpu: GPU, provider: 'vastai' }, { limit: 100, scope: PROVIDERS });
		const trusted = await listOffers(
			t.db,
			{ gpu: GPU, provider: 'vastai' },
			{ limit: 100, scope: PROVIDERS, trusted: true }
		);
		expect(all.total).toBe(trusted.total + 3);
		expect(trusted.offers.every((o) => o.trusted && o.trustReason === null)).toBe(true);
	});

	it('every surface agrees on the cheapest price: the real one, not a planted one', async () => {
		expect(EXPECTED).toBeGreaterThan(0.11); // every planted offer would have won
		const s = await surfaces(t.db, PROVIDERS);
		expect(s).toEqual({
			compare: EXPECTED,
			perMTokens: usdPerMillionTrainingTokens(GPU, EXPECTED),
			gpuPage: EXPECTED,
			apiGpus: EXPECTED,
			apiOffers: EXPECTED,
			estimator: EXPECTED,
			costRow: EXPECTED,
			paperCard: EXPECTED,
			modelPicker: EXPECTED,
			historyMin: EXPECTED
		});
		// Trends (day points rolled up from the poll points) start from the same trusted cheapest.
		await rollupHistory(t.db, new Date(NOW.getTime() - 86_400_000), new Date(NOW.getTime() + 3_600_000));
		const trends = await loadTrends(t.db, PROVIDERS);
		const live = trends.live.rows.filter((r) => r.gpu === GPU && r.pricing === 'on_demand');
		expect(live.length).toBeGreaterThan(0);
		expect(Math.min(...live.map((r) => r.cheapestUsd))).toBe(EXPECTED);
		// An alert fires at the real price, never below it on a planted one.
		expect(await fires(t.db, EXPECTED - 0.001, PROVIDERS)).toBeNull();
		expect((await fires(t.db, EXPECTED, PROVIDERS))?.pricePerGpuHourUsd).toBe(EXPECTED);
	});

	it('property: adding any untrusted offer to the snapshot lowers no cheapest figure and fires no alert', async () => {
		// The clean market first (the real offers only): the figures every run is compared with.
		await storeSnapshot(t.db, 'vastai', null, new Date(NOW.getTime() + 500), vastOffers(REAL_VAST), TRUST);
		const before = await surfaces(t.db, PROVIDERS);
		expect(before.compare).toBe(EXPECTED);
		const marketMedian = marketMedians([...realVast, ...runpod], DEFAULT_TRUST).get(`${GPU}\u0000on_demand`)!;
		const outlierBelow = marketMedian.medianUsd * DEFAULT_TRUST.outlierRatio;
		const gpus = fc.constantFrom(1, 2, 4, 8);
		const untrusted = fc.oneof(
			fc.record({ usd: fc.double({ min: 1e-9, max: 0.0099, noNaN: true }), gpus }),
			fc.record({ usd: fc.double({ min: 0.01, max: outlierBelow * 0.95, noNaN: true }), gpus }),
			fc.record({
				usd: fc.double({ min: 0.01, max: EXPECTED, noNaN: true }),
				gpus,
				// hundredths, as vast.ai reports them (a subnormal such as 5e-324 is out of range for a real column)
				reliability: fc.integer({ min: 0, max: 89 }).map((x) => x / 100)
			})
		);
		let n = 0;
		await fc.assert(
			fc.asyncProperty(untrusted, fc.boolean(), async (extra, rentable) => {
				const at = new Date(NOW.getTime() + ++n * 1000);
				const [added] = vastOffers([{ id: 500 + n, ...extra }], at).map((o) => ({
					...o,
					available: rentable
				}));
				const stored = await storeSnapshot(
					t.db,
					'vastai',
					null,
					at,
					[...vastOffers(REAL_VAST, at), added!],
					TRUST
				);
				expect(stored.untrusted).toBe(1);
				const after = await surfaces(t.db, PROVIDERS);
				for (const [k, v] of Object.entries(after)) {
					const b = before[k as keyof typeof before];
					expect(typeof b, k).toBe('number');
					expect(v, k).toBeGreaterThanOrEqual(b!);
				}
				expect(await fires(t.db, EXPECTED - 1e-6, PROVIDERS)).toBeNull();
			}),
			{ numRuns: 8 }
		);
	}, 240_000);
});

describe.each(ENGINES)('PROVIDERS narrowed on %s', (engine) => {
	let t: TestDatabase;
	const SCOPE: ProviderId[] = ['vastai', 'runpod'];
	const lambdaGpus = [...new Set(lambda.map((o) => o.gpu))];

	beforeAll(async () => {
		t = await createTestDatabase(engine);
		// Lambda was on once: its snapshot stays in the database. Then it is switched off.
		await storeSnapshot(t.db, 'lambda', null, NOW, lambda, TRUST);
		const scoped = { settings: DEFAULT_TRUST, scope: SCOPE };
		await storeSnapshot(t.db, 'runpod', null, NOW, runpod, scoped);
		await storeSnapshot(t.db, 'vastai', null, NOW, realVast, scoped);
	}, 120_000);
	afterAll(() => t?.destroy());

	it('holds a Lambda snapshot that would price GPUs nobody else offers', () => {
		expect(lambdaGpus.length).toBeGreaterThan(0);
		const others = new Set([...runpod, ...realVast].map((o) => o.gpu));
		expect(lambdaGpus.some((g) => !others.has(g))).toBe(true);
	});

	it('prices nothing from Lambda on any surface', async () => {
		const compare = await compareByGpu(t.db, {}, SCOPE);
		for (const row of compare) expect(row.cells.lambda, row.gpu).toEqual({ on_demand: null, spot: null });
		for (const g of lambdaGpus) {
			const [page] = await compareByGpu(t.db, { gpu: g }, SCOPE);
			expect(page?.cells.lambda ?? { on_demand: null, spot: null }).toEqual({ on_demand: null, spot: null });
		}
		const api = await cheapestByGpu(t.db, SCOPE);
		for (const [, p] of api) {
			expect(p.onDemand?.provider).not.toBe('lambda');
			expect(p.spot?.provider).not.toBe('lambda');
		}
		const listed = await listOffers(t.db, {}, { limit: 5000, scope: SCOPE });
		expect(listed.offers.filter((o) => o.provider === 'lambda')).toEqual([]);
		const offers = await readCurrentOffers(t.db, SCOPE);
		expect(offers.filter((o) => o.provider === 'lambda')).toEqual([]);
		expect((await readCurrentSnapshots(t.db, SCOPE)).map((s) => s.provider)).toEqual(['runpod', 'vastai']);
		for (const g of lambdaGpus) {
			expect(costLines(offers, g, 1, 1).filter((l) => l.provider === 'lambda')).toEqual([]);
			const card = priceCard({ ...CARD, gpus: [g] }, offers, []);
			expect(card.current?.offer.provider).not.toBe('lambda');
			// A watch on a GPU Lambda offered, at any price: nothing to fire on.
			expect(await fires(t.db, 1000, SCOPE, g).then((f) => f?.provider)).not.toBe('lambda');
		}
		// Trends: Lambda's live series (rolled up from its poll points) are left out with it.
		await rollupHistory(t.db, new Date(NOW.getTime() - 86_400_000), new Date(NOW.getTime() + 3_600_000));
		expect((await loadTrends(t.db, PROVIDERS)).live.rows.some((r) => r.provider === 'lambda')).toBe(true);
		expect((await loadTrends(t.db, SCOPE)).live.rows.filter((r) => r.provider === 'lambda')).toEqual([]);
		// The same database with Lambda on still has it: the scope, not the data, decided.
		expect((await readCurrentOffers(t.db, PROVIDERS)).some((o) => o.provider === 'lambda')).toBe(true);
	});
});
