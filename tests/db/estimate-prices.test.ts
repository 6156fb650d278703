/**
 * The estimator's price reads on a real database (PGlite, and Postgres when TEST_DATABASE_URL is set):
 * only the newest snapshot per provider counts, only available offers, the cheapest box per GPU ×
 * provider × pricing × size; the archive median over the newest 30 archived days.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '#adapters/types.ts';
import { schema } from '../../src/lib/server/db/index.ts';
import { ensurePartitions } from '../../src/lib/server/db/partitions.ts';
import {
	readArchiveReferences,
	readCurrentOffers,
	readCurrentSnapshots
} from '../../src/lib/server/estimate-prices.ts';
import { costLines } from '../../src/lib/estimator/index.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';

type OfferRow = typeof schema.offers.$inferInsert;

function offerRow(
	snapshotId: number,
	o: Partial<OfferRow> & Pick<OfferRow, 'provider' | 'gpu' | 'gpuCount' | 'pricePerGpuHourUsd'>
): OfferRow {
	return {
		snapshotId,
		gpuName: o.gpu,
		vramGb: 80,
		pricing: 'on_demand',
		cloud: null,
		region: 'us-east',
		pricePerHourUsd: o.pricePerGpuHourUsd * o.gpuCount,
		available: true,
		observedAt: new Date('2026-11-27T10:00:00Z'),
		...o
	};
}

describe.each(ENGINES)('estimator prices on %s', (engine) => {
	let t: TestDatabase;

	beforeAll(async () => {
		t = await createTestDatabase(engine);
		const { db } = t;
		const snap = async (provider: string, observedAt: string) =>
			(
				await db
					.insert(schema.snapshots)
					.values({ provider, observedAt: new Date(observedAt), offerCount: 0, availableCount: 0 })
					.returning({ id: schema.snapshots.id })
			)[0]!.id;
		const vastOld = await snap('vastai', '2026-11-27T09:00:00Z');
		const vastNew = await snap('vastai', '2026-11-27T10:00:00Z');
		const runpod = await snap('runpod', '2026-11-27T09:50:00Z');
		await db.insert(schema.offers).values([
			// an older snapshot whose offers were not yet deleted: never current
			offerRow(vastOld, { provider: 'vastai', gpu: 'h100-sxm', gpuCount: 1, pricePerGpuHourUsd: 0.99 }),
			offerRow(vastNew, { provider: 'vastai', gpu: 'h100-sxm', gpuCount: 1, pricePerGpuHourUsd: 1.87 }),
			offerRow(vastNew, {
				provider: 'vastai',
				gpu: 'h100-sxm',
				gpuCount: 1,
				pricePerGpuHourUsd: 1.79,
				offerRef: 'm-42'
			}),
			offerRow(vastNew, {
				provider: 'vastai',
				gpu: 'h100-sxm',
				gpuCount: 1,
				pricePerGpuHourUsd: 1.2,
				available: false
			}),
			offerRow(vastNew, { provider: 'vastai', gpu: 'h100-sxm', gpuCount: 8, pricePerGpuHourUsd: 1.65 }),
			offerRow(vastNew, {
				provider: 'vastai',
				gpu: 'h100-sxm',
				gpuCount: 1,
				pricePerGpuHourUsd: 0.9,
				pricing: 'spot'
			}),
			offerRow(vastNew, {
				provider: 'vastai',
				gpu: 'rtx-4090',
				gpuCount: 1,
				pricePerGpuHourUsd: 0.31,
				vramGb: 24,
				gpuName: 'x'.repeat(500)
			}),
			offerRow(runpod, {
				provider: 'runpod',
				gpu: 'h100-sxm',
				gpuCount: 1,
				pricePerGpuHourUsd: 2.39,
				cloud: 'secure'
			})
		]);
		await ensurePartitions(db, new Date('2026-05-01T00:00:00Z'), new Date('2026-07-31T00:00:00Z'));
		const day = (i: number) => new Date(Date.UTC(2026, 5, 1 + i)); // 2026-06-01 + i
		const history: (typeof schema.priceHistory.$inferInsert)[] = [];
		for (let i = 0; i < 50; i++) {
			// days 0–19 at 3.00 (outside the newest 30 days), days 20–49 at 1.50 (vast) and 1.70 (runpod)
			const price = i < 20 ? 3 : 1.5;
			history.push({
				gpu: 'a100-sxm-80gb',
				resolution: 'day',
				provider: 'vastai',
				pricing: 'on_demand',
				cloud: '',
				source: 'archive',
				t: day(i),
				minUsd: price,
				medianUsd: price,
				maxUsd: price,
				n: 3
			});
			if (i >= 20)
				history.push({
					gpu: 'a100-sxm-80gb',
					resolution: 'day',
					provider: 'runpod',
					pricing: 'on_demand',
					cloud: 'secure',
					source: 'archive',
					t: day(i),
					minUsd: 1.7,
					medianUsd: 1.7,
					maxUsd: 1.7,
					n: 1
				});
			// live points and spot points are not the archive reference
			history.push({
				gpu: 'a100-sxm-80gb',
				resolution: 'day',
				provider: 'vastai',
				pricing: 'on_demand',
				cloud: '',
				source: 'live',
				t: day(i),
				minUsd: 9,
				medianUsd: 9,
				maxUsd: 9,
				n: 1
			});
			history.push({
				gpu: 'a100-sxm-80gb',
				resolution: 'day',
				provider: 'vastai',
				pricing: 'spot',
				cloud: '',
				source: 'archive',
				t: day(i),
				minUsd: 0.1,
				medianUsd: 0.1,
				maxUsd: 0.1,
				n: 1
			});
		}
		await db.insert(schema.priceHistory).values(history);
	});
	afterAll(async () => {
		await t?.destroy();
	});

	it('reads only available offers of the newest snapshot per provider, cheapest per box size and pricing', async () => {
		const offers = await readCurrentOffers(t.db, PROVIDERS, 'h100-sxm');
		const key = (o: { provider: string; pricing: string; gpuCount: number }) =>
			`${o.provider}/${o.pricing}/${o.gpuCount}`;
		expect(offers.map(key).sort()).toEqual([
			'runpod/on_demand/1',
			'vastai/on_demand/1',
			'vastai/on_demand/8',
			'vastai/spot/1'
		]);
		const vast1 = offers.find((o) => key(o) === 'vastai/on_demand/1')!;
		expect(vast1.pricePerGpuHourUsd).toBe(1.79);
		expect(vast1.offerRef).toBe('m-42');
		expect(vast1.observedAt).toBe('2026-11-27T10:00:00.000Z');
		expect(offers.find((o) => o.provider === 'runpod')!.cloud).toBe('secure');
	});

	it('reads every GPU without a filter, with provider strings capped', async () => {
		const offers = await readCurrentOffers(t.db, PROVIDERS);
		const rtx = offers.find((o) => o.gpu === 'rtx-4090')!;
		expect(rtx.pricePerHourUsd).toBeCloseTo(0.31, 10);
		expect(rtx.gpuName.length).toBe(80);
	});

	it('feeds the estimator’s cost lines: a 2-GPU job at vast.ai takes 2 one-GPU boxes', async () => {
		const lines = costLines(await readCurrentOffers(t.db, PROVIDERS, 'h100-sxm'), 'h100-sxm', 2, 10);
		const vast = lines.find((l) => l.provider === 'vastai' && l.pricing === 'on_demand')!;
		expect(vast.offer.boxes).toBe(2);
		expect(vast.totalUsd).toBeCloseTo(10 * 2 * 1.79, 9);
	});

	it('knows each provider’s current snapshot', async () => {
		const snaps = await readCurrentSnapshots(t.db, PROVIDERS);
		expect(snaps.map((s) => `${s.provider}@${s.observedAt}`)).toEqual([
			'runpod@2026-11-27T09:50:00.000Z',
			'vastai@2026-11-27T10:00:00.000Z'
		]);
	});

	it('takes the archive median over the newest 30 archived on-demand days', async () => {
		const refs = await readArchiveReferences(t.db);
		expect(refs).toHaveLength(1);
		const ref = refs[0]!;
		expect(ref.gpu).toBe('a100-sxm-80gb');
		// days 20–49: 30 vast points at 1.50 and 30 runpod points at 1.70 → median 1.60
		expect(ref.medianPerGpuHourUsd).toBeCloseTo(1.6, 10);
		expect(ref.days).toBe(30);
		expect(ref.from).toBe('2026-06-21');
		expect(ref.to).toBe('2026-07-20');
		expect(await readArchiveReferences(t.db, ['h100-sxm'])).toEqual([]);
	});
});
