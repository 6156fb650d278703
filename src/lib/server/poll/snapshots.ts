/**
 * Writing one provider's snapshot: the snapshot row, its offers (bulk, with unnest), the removal of that
 * provider's previous offers, the per-poll aggregates by the full key and the series-level `poll`
 * history points — all in one transaction, so readers see the old snapshot or the new one, never a mix.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { NormalizedOffer, OfferSource, Pricing, ProviderId } from '#adapters/types.ts';
import {
	assessOffer,
	countFlags,
	marketMedians,
	type TrustAssessment,
	type TrustSettings
} from '../../trust.ts';
import { medianOfSorted } from '../../stats.ts';
import { rows, type Db } from '../db/index.ts';
import { ensurePartitions } from '../db/partitions.ts';

export { medianOfSorted };

/**
 * The ids of the current snapshot of each of `providers`: its newest snapshot row (ids follow commit
 * order within a provider, whose snapshots are written one at a time) — one index lookup per provider
 * (snapshots_provider_id_idx), however many polls are stored. Its offers are the ones in `offers`.
 * The scope is required: a provider switched off (PROVIDERS) keeps its last snapshot in the database,
 * and only a caller that means "every provider" (health, retention) passes them all.
 */
export function currentSnapshotIds(providers: readonly ProviderId[]): SQL {
	return sql`select (select s.id from snapshots s where s.provider = p order by s.id desc limit 1)
	           from unnest(${sql.param([...providers])}::text[]) as p`;
}

export interface StoredSnapshot {
	snapshotId: number;
	offers: number;
	available: number;
	/** offers a non-informational trust flag caught (src/lib/trust.ts) */
	untrusted: number;
	flagCounts: Record<string, number>;
}

/** What the trust policy needs at store time: its thresholds, and whose current offers make the market. */
export interface TrustContext {
	settings: TrustSettings;
	/** the enabled providers (PROVIDERS): their current snapshots, with this one, make the medians */
	scope: readonly ProviderId[];
}

/**
 * The trust flags of a snapshot's offers, against the market as it stands once this snapshot is stored:
 * the current offers of the other enabled providers plus these offers (this provider's previous snapshot
 * is being replaced, so it is not part of it).
 */
export async function assessSnapshot(
	db: Db,
	provider: ProviderId,
	offers: NormalizedOffer[],
	trust: TrustContext
): Promise<TrustAssessment[]> {
	const others = trust.scope.filter((p) => p !== provider);
	const market = others.length
		? await rows<{
				provider: ProviderId;
				gpu: string;
				pricing: Pricing;
				p: number;
				reliability: number | null;
				verified: boolean | null;
			}>(
				db,
				sql`select provider, gpu, pricing, price_per_gpu_hour_usd as p, reliability, verified from offers
				    where snapshot_id in (${currentSnapshotIds(others)})
				      and price_per_gpu_hour_usd >= ${trust.settings.minPriceUsd}`
			)
		: [];
	const medians = marketMedians(
		[
			...market.map((m) => ({
				provider: m.provider,
				gpu: m.gpu,
				pricing: m.pricing,
				pricePerGpuHourUsd: Number(m.p),
				reliability: m.reliability === null ? null : Number(m.reliability),
				verified: m.verified
			})),
			...offers
		],
		trust.settings
	);
	return offers.map((o) => assessOffer(o, medians, trust.settings));
}

/** Runs `query` on a transaction handle (drizzle's tx has the same execute as the db). */
function on(tx: unknown): Db {
	return tx as Db;
}

/**
 * Test-only hook (tests/integration/crash.test.ts): with HOLD_SNAPSHOT_WRITE_FOR_TEST=1 a snapshot write
 * stops inside its transaction, after its snapshot row and offers are inserted and before the rest,
 * prints SNAPSHOT_WRITE_HELD and waits there, so a SIGKILL is known to land inside the write on either
 * engine. Never set it outside that test.
 */
export const HOLD_SNAPSHOT_WRITE_ENV = 'HOLD_SNAPSHOT_WRITE_FOR_TEST';
export const SNAPSHOT_WRITE_HELD = '[test] snapshot write held inside its transaction';

async function holdForCrashTest(snapshotId: number): Promise<void> {
	console.log(`${SNAPSHOT_WRITE_HELD} (snapshot ${snapshotId})`);
	// a ref'd timer keeps the process alive until the test kills it (10 min at most)
	await new Promise((resolve) => setTimeout(resolve, 600_000));
}

export async function storeSnapshot(
	db: Db,
	provider: ProviderId,
	pollRunId: number | null,
	observedAt: Date,
	offers: NormalizedOffer[],
	trust: TrustContext,
	source: OfferSource = 'api'
): Promise<StoredSnapshot> {
	// Partitions for this month must exist before the time-series inserts (partitions.ts).
	await ensurePartitions(db, observedAt, observedAt);
	// Unknown stock (available null) is not counted as available.
	const available = offers.filter((o) => o.available === true).length;
	const at = observedAt.toISOString();
	const assessed = await assessSnapshot(db, provider, offers, trust);
	const counts = countFlags(assessed);
	// Aggregates and poll history points describe the trusted market only: every "cheapest" read from
	// them (compare page, GPU page summary, history, trends) is then trusted by construction, and the
	// compare page keeps reading a few thousand aggregate rows instead of every offer.
	const trustedOffers = offers.filter((_, i) => assessed[i]!.trusted);
	return db.transaction(async (txRaw) => {
		const tx = on(txRaw);
		const [snap] = await rows<{ id: number | string }>(
			tx,
			sql`insert into snapshots (provider, poll_run_id, observed_at, offer_count, available_count,
			                           flag_counts, untrusted_count, source)
			    values (${provider}, ${pollRunId}, ${at}::timestamptz, ${offers.length}, ${available},
			            ${JSON.stringify(counts.flags)}::jsonb, ${counts.untrusted}, ${source})
			    returning id`
		);
		const snapshotId = Number(snap!.id);
		// A drizzle query is sent only when awaited, so the insert and the aggregation below run one after
		// the other. Sending the insert first (a then() before the aggregation) was measured and gained
		// nothing: 33,825 vast.ai offers on Postgres 15, median 2.1 s per snapshot either way (issue 16).
		await tx.execute(insertOffersSql(snapshotId, provider, at, offers, assessed, source));
		// Aggregates are computed here from the offers in hand (a single pass and a sort per group) rather
		// than by re-reading the rows just inserted: that re-read cost as much as half the insert itself.
		const full = aggregateOffers(trustedOffers, fullKey);
		const series = aggregateOffers(trustedOffers, seriesKey);
		const rest: SQL[] = [
			// Only the current snapshot's offers are kept (schema.ts: offers).
			sql`delete from offers where provider = ${provider} and snapshot_id <> ${snapshotId}`
		];
		if (full.length) rest.push(insertAggregatesSql(snapshotId, provider, at, full));
		if (series.length) rest.push(insertPollHistorySql(provider, at, series));
		if (process.env[HOLD_SNAPSHOT_WRITE_ENV] === '1') await holdForCrashTest(snapshotId);
		// The rest in one go: a connection runs its queries in the order sent, and the server goes from one
		// to the next without waiting for a round trip each (the first failure fails the transaction).
		await Promise.all(rest.map((q) => tx.execute(q)));
		return {
			snapshotId,
			offers: offers.length,
			available,
			untrusted: counts.untrusted,
			flagCounts: counts.flags
		};
	});
}

/** An aggregate of the prices (USD per GPU-hour) of one group of offers. */
export interface PriceAggregate {
	gpu: string;
	gpuCount: number;
	pricing: string;
	/** '' when the provider has no secure/community split */
	cloud: string;
	region: string;
	minUsd: number;
	medianUsd: number;
	maxUsd: number;
	n: number;
	availableN: number;
	/** cheapest available offer, null when none is available */
	minAvailableUsd: number | null;
}

/** Group keys: the full key of price_aggregates, and the series key of price_history. */
type GroupKey = (o: NormalizedOffer) => string;
const fullKey: GroupKey = (o) =>
	`${o.gpu}\u0000${o.gpuCount}\u0000${o.pricing}\u0000${o.cloud ?? ''}\u0000${o.region}`;
const seriesKey: GroupKey = (o) => `${o.gpu}\u0000${o.pricing}\u0000${o.cloud ?? ''}`;

/**
 * Groups offers by `key` and aggregates each group over ALL its listed offers (available or not):
 * min / median / max per GPU-hour, the count, and how many are available now.
 */
export function aggregateOffers(offers: NormalizedOffer[], key: GroupKey): PriceAggregate[] {
	const groups = new Map<
		string,
		{ first: NormalizedOffer; prices: number[]; available: number; minAvailable: number | null }
	>();
	for (const o of offers) {
		const k = key(o);
		let g = groups.get(k);
		if (!g) groups.set(k, (g = { first: o, prices: [], available: 0, minAvailable: null }));
		g.prices.push(o.pricePerGpuHourUsd);
		if (o.available) {
			g.available++;
			if (g.minAvailable === null || o.pricePerGpuHourUsd < g.minAvailable)
				g.minAvailable = o.pricePerGpuHourUsd;
		}
	}
	const out: PriceAggregate[] = [];
	for (const { first, prices: listed, available, minAvailable } of groups.values()) {
		// A typed array sorts numerically without a comparator call per step (several times faster).
		const prices = Float64Array.from(listed).sort();
		out.push({
			gpu: first.gpu,
			gpuCount: first.gpuCount,
			pricing: first.pricing,
			cloud: first.cloud ?? '',
			region: first.region,
			minUsd: prices[0]!,
			medianUsd: medianOfSorted(prices),
			maxUsd: prices[prices.length - 1]!,
			n: prices.length,
			availableN: available,
			minAvailableUsd: minAvailable
		});
	}
	return out;
}

/** A text[] parameter of one field of each row (see insertOffersSql for why text). */
function textArray<T>(items: T[], f: (x: T) => string | number | boolean | null | undefined) {
	return sql.param(
		items.map((x) => {
			const v = f(x);
			return v === null || v === undefined ? null : String(v);
		})
	);
}

/**
 * A numeric array parameter of one field of each row, as one Postgres array literal ('{1.5,NULL,2}'),
 * cast in SQL to its type (`::float8[]`, `::int[]`): the server reads the numbers with the array instead
 * of casting a text[] element by element. JavaScript's number-to-string is the shortest exact form, so a
 * float8 round-trips unchanged.
 */
function numArray<T>(items: T[], f: (x: T) => number | null) {
	return sql.param(`{${items.map((x) => f(x) ?? 'NULL').join(',')}}`);
}

function insertAggregatesSql(
	snapshotId: number,
	provider: ProviderId,
	at: string,
	aggs: PriceAggregate[]
): SQL {
	return sql`
		insert into price_aggregates
		  (snapshot_id, observed_at, provider, gpu, gpu_count, pricing, cloud, region,
		   min_usd, median_usd, max_usd, n, available_n, min_available_usd)
		select ${snapshotId}, ${at}::timestamptz, ${provider}, u.gpu, u.gpu_count, u.pricing, u.cloud,
		       u.region, u.mn, u.md, u.mx, u.n, u.av, u.ma
		from unnest(
		  ${textArray(aggs, (a) => a.gpu)}::text[], ${numArray(aggs, (a) => a.gpuCount)}::smallint[],
		  ${textArray(aggs, (a) => a.pricing)}::text[], ${textArray(aggs, (a) => a.cloud)}::text[],
		  ${textArray(aggs, (a) => a.region)}::text[], ${numArray(aggs, (a) => a.minUsd)}::float8[],
		  ${numArray(aggs, (a) => a.medianUsd)}::float8[], ${numArray(aggs, (a) => a.maxUsd)}::float8[],
		  ${numArray(aggs, (a) => a.n)}::int[], ${numArray(aggs, (a) => a.availableN)}::int[],
		  ${numArray(aggs, (a) => a.minAvailableUsd)}::float8[]
		) as u(gpu, gpu_count, pricing, cloud, region, mn, md, mx, n, av, ma)`;
}

/** Series-level `poll` points (gpu × provider × pricing × cloud), source live. */
function insertPollHistorySql(provider: ProviderId, at: string, aggs: PriceAggregate[]): SQL {
	return sql`
		insert into price_history
		  (gpu, resolution, provider, pricing, cloud, source, t, min_usd, median_usd, max_usd, n, available_n)
		select u.gpu, 'poll', ${provider}, u.pricing, u.cloud, 'live', ${at}::timestamptz,
		       u.mn, u.md, u.mx, u.n, u.av
		from unnest(
		  ${textArray(aggs, (a) => a.gpu)}::text[], ${textArray(aggs, (a) => a.pricing)}::text[],
		  ${textArray(aggs, (a) => a.cloud)}::text[], ${numArray(aggs, (a) => a.minUsd)}::float8[],
		  ${numArray(aggs, (a) => a.medianUsd)}::float8[], ${numArray(aggs, (a) => a.maxUsd)}::float8[],
		  ${numArray(aggs, (a) => a.n)}::int[], ${numArray(aggs, (a) => a.availableN)}::int[]
		) as u(gpu, pricing, cloud, mn, md, mx, n, av)
		on conflict (gpu, resolution, t, provider, pricing, cloud, source) do update set
		  min_usd = excluded.min_usd, median_usd = excluded.median_usd, max_usd = excluded.max_usd,
		  n = excluded.n, available_n = excluded.available_n`;
}

/**
 * One INSERT … SELECT FROM unnest(arrays): ~5× faster than row inserts (docs/stack.md#bulk-insert).
 * Every column travels as text[] and is cast in SQL: postgres.js infers an array's type from its values
 * (a boolean or all-null array fails), PGlite does not — text is the one form both drivers send alike.
 * JavaScript's number-to-string is the shortest exact form, so float8 values round-trip unchanged.
 */
export function insertOffersSql(
	snapshotId: number,
	provider: ProviderId,
	at: string,
	offers: NormalizedOffer[],
	/** each offer's trust flags (same order); absent: stored as trusted without flags */
	assessed?: TrustAssessment[],
	source: OfferSource = 'api'
): SQL {
	const col = (f: (o: NormalizedOffer) => string | number | boolean | null | undefined) =>
		textArray(offers, f);
	const trustOf = (i: number) => assessed?.[i];
	// text[] of Postgres array literals ('{price-outlier,unverified}'): flag names are [a-z-] only.
	const flagsCol = sql.param(offers.map((_, i) => `{${(trustOf(i)?.flags ?? []).join(',')}}`));
	const trustedCol = sql.param(offers.map((_, i) => String(trustOf(i)?.trusted ?? true)));
	const detailsCol = sql.param(
		offers.map((_, i) => {
			const d = trustOf(i)?.details;
			return d && d.length ? JSON.stringify(d) : null;
		})
	);
	return sql`
		insert into offers
		  (snapshot_id, provider, observed_at, gpu, gpu_name, gpu_count, vram_gb, pricing, cloud, region,
		   price_per_hour_usd, price_per_gpu_hour_usd, available, offer_ref, reliability, verified,
		   vcpus, ram_gb, disk_gb, inet_down_mbps, inet_up_mbps, extra, flags, trusted, flag_details, source)
		select ${snapshotId}, ${provider}, ${at}::timestamptz, u.gpu, u.gpu_name, u.gpu_count::smallint,
		       u.vram_gb::real, u.pricing, u.cloud, u.region, u.pph::float8, u.ppgh::float8, u.available::bool,
		       u.offer_ref, u.reliability::real, u.verified::bool, u.vcpus::real, u.ram_gb::real, u.disk_gb::real,
		       u.down::real, u.up::real, u.extra::jsonb, u.flags::text[], u.trusted::bool, u.flag_details::jsonb,
		       coalesce(u.source, ${source})
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
		  ${col((o) => (o.extra ? JSON.stringify(o.extra) : null))}::text[],
		  ${flagsCol}::text[],
		  ${trustedCol}::text[],
		  ${detailsCol}::text[],
		  ${col((o) => o.source)}::text[]
		) as u(gpu, gpu_name, gpu_count, vram_gb, pricing, cloud, region, pph, ppgh, available, offer_ref,
		       reliability, verified, vcpus, ram_gb, disk_gb, down, up, extra, flags, trusted, flag_details, source)`;
}
