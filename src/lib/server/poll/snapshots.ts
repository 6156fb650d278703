/**
 * Writing one provider's snapshot: the snapshot row, its offers (bulk, with unnest), the removal of that
 * provider's previous offers, the per-poll aggregates by the full key and the series-level `poll`
 * history points — all in one transaction, so readers see the old snapshot or the new one, never a mix.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { NormalizedOffer, OfferSource, Pricing, ProviderId } from '#adapters/types.ts';
import {
	assessOffers,
	countFlags,
	type TrustAssessment,
	type TrustFlag,
	type TrustSettings
} from '../../trust.ts';
import { medianOfSorted, middlePositions, midpoint } from '../../stats.ts';
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
	return assessOffers(
		offers,
		market.map((m) => ({
			provider: m.provider,
			gpu: m.gpu,
			pricing: m.pricing,
			pricePerGpuHourUsd: Number(m.p),
			reliability: m.reliability === null ? null : Number(m.reliability),
			verified: m.verified
		})),
		trust.settings
	);
}

/** Runs `query` on a transaction handle (drizzle's tx has the same execute as the db). */
function on(tx: unknown): Db {
	return tx as Db;
}

/**
 * Test-only hook (tests/integration/crash.test.ts): with HOLD_SNAPSHOT_WRITE_FOR_TEST=1 a snapshot write
 * stops inside its transaction, after all its statements and before the commit,
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
	return db.transaction(async (txRaw) => {
		const tx = on(txRaw);
		// Only the current snapshot's offers are kept (schema.ts: offers): this provider's are removed
		// before the new ones are inserted (the scan then meets only the old rows: measured 2–3× faster than
		// after the insert on both engines, npm run bench, ingest). Sent with the snapshot row, and run by a
		// Postgres server while this process computes the aggregates and builds the insert below.
		const snapshotRow = rows<{ id: number | string }>(
			tx,
			sql`insert into snapshots (provider, poll_run_id, observed_at, offer_count, available_count,
			                           flag_counts, untrusted_count, source)
			    values (${provider}, ${pollRunId}, ${at}::timestamptz, ${offers.length}, ${available},
			            ${JSON.stringify(counts.flags)}::jsonb, ${counts.untrusted}, ${source})
			    returning id`
		);
		const replaced = started(tx.execute(sql`delete from offers where provider = ${provider}`));
		const snapshotId = Number((await snapshotRow)[0]!.id);
		await sentOrDone(replaced);
		// Aggregates and poll history points describe the trusted market only: every "cheapest" read from
		// them (compare page, GPU page summary, history, trends) is then trusted by construction, and the
		// compare page keeps reading a few thousand aggregate rows instead of every offer. They are computed
		// here from the offers in hand (a single pass and a sort per group) rather than by re-reading the
		// rows inserted: that re-read cost as much as half the insert itself.
		const trusted = assessed.map((a) => a.trusted);
		const full = aggregateOffers(offers, FULL_KEY, trusted);
		const inserted = started(
			tx.execute(insertOffersSql(snapshotId, provider, at, offers, assessed, source, full))
		);
		// The poll points are computed while a Postgres server inserts the offers. Statements run in the
		// order sent; the first failure fails the transaction, and the awaits below throw it.
		await sentOrDone(inserted);
		const series = aggregateOffers(offers, SERIES_KEY, trusted);
		await Promise.all([
			replaced,
			inserted,
			series.length ? tx.execute(insertPollHistorySql(provider, at, series)) : null
		]);
		if (process.env[HOLD_SNAPSHOT_WRITE_ENV] === '1') await holdForCrashTest(snapshotId);
		return {
			snapshotId,
			offers: offers.length,
			available,
			untrusted: counts.untrusted,
			flagCounts: counts.flags
		};
	});
}

/**
 * A statement started now (a drizzle query runs only once something calls its then), its outcome marked
 * handled: a failure is thrown where it is awaited, not reported as unhandled while other work runs.
 */
function started(query: PromiseLike<unknown>): Promise<unknown> {
	const outcome = new Promise((resolve, reject) => query.then(resolve, reject));
	outcome.catch(() => {});
	return outcome;
}

/**
 * Waits until a started statement has reached the server, or is done. PGlite runs a statement in this
 * thread, before this resolves; postgres.js writes a short message from a setImmediate that its query
 * queues from a microtask, so two turns of the event loop are waited for.
 */
function sentOrDone(statement: Promise<unknown>): Promise<unknown> {
	const twoTurns = new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
	return Promise.race([statement.then(noop, noop), twoTurns]);
}

const noop = () => {};

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
	/**
	 * Where each figure comes from: 1-based positions in the offers given to aggregateOffers (the median
	 * is the mean of the two middle ones, the same one when the count is odd). The snapshot write sends
	 * these instead of the prices (insertOffersSql).
	 */
	at: { min: number; medianLow: number; medianHigh: number; max: number; minAvailable: number | null };
}

/** The fields offers are grouped by: the full key of price_aggregates, the series key of price_history. */
export type GroupField = 'gpu' | 'gpuCount' | 'pricing' | 'cloud' | 'region';
export const FULL_KEY: readonly GroupField[] = ['gpu', 'gpuCount', 'pricing', 'cloud', 'region'];
export const SERIES_KEY: readonly GroupField[] = ['gpu', 'pricing', 'cloud'];

interface Group {
	first: NormalizedOffer;
	/** the group's prices, and the positions (0-based) of their offers, in the same order */
	prices: number[];
	members: number[];
	available: number;
	/** position of the cheapest available offer */
	minAvailable: number | null;
}

/**
 * Groups offers by the values of `key` (no cloud and '' are one value) and aggregates each group over
 * ALL its listed offers (available or not): min / median / max per GPU-hour, the count, and how many
 * are available now. With `include`, only the offers it marks (the trusted ones) are counted; the
 * positions in `at` are still positions in `offers`. Groups come out in the order of their first offer.
 */
export function aggregateOffers(
	offers: NormalizedOffer[],
	key: readonly GroupField[],
	include?: readonly boolean[]
): PriceAggregate[] {
	// Nested maps, one level per field, keyed by the offers' own values: building and hashing a key
	// string per offer cost more than the rest of the aggregation (npm run bench, ingest).
	const root = new Map<unknown, unknown>();
	const groups: Group[] = [];
	const lastLevel = key.length - 1;
	for (let i = 0; i < offers.length; i++) {
		if (include && !include[i]) continue;
		const o = offers[i]!;
		let node = root;
		for (let d = 0; d < lastLevel; d++) {
			const v = o[key[d]!] ?? '';
			let next = node.get(v) as Map<unknown, unknown> | undefined;
			if (!next) node.set(v, (next = new Map()));
			node = next;
		}
		const v = lastLevel >= 0 ? (o[key[lastLevel]!] ?? '') : '';
		let g = node.get(v) as Group | undefined;
		if (!g) {
			node.set(v, (g = { first: o, prices: [], members: [], available: 0, minAvailable: null }));
			groups.push(g);
		}
		const price = o.pricePerGpuHourUsd;
		g.prices.push(price);
		g.members.push(i);
		if (o.available) {
			g.available++;
			if (g.minAvailable === null || price < offers[g.minAvailable]!.pricePerGpuHourUsd) g.minAvailable = i;
		}
	}
	return groups.map((g) => aggregate(g, offers));
}

function aggregate(
	{ first, prices: listed, members, available, minAvailable }: Group,
	offers: NormalizedOffer[]
): PriceAggregate {
	// A typed array sorts numerically without a comparator call per step (several times faster).
	const prices = listed.length > 1 ? Float64Array.from(listed).sort() : listed;
	const [low, high] = middlePositions(prices.length);
	// The 1-based position (as SQL arrays count) of an offer of the group with this price: any one will
	// do, they have the same price.
	const at = (price: number) => members[listed.indexOf(price)]! + 1;
	return {
		gpu: first.gpu,
		gpuCount: first.gpuCount,
		pricing: first.pricing,
		cloud: first.cloud ?? '',
		region: first.region,
		minUsd: prices[0]!,
		medianUsd: midpoint(prices[low]!, prices[high]!),
		maxUsd: prices[prices.length - 1]!,
		n: prices.length,
		availableN: available,
		minAvailableUsd: minAvailable === null ? null : offers[minAvailable]!.pricePerGpuHourUsd,
		at: {
			min: at(prices[0]!),
			medianLow: at(prices[low]!),
			medianHigh: at(prices[high]!),
			max: at(prices[prices.length - 1]!),
			minAvailable: minAvailable === null ? null : minAvailable + 1
		}
	};
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

/**
 * The aggregates' insert, reading their prices by position from `prices` (the offers' per-GPU-hour prices,
 * already parsed for the offers insert): a float8 from text is the dearest value to parse on PGlite, where
 * sending four prices per aggregate cost more than the rest of the aggregates insert (npm run bench,
 * ingest). The median is computed as medianOfSorted does, in the same float8 steps, so it is the same number.
 */
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
		select ${snapshotId}, ${at}::timestamptz, ${provider}, u.gpu, u.gpu_count, u.pricing, u.cloud, u.region,
		       p.v[u.mn], p.v[u.lo] + (p.v[u.hi] - p.v[u.lo]) * 0.5::float8, p.v[u.mx], u.n, u.av, p.v[u.ma]
		from prices p, unnest(
		  ${textArray(aggs, (a) => a.gpu)}::text[], ${numArray(aggs, (a) => a.gpuCount)}::smallint[],
		  ${textArray(aggs, (a) => a.pricing)}::text[], ${textArray(aggs, (a) => a.cloud)}::text[],
		  ${textArray(aggs, (a) => a.region)}::text[], ${numArray(aggs, (a) => a.at.min)}::int[],
		  ${numArray(aggs, (a) => a.at.medianLow)}::int[], ${numArray(aggs, (a) => a.at.medianHigh)}::int[],
		  ${numArray(aggs, (a) => a.at.max)}::int[], ${numArray(aggs, (a) => a.n)}::int[],
		  ${numArray(aggs, (a) => a.availableN)}::int[], ${numArray(aggs, (a) => a.at.minAvailable)}::int[]
		) as u(gpu, gpu_count, pricing, cloud, region, mn, lo, hi, mx, n, av, ma)`;
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
 * The columns travel as text[] and are cast in SQL: postgres.js infers an array's type from its values
 * (a boolean or all-null array fails), PGlite does not — text is the one form both drivers send alike.
 * The per-GPU-hour price is the exception: one float8[] array literal (numArray), which the aggregates
 * of the same statement read too. JavaScript's number-to-string is the shortest exact form, so float8
 * values round-trip unchanged. With `aggregates`, the statement inserts the offers and the snapshot's
 * price_aggregates rows together.
 */
export function insertOffersSql(
	snapshotId: number,
	provider: ProviderId,
	at: string,
	offers: NormalizedOffer[],
	/** each offer's trust flags (same order); absent: stored as trusted without flags */
	assessed?: TrustAssessment[],
	source: OfferSource = 'api',
	/** the snapshot's aggregates (aggregateOffers over these offers), inserted by the same statement */
	aggregates: PriceAggregate[] = []
): SQL {
	const col = (f: (o: NormalizedOffer) => string | number | boolean | null | undefined) =>
		textArray(offers, f);
	const trustOf = (i: number) => assessed?.[i];
	// Most offers share their flags (none, or an unverified host alone: trust.ts), so each list is
	// turned into text once.
	const texts = new Map<readonly unknown[], string | null>();
	const once = (list: readonly unknown[], toText: () => string | null) => {
		let t = texts.get(list);
		if (t === undefined) texts.set(list, (t = toText()));
		return t;
	};
	const noFlags: TrustFlag[] = [];
	// text[] of Postgres array literals ('{price-outlier,unverified}'): flag names are [a-z-] only.
	const flagsCol = sql.param(
		offers.map((_, i) => {
			const flags = trustOf(i)?.flags ?? noFlags;
			return once(flags, () => `{${flags.join(',')}}`);
		})
	);
	const trustedCol = sql.param(offers.map((_, i) => String(trustOf(i)?.trusted ?? true)));
	const detailsCol = sql.param(
		offers.map((_, i) => {
			const d = trustOf(i)?.details;
			return d && d.length ? once(d, () => JSON.stringify(d)) : null;
		})
	);
	const offersInsert = sql`
		insert into offers
		  (snapshot_id, provider, observed_at, gpu, gpu_name, gpu_count, vram_gb, pricing, cloud, region,
		   price_per_hour_usd, price_per_gpu_hour_usd, available, offer_ref, reliability, verified,
		   vcpus, ram_gb, disk_gb, inet_down_mbps, inet_up_mbps, extra, flags, trusted, flag_details, source)
		select ${snapshotId}, ${provider}, ${at}::timestamptz, u.gpu, u.gpu_name, u.gpu_count::smallint,
		       u.vram_gb::real, u.pricing, u.cloud, u.region, u.pph::float8, u.ppgh, u.available::bool,
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
		  (select v from prices),
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
	// The per-GPU-hour prices travel once, as one float8[] that both inserts read.
	const prices = sql`prices (v) as (select ${numArray(offers, (o) => o.pricePerGpuHourUsd)}::float8[])`;
	if (!aggregates.length) return sql`with ${prices} ${offersInsert}`;
	return sql`with ${prices}, new_offers as (${offersInsert}) ${insertAggregatesSql(snapshotId, provider, at, aggregates)}`;
}
