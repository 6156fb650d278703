/**
 * vast.ai has no offset parameter (docs/providers.md §1.2): the adapter walks a large market cheapest-first
 * with `dph_total >= highest price seen`, merging offers by id. Played by the fake providers server,
 * whose search honours limit, order and the dph_total filter like the real one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '#adapters/http.ts';
import { vastai, vastaiQuery, VASTAI_MAX_PAGES, VASTAI_PAGE_LIMIT } from '#adapters/vastai.ts';
import { readFixture, startFakeProviders, type FakeProviders } from '../helpers/fake-providers.ts';

// Offers derived from the recorded real one (vast-bundles-offer-real-2024-cli-raw.json), trimmed to the
// fields the adapter reads so a market of tens of thousands stays small.
const REAL = readFixture<Record<string, unknown>[]>('vast-bundles-offer-real-2024-cli-raw.json')[0]!;
function market(n: number, price: (i: number) => number) {
	return Array.from({ length: n }, (_, i) => ({
		id: 100_000 + i,
		gpu_name: REAL.gpu_name,
		num_gpus: 1,
		gpu_ram: REAL.gpu_ram,
		dph_total: price(i),
		min_bid: 0.2,
		rentable: true,
		rented: false,
		hosting_type: 0,
		geolocation: REAL.geolocation
	}));
}

describe('vast.ai paging', () => {
	let fake: FakeProviders;
	beforeAll(async () => {
		fake = await startFakeProviders();
	});
	afterAll(() => fake.close());

	const run = () =>
		vastai.fetch({
			baseUrl: fake.url,
			apiKey: undefined,
			http: createHttpClient('vastai', { minIntervalMs: 0, timeoutMs: 10_000 })
		});

	it('asks for every rentable offer, cheapest first, with an explicit limit', async () => {
		fake.reset();
		fake.requests.length = 0;
		await run();
		expect(fake.requests[0]!.body).toEqual(vastaiQuery());
		expect(fake.requests[0]!.body).toMatchObject({
			limit: VASTAI_PAGE_LIMIT,
			rentable: { eq: true },
			rented: { eq: false },
			order: [['dph_total', 'asc']]
		});
	});

	it('walks a market larger than one answer and keeps every offer once', async () => {
		// 12,345 offers; prices repeat every 7 offers so pages end in the middle of ties.
		const offers = market(12_345, (i) => 0.1 + Math.floor(i / 7) * 0.001);
		fake.set('vastai', { payload: { offers } });
		fake.requests.length = 0;
		const result = await run();
		const got = (result.payload as { offers: { id: number }[] }).offers;
		expect(got).toHaveLength(12_345);
		expect(new Set(got.map((o) => o.id)).size).toBe(12_345);
		expect(result.requests).toBe(3);
		expect(result.notes).toEqual([]);
		const firstPageMax = Math.max(...offers.slice(0, VASTAI_PAGE_LIMIT).map((o) => o.dph_total));
		expect(fake.requests[1]!.body).toMatchObject({ dph_total: { gte: firstPageMax } });
		// …and the whole market parses: an on-demand and a spot offer each.
		expect(vastai.parse(result.payload, new Date()).offers).toHaveLength(2 * 12_345);
	});

	it('stops after the page budget and records that the market was cut', async () => {
		const n = VASTAI_PAGE_LIMIT * VASTAI_MAX_PAGES + 1000;
		fake.set('vastai', { payload: { offers: market(n, (i) => 0.1 + i * 0.0001) } });
		const result = await run();
		expect(result.requests).toBe(VASTAI_MAX_PAGES);
		expect(result.notes).toEqual([
			expect.stringMatching(/^answer limit reached: offers above \$\d+\.\d\d\/h were not fetched$/)
		]);
	});

	it('stops when more offers share one price than an answer holds', async () => {
		fake.set('vastai', { payload: { offers: market(VASTAI_PAGE_LIMIT + 10, () => 0.5) } });
		const result = await run();
		expect(result.requests).toBe(2);
		expect(result.notes).toEqual([
			`more than ${VASTAI_PAGE_LIMIT} offers at one price: the rest were not fetched`
		]);
	});
});
