/**
 * Test data for the estimator's price joins: one current snapshot per provider with offers of a few
 * GPUs (prices chosen so each is recognisable on a page), an older vast.ai snapshot that must be
 * ignored, and archived daily medians. Written through drizzle into a real database.
 */
import { schema, type Db } from '../../src/lib/server/db/index.ts';
import { ensurePartitions } from '../../src/lib/server/db/partitions.ts';

export interface SeededOffer {
	provider: string;
	gpu: string;
	gpuCount: number;
	pricePerGpuHourUsd: number;
	pricing?: 'on_demand' | 'spot';
	available?: boolean;
}

export const SEEDED_OFFERS: SeededOffer[] = [
	{ provider: 'vastai', gpu: 'rtx-4090', gpuCount: 1, pricePerGpuHourUsd: 0.3461 },
	{ provider: 'vastai', gpu: 'rtx-4090', gpuCount: 2, pricePerGpuHourUsd: 0.3333 },
	{ provider: 'vastai', gpu: 'rtx-4090', gpuCount: 1, pricePerGpuHourUsd: 0.2017, pricing: 'spot' },
	{ provider: 'runpod', gpu: 'rtx-4090', gpuCount: 1, pricePerGpuHourUsd: 0.69 },
	{ provider: 'vastai', gpu: 'rtx-a6000', gpuCount: 1, pricePerGpuHourUsd: 0.4127 },
	{ provider: 'runpod', gpu: 'l40s', gpuCount: 1, pricePerGpuHourUsd: 0.8623 },
	{ provider: 'vastai', gpu: 'a100-sxm-80gb', gpuCount: 8, pricePerGpuHourUsd: 1.0987 },
	{ provider: 'lambda', gpu: 'a100-sxm-80gb', gpuCount: 8, pricePerGpuHourUsd: 1.79 },
	{ provider: 'runpod', gpu: 'a100-sxm-80gb', gpuCount: 1, pricePerGpuHourUsd: 1.39 },
	{ provider: 'lambda', gpu: 'h100-sxm', gpuCount: 8, pricePerGpuHourUsd: 2.99 },
	{ provider: 'vastai', gpu: 'h100-sxm', gpuCount: 1, pricePerGpuHourUsd: 1.7713 },
	// not available: never shown
	{ provider: 'vastai', gpu: 'rtx-4090', gpuCount: 1, pricePerGpuHourUsd: 0.0999, available: false }
];

/** The older vast.ai snapshot's offer: cheaper, but not current. */
export const STALE_PRICE = 0.0777;

/** Archive medians (on-demand) per GPU, constant over 40 days ending 2026-07-20. */
export const ARCHIVE_MEDIANS: Record<string, number> = { 'a100-sxm-80gb': 1.5432, 'rtx-4090': 0.5421 };

export async function seedPrices(db: Db, now = new Date()): Promise<void> {
	const snap = async (provider: string, observedAt: Date) =>
		(
			await db
				.insert(schema.snapshots)
				.values({ provider, observedAt, offerCount: 0, availableCount: 0 })
				.returning({ id: schema.snapshots.id })
		)[0]!.id;
	const old = await snap('vastai', new Date(now.getTime() - 20 * 60_000));
	const ids: Record<string, number> = {
		vastai: await snap('vastai', now),
		runpod: await snap('runpod', new Date(now.getTime() - 60_000)),
		lambda: await snap('lambda', new Date(now.getTime() - 120_000))
	};
	const row = (snapshotId: number, o: SeededOffer, i: number) => ({
		snapshotId,
		provider: o.provider,
		gpu: o.gpu,
		gpuName: `${o.gpu.toUpperCase()} (${o.provider})`,
		gpuCount: o.gpuCount,
		vramGb: 80,
		pricing: o.pricing ?? 'on_demand',
		cloud: o.provider === 'runpod' ? 'secure' : null,
		region: `region-${i}`,
		pricePerHourUsd: o.pricePerGpuHourUsd * o.gpuCount,
		pricePerGpuHourUsd: o.pricePerGpuHourUsd,
		available: o.available ?? true,
		observedAt: now,
		offerRef: `ref-${i}`
	});
	await db
		.insert(schema.offers)
		.values([
			row(old, { provider: 'vastai', gpu: 'rtx-4090', gpuCount: 1, pricePerGpuHourUsd: STALE_PRICE }, 999),
			...SEEDED_OFFERS.map((o, i) => row(ids[o.provider]!, o, i))
		]);
	await ensurePartitions(db, new Date('2026-06-01T00:00:00Z'), new Date('2026-07-31T00:00:00Z'));
	const history: (typeof schema.priceHistory.$inferInsert)[] = [];
	for (const [gpu, median] of Object.entries(ARCHIVE_MEDIANS)) {
		for (let i = 0; i < 40; i++) {
			const t = new Date(Date.UTC(2026, 6, 20 - i));
			history.push({
				gpu,
				resolution: 'day',
				provider: 'vastai',
				pricing: 'on_demand',
				cloud: '',
				source: 'archive',
				t,
				minUsd: median,
				medianUsd: median,
				maxUsd: median,
				n: 5
			});
		}
	}
	await db.insert(schema.priceHistory).values(history);
}
