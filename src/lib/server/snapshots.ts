/**
 * Writing one provider's snapshot: the snapshot row, its offers (bulk, with unnest), the removal of that
 * provider's previous offers, the per-poll aggregates by the full key and the series-level `poll`
 * history points — all in one transaction, so readers see the old snapshot or the new one, never a mix.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { NormalizedOffer, ProviderId } from '../../../adapters/types.ts';
import { rows, type Db } from './db/index.ts';
import { ensureMonthlyPartitions } from './db/partitions.ts';

export interface StoredSnapshot {
	snapshotId: number;
	offers: number;
	available: number;
}

/** Runs `query` on a transaction handle (drizzle's tx has the same execute as the db). */
function on(tx: unknown): Db {
	return tx as Db;
}

export async function storeSnapshot(
	db: Db,
	provider: ProviderId,
	pollRunId: number | null,
	observedAt: Date,
	offers: NormalizedOffer[]
): Promise<StoredSnapshot> {
	// Partitions for this month must exist before the time-series inserts (partitions.ts).
	await ensureMonthlyPartitions(db, observedAt, observedAt);
	const available = offers.filter((o) => o.available).length;
	const at = observedAt.toISOString();
	return db.transaction(async (txRaw) => {
		const tx = on(txRaw);
		const [snap] = await rows<{ id: number | string }>(
			tx,
			sql`insert into snapshots (provider, poll_run_id, observed_at, offer_count, available_count)
			    values (${provider}, ${pollRunId}, ${at}::timestamptz, ${offers.length}, ${available})
			    returning id`
		);
		const snapshotId = Number(snap!.id);
		await tx.execute(insertOffersSql(snapshotId, provider, at, offers));
		// Only the current snapshot's offers are kept (schema.ts: offers).
		await tx.execute(sql`delete from offers where provider = ${provider} and snapshot_id <> ${snapshotId}`);
		await tx.execute(sql`
			insert into price_aggregates
			  (snapshot_id, observed_at, provider, gpu, gpu_count, pricing, cloud, region,
			   min_usd, median_usd, max_usd, n, available_n)
			select snapshot_id, observed_at, provider, gpu, gpu_count, pricing, coalesce(cloud, ''), region,
			       min(price_per_gpu_hour_usd),
			       percentile_cont(0.5) within group (order by price_per_gpu_hour_usd),
			       max(price_per_gpu_hour_usd),
			       count(*)::int,
			       (count(*) filter (where available))::int
			from offers
			where snapshot_id = ${snapshotId}
			group by snapshot_id, observed_at, provider, gpu, gpu_count, pricing, coalesce(cloud, ''), region`);
		await tx.execute(sql`
			insert into price_history
			  (gpu, resolution, provider, pricing, cloud, source, t, min_usd, median_usd, max_usd, n, available_n)
			select gpu, 'poll', provider, pricing, coalesce(cloud, ''), 'live', ${at}::timestamptz,
			       min(price_per_gpu_hour_usd),
			       percentile_cont(0.5) within group (order by price_per_gpu_hour_usd),
			       max(price_per_gpu_hour_usd),
			       count(*)::int,
			       (count(*) filter (where available))::int
			from offers
			where snapshot_id = ${snapshotId}
			group by gpu, provider, pricing, coalesce(cloud, '')
			on conflict (gpu, resolution, t, provider, pricing, cloud, source) do update set
			  min_usd = excluded.min_usd, median_usd = excluded.median_usd, max_usd = excluded.max_usd,
			  n = excluded.n, available_n = excluded.available_n`);
		return { snapshotId, offers: offers.length, available };
	});
}

/**
 * One INSERT … SELECT FROM unnest(arrays): ~5× faster than row inserts (shared/STACK.md pitfall 9).
 * Every column travels as text[] and is cast in SQL: postgres.js infers an array's type from its values
 * (a boolean or all-null array fails), PGlite does not — text is the one form both drivers send alike.
 * JavaScript's number-to-string is the shortest exact form, so float8 values round-trip unchanged.
 */
function insertOffersSql(
	snapshotId: number,
	provider: ProviderId,
	at: string,
	offers: NormalizedOffer[]
): SQL {
	const col = (f: (o: NormalizedOffer) => string | number | boolean | null | undefined) =>
		sql.param(
			offers.map((o) => {
				const v = f(o);
				return v === null || v === undefined ? null : String(v);
			})
		);
	return sql`
		insert into offers
		  (snapshot_id, provider, observed_at, gpu, gpu_name, gpu_count, vram_gb, pricing, cloud, region,
		   price_per_hour_usd, price_per_gpu_hour_usd, available, offer_ref, reliability, verified,
		   vcpus, ram_gb, disk_gb, inet_down_mbps, inet_up_mbps, extra)
		select ${snapshotId}, ${provider}, ${at}::timestamptz, u.gpu, u.gpu_name, u.gpu_count::smallint,
		       u.vram_gb::real, u.pricing, u.cloud, u.region, u.pph::float8, u.ppgh::float8, u.available::bool,
		       u.offer_ref, u.reliability::real, u.verified::bool, u.vcpus::real, u.ram_gb::real, u.disk_gb::real,
		       u.down::real, u.up::real, u.extra::jsonb
		from unnest(
		  ${col((o) => o.gpu)}::text[],
		  ${col((o) => o.gpuName)}::text[],
		  ${col((o) => o.gpuCount)}::text[],
		  ${col((o) => o.vramGb)}::text[],
		  ${col((o) => o.pricing)}::text[],
		  ${col((o) => o.cloud)}::text[],
		  ${col((o) => o.region)}::text[],
		  ${col((o) => o.pricePerHourUsd)}::text[],
		  ${col((o) => o.pricePerGpuHourUsd)}::text[],
		  ${col((o) => o.available)}::text[],
		  ${col((o) => o.offerRef)}::text[],
		  ${col((o) => o.reliability)}::text[],
		  ${col((o) => o.verified)}::text[],
		  ${col((o) => o.vcpus)}::text[],
		  ${col((o) => o.ramGb)}::text[],
		  ${col((o) => o.diskGb)}::text[],
		  ${col((o) => o.inetDownMbps)}::text[],
		  ${col((o) => o.inetUpMbps)}::text[],
		  ${col((o) => (o.extra ? JSON.stringify(o.extra) : null))}::text[]
		) as u(gpu, gpu_name, gpu_count, vram_gb, pricing, cloud, region, pph, ppgh, available, offer_ref,
		       reliability, verified, vcpus, ram_gb, disk_gb, down, up, extra)`;
}
