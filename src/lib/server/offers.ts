/**
 * Reading the current offers. The `offers` table holds exactly the current snapshot of each provider
 * (snapshots.ts replaces a provider's offers in the same transaction that stores its new snapshot), so
 * every query here reads "now" without joining snapshots.
 */
import { sql, type SQL } from 'drizzle-orm';
import { GPUS, gpuBySlug, type GpuSpec } from '../../../adapters/catalog.ts';
import { gpuSlugsOf } from '../../../adapters/gpu-families.ts';
import {
	PROVIDERS,
	type Cloud,
	type NormalizedOffer,
	type OfferSource,
	type Pricing,
	type ProviderId
} from '../../../adapters/types.ts';
import { REFERENCE_QLORA_JOB, usdPerMillionTrainingTokens } from '../estimator/index.ts';
import type { CompareSort, OfferFilters } from '../offers/filters.ts';
import { rows, type Db } from './db/index.ts';
import { trustReason, type FlagDetail, type TrustFlag } from '../trust.ts';
import { currentOffers, type ProviderScope } from './current-offers.ts';
import { currentSnapshotIds } from './snapshots.ts';
import { isoOf } from './providers.ts';

export type { ProviderScope };

/** A GPU slug, or a family (`any-h100`: every H100 variant, adapters/gpu-families.ts). */
function gpuMatch(slug: string): SQL {
	return sql`gpu = any(${sql.param(gpuSlugsOf(slug))}::text[])`;
}

/** Conditions on the current offers (currentOffers already holds the provider scope). */
function whereOf(f: OfferFilters): SQL {
	const parts: SQL[] = [sql`true`];
	if (f.gpu) parts.push(gpuMatch(f.gpu));
	if (f.minVramGb !== undefined) parts.push(sql`vram_gb >= ${f.minVramGb}`);
	if (f.gpuCount !== undefined) parts.push(sql`gpu_count = ${f.gpuCount}`);
	if (f.pricing) parts.push(sql`pricing = ${f.pricing}`);
	if (f.cloud) parts.push(sql`cloud = ${f.cloud}`);
	if (f.provider) parts.push(sql`provider = ${f.provider}`);
	if (f.region) parts.push(sql`region = ${f.region}`);
	// available=true narrows to rentable offers (unknown stock, null, is left out); unset lists every offer.
	if (f.available === true) parts.push(sql`available`);
	return sql.join(parts, sql` and `);
}

export interface OfferRow extends NormalizedOffer {
	gpuDisplayName: string;
	/** trust flags fired when the snapshot was stored (src/lib/trust.ts) */
	flags: TrustFlag[];
	/** false: no price is taken from this offer */
	trusted: boolean;
	/** per flag: rule, value, threshold (and market median) */
	flagDetails: FlagDetail[];
	/** why it is untrusted, in words; null when trusted */
	trustReason: string | null;
}

type RawOffer = {
	provider: ProviderId;
	gpu: string;
	gpu_name: string;
	gpu_count: number;
	vram_gb: number;
	pricing: Pricing;
	cloud: Cloud | null;
	region: string;
	price_per_hour_usd: number;
	price_per_gpu_hour_usd: number;
	available: boolean | null;
	observed_at: string;
	offer_ref: string | null;
	reliability: number | null;
	verified: boolean | null;
	vcpus: number | null;
	ram_gb: number | null;
	disk_gb: number | null;
	inet_down_mbps: number | null;
	inet_up_mbps: number | null;
	extra: Record<string, unknown> | string | null;
	flags: TrustFlag[] | string;
	trusted: boolean;
	flag_details: FlagDetail[] | string | null;
	source: OfferSource;
	matched: number;
	untrusted_n: number;
};

/** A text[] column as a driver returns it: an array, or (some paths) Postgres' '{a,b}' literal. */
function textList<T extends string>(v: T[] | string): T[] {
	if (Array.isArray(v)) return v;
	const inner = v.replace(/^\{|\}$/g, '');
	return (inner ? inner.split(',') : []) as T[];
}

const OFFER_ORDER = {
	price: sql`price_per_gpu_hour_usd`,
	gpuCount: sql`gpu_count`,
	provider: sql`provider`,
	region: sql`region`
} as const;

export interface ListOffersOptions {
	limit: number;
	scope: ProviderScope;
	/** true: trusted offers only; false: untrusted only; absent: both */
	trusted?: boolean;
	sort?: keyof typeof OFFER_ORDER;
	dir?: 'asc' | 'desc';
}

/**
 * Current offers matching the filters, cheapest per GPU-hour first (or by `sort`), with the total and how
 * many of the matching offers are untrusted (whatever `trusted` keeps: the GPU page says how many it hides).
 */
export async function listOffers(
	db: Db,
	filters: OfferFilters,
	opts: ListOffersOptions
): Promise<{ offers: OfferRow[]; total: number; untrusted: number }> {
	const order = OFFER_ORDER[opts.sort ?? 'price'];
	const dir = opts.dir === 'desc' ? sql`desc` : sql`asc`;
	const keep = opts.trusted === undefined ? sql`true` : sql`trusted = ${opts.trusted}`;
	const list = await rows<RawOffer>(
		db,
		sql`select * from (
		      select id, provider, gpu, gpu_name, gpu_count, vram_gb, pricing, cloud, region, price_per_hour_usd,
		             price_per_gpu_hour_usd, available, ${isoOf('observed_at')} as observed_at, offer_ref,
		             reliability, verified, vcpus, ram_gb, disk_gb, inet_down_mbps, inet_up_mbps, extra,
		             flags, trusted, flag_details, source,
		             (count(*) over ())::int as matched,
		             (count(*) filter (where not trusted) over ())::int as untrusted_n
		      from ${currentOffers(opts.scope)} o where ${whereOf(filters)}
		    ) x where ${keep}
		    order by ${order} ${dir}, price_per_gpu_hour_usd asc, id asc
		    limit ${opts.limit}`
	);
	let matched = 0;
	let untrusted = 0;
	if (list.length) {
		matched = Number(list[0]!.matched);
		untrusted = Number(list[0]!.untrusted_n);
	} else if (opts.trusted !== undefined) {
		// Nothing kept: the counts come from a plain count (an empty page still says what it hides).
		const [c] = await rows<{ matched: number; untrusted_n: number }>(
			db,
			sql`select count(*)::int as matched, (count(*) filter (where not trusted))::int as untrusted_n
			    from ${currentOffers(opts.scope)} o where ${whereOf(filters)}`
		);
		matched = Number(c?.matched ?? 0);
		untrusted = Number(c?.untrusted_n ?? 0);
	}
	const total = opts.trusted === undefined ? matched : opts.trusted ? matched - untrusted : untrusted;
	return {
		total,
		untrusted,
		offers: list.map((r) => ({
			provider: r.provider,
			gpu: r.gpu,
			gpuName: r.gpu_name,
			gpuDisplayName: gpuBySlug(r.gpu)?.name ?? r.gpu,
			gpuCount: Number(r.gpu_count),
			vramGb: Number(r.vram_gb),
			pricing: r.pricing,
			cloud: r.cloud,
			region: r.region,
			pricePerHourUsd: Number(r.price_per_hour_usd),
			pricePerGpuHourUsd: Number(r.price_per_gpu_hour_usd),
			available: r.available,
			observedAt: r.observed_at,
			offerRef: r.offer_ref,
			reliability: r.reliability === null ? null : Number(r.reliability),
			verified: r.verified,
			vcpus: r.vcpus === null ? null : Number(r.vcpus),
			ramGb: r.ram_gb === null ? null : Number(r.ram_gb),
			diskGb: r.disk_gb === null ? null : Number(r.disk_gb),
			inetDownMbps: r.inet_down_mbps === null ? null : Number(r.inet_down_mbps),
			inetUpMbps: r.inet_up_mbps === null ? null : Number(r.inet_up_mbps),
			extra: typeof r.extra === 'string' ? (JSON.parse(r.extra) as Record<string, unknown>) : r.extra,
			...trustOf(r),
			source: r.source
		}))
	};
}

function trustOf(r: Pick<RawOffer, 'flags' | 'trusted' | 'flag_details'>) {
	const flagDetails =
		typeof r.flag_details === 'string'
			? (JSON.parse(r.flag_details) as FlagDetail[])
			: (r.flag_details ?? []);
	return {
		flags: textList(r.flags),
		trusted: r.trusted,
		flagDetails,
		trustReason: trustReason(flagDetails)
	};
}

/** The cheapest price of one GPU at one provider for one pricing. */
export interface PriceCell {
	/** cheapest offer that can be rented now; null when every matching offer is sold out */
	minAvailableUsd: number | null;
	/** cheapest listed offer, available or not */
	minListedUsd: number;
	offers: number;
	availableOffers: number;
}

export interface CompareRow {
	gpu: string;
	name: string;
	vendor: GpuSpec['vendor'];
	vramGb: number;
	/** position in the catalog (its curated order) */
	catalogIndex: number;
	cells: Record<ProviderId, Record<Pricing, PriceCell | null>>;
	bestOnDemandUsd: number | null;
	bestSpotUsd: number | null;
	/**
	 * USD per million training tokens of the reference QLoRA job (REFERENCE_QLORA_JOB) at the best
	 * on-demand price: a cheap slow card and a dear fast one compared on the job, not the hour. Null when
	 * there is no price or the job does not fit the card.
	 */
	qloraUsdPerMTokens: number | null;
	offers: number;
	availableOffers: number;
}

/** The reference job of the performance-normalized column, in words for the pages. */
export const REFERENCE_JOB_TEXT = `${REFERENCE_QLORA_JOB.model} QLoRA (rank ${REFERENCE_QLORA_JOB.loraRank}, ${REFERENCE_QLORA_JOB.loraTargets}, ${REFERENCE_QLORA_JOB.seqLen}-token sequences, ${REFERENCE_QLORA_JOB.gpuCount} GPU)`;

/** USD per million tokens of the reference QLoRA job at a per-GPU-hour price (see CompareRow). */
export function qloraUsdPerMTokens(gpu: string, pricePerGpuHourUsd: number | null): number | null {
	return pricePerGpuHourUsd === null ? null : usdPerMillionTrainingTokens(gpu, pricePerGpuHourUsd);
}

/**
 * The version of "now" for a scope: the current snapshot id of each provider. Any snapshot stored by
 * any instance changes it, so views derived from the current snapshots can be kept per version and are
 * exact: the compare table and its filter choices change only when a poll stores a snapshot, while
 * they are read on every visit (three index lookups instead of the aggregation; npm run bench).
 */
async function snapshotVersion(db: Db, scope: ProviderScope): Promise<string> {
	const [r] = await rows<{ v: string | null }>(
		db,
		sql`select string_agg(coalesce(c.id::text, '-'), ',') as v from (${currentSnapshotIds(scope)}) as c(id)`
	);
	return `${scope.join(',')}:${r?.v ?? ''}`;
}

/** Views of the current snapshots, per database handle, for the version they were computed at. */
const views = new WeakMap<Db, { version: string; entries: Map<string, Promise<unknown>> }>();
/** Distinct filter combinations kept per version (most recent first out when full). */
const MAX_VIEWS = 64;

async function perSnapshotVersion<T>(
	db: Db,
	scope: ProviderScope,
	key: string,
	compute: () => Promise<T>
): Promise<T> {
	const version = await snapshotVersion(db, scope);
	let cache = views.get(db);
	if (!cache || cache.version !== version) views.set(db, (cache = { version, entries: new Map() }));
	let hit = cache.entries.get(key) as Promise<T> | undefined;
	if (!hit) {
		hit = compute();
		cache.entries.set(key, hit);
		if (cache.entries.size > MAX_VIEWS) cache.entries.delete(cache.entries.keys().next().value!);
		// A failed computation is not kept.
		const entries = cache.entries;
		hit.catch(() => entries.delete(key));
	}
	return hit;
}

/**
 * The filters on the current snapshots' full-key aggregates (provider, gpu, gpuCount, pricing, cloud,
 * region): every compare filter is a column of that key, VRAM through the catalog (an offer's vramGb is
 * its catalog GPU's — the adapters set it so).
 */
function aggregateWhere(f: OfferFilters, scope: ProviderScope): SQL {
	const parts: SQL[] = [sql`snapshot_id in (${currentSnapshotIds(scope)})`];
	if (f.gpu) parts.push(gpuMatch(f.gpu));
	if (f.minVramGb !== undefined) {
		const slugs = GPUS.filter((g) => g.vramGb >= f.minVramGb!).map((g) => g.slug);
		parts.push(sql`gpu = any(${sql.param(slugs)}::text[])`);
	}
	if (f.gpuCount !== undefined) parts.push(sql`gpu_count = ${f.gpuCount}`);
	if (f.pricing) parts.push(sql`pricing = ${f.pricing}`);
	if (f.cloud) parts.push(sql`cloud = ${f.cloud}`);
	if (f.provider) parts.push(sql`provider = ${f.provider}`);
	if (f.region) parts.push(sql`region = ${f.region}`);
	if (f.available === true) parts.push(sql`available_n > 0`);
	return sql.join(parts, sql` and `);
}

/**
 * One row per GPU: the cheapest current on-demand and spot price per GPU-hour at each provider. Read
 * from the per-poll aggregates of the current snapshots (a few thousand rows a poll leaves, instead of
 * every offer): the page stays fast however large vast.ai's market gets (npm run bench).
 */
export async function compareByGpu(
	db: Db,
	filters: OfferFilters,
	scope: ProviderScope
): Promise<CompareRow[]> {
	const key = 'compare:' + JSON.stringify(Object.entries(filters).sort());
	return perSnapshotVersion(db, scope, key, () => computeCompareRows(db, filters, scope));
}

async function computeCompareRows(
	db: Db,
	filters: OfferFilters,
	scope: ProviderScope
): Promise<CompareRow[]> {
	const listedOnly = filters.available === true;
	const [data] = await rows<{ groups: string | null }>(
		db,
		sql`select json_agg(json_build_array(gpu, provider, pricing, min_available, min_listed, n, available_n))::text
		           as groups
		    from (select gpu, provider, pricing,
		                 min(min_available_usd) as min_available,
		                 ${listedOnly ? sql`min(min_available_usd)` : sql`min(min_usd)`} as min_listed,
		                 sum(${listedOnly ? sql`available_n` : sql`n`})::int as n,
		                 sum(available_n)::int as available_n
		          from price_aggregates where ${aggregateWhere(filters, scope)}
		          group by gpu, provider, pricing) g`
	);
	const groups = (
		JSON.parse(data?.groups ?? '[]') as [string, ProviderId, Pricing, number | null, number, number, number][]
	).map(([gpu, provider, pricing, min_available, min_listed, n, available_n]) => ({
		gpu,
		provider,
		pricing,
		min_available,
		min_listed,
		n,
		available_n
	}));
	const byGpu = new Map<string, CompareRow>();
	for (const g of groups) {
		let row = byGpu.get(g.gpu);
		if (!row) {
			const spec = gpuBySlug(g.gpu);
			const cells = Object.fromEntries(
				PROVIDERS.map((p) => [p, { on_demand: null, spot: null }])
			) as CompareRow['cells'];
			row = {
				gpu: g.gpu,
				name: spec?.name ?? g.gpu,
				vendor: spec?.vendor ?? 'nvidia',
				vramGb: spec?.vramGb ?? 0,
				catalogIndex: spec ? GPUS.indexOf(spec) : GPUS.length,
				cells,
				bestOnDemandUsd: null,
				bestSpotUsd: null,
				qloraUsdPerMTokens: null,
				offers: 0,
				availableOffers: 0
			};
			byGpu.set(g.gpu, row);
		}
		const cell: PriceCell = {
			minAvailableUsd: g.min_available === null ? null : Number(g.min_available),
			minListedUsd: Number(g.min_listed),
			offers: Number(g.n),
			availableOffers: Number(g.available_n)
		};
		row.cells[g.provider][g.pricing] = cell;
		row.offers += cell.offers;
		row.availableOffers += cell.availableOffers;
		if (cell.minAvailableUsd !== null) {
			const key = g.pricing === 'spot' ? 'bestSpotUsd' : 'bestOnDemandUsd';
			const cur = row[key];
			row[key] = cur === null ? cell.minAvailableUsd : Math.min(cur, cell.minAvailableUsd);
		}
	}
	const list = [...byGpu.values()].sort((a, b) => a.catalogIndex - b.catalogIndex);
	for (const row of list) row.qloraUsdPerMTokens = qloraUsdPerMTokens(row.gpu, row.bestOnDemandUsd);
	return list;
}

/** Filter choices present in the current data: GPUs with offers, regions per provider, GPU counts. */
export async function filterOptions(
	db: Db,
	scope: ProviderScope
): Promise<{
	gpus: { slug: string; name: string }[];
	regions: { provider: ProviderId; region: string }[];
	gpuCounts: number[];
}> {
	return perSnapshotVersion(db, scope, 'options', () => computeFilterOptions(db, scope));
}

async function computeFilterOptions(db: Db, scope: ProviderScope) {
	const [r] = await rows<{ gpus: string | null; regions: string | null; counts: string | null }>(
		db,
		sql`with a as (select gpu, provider, region, gpu_count from price_aggregates
		               where snapshot_id in (${currentSnapshotIds(scope)}))
		    select (select json_agg(distinct gpu) from a)::text as gpus,
		           (select json_agg(json_build_array(provider, region) order by region, provider)
		              from (select distinct provider, region from a where region <> '') x)::text as regions,
		           (select json_agg(distinct gpu_count order by gpu_count) from a)::text as counts`
	);
	const present = new Set(JSON.parse(r?.gpus ?? '[]') as string[]);
	return {
		gpus: GPUS.filter((g) => present.has(g.slug)).map((g) => ({ slug: g.slug, name: g.name })),
		regions: (JSON.parse(r?.regions ?? '[]') as [ProviderId, string][]).map(([provider, region]) => ({
			provider,
			region
		})),
		gpuCounts: (JSON.parse(r?.counts ?? '[]') as number[]).map(Number)
	};
}

export interface GpuPriceSummary {
	onDemand: { pricePerGpuHourUsd: number; provider: ProviderId } | null;
	spot: { pricePerGpuHourUsd: number; provider: ProviderId } | null;
	offers: number;
	availableOffers: number;
	/** listed offers no price is taken from (src/lib/trust.ts) */
	untrustedOffers: number;
}

/** Per GPU: the cheapest available trusted on-demand and spot price (and where), and offer counts. */
export async function cheapestByGpu(db: Db, scope: ProviderScope): Promise<Map<string, GpuPriceSummary>> {
	const best = await rows<{
		gpu: string;
		pricing: Pricing;
		provider: ProviderId;
		price: number;
	}>(
		db,
		sql`select distinct on (gpu, pricing) gpu, pricing, provider, price_per_gpu_hour_usd as price
		    from ${currentOffers(scope, { trusted: true })} o where available
		    order by gpu, pricing, price_per_gpu_hour_usd asc, provider`
	);
	const counts = await rows<{ gpu: string; n: number; available_n: number; untrusted_n: number }>(
		db,
		sql`select gpu, count(*)::int as n, (count(*) filter (where available))::int as available_n,
		           (count(*) filter (where not trusted))::int as untrusted_n
		    from ${currentOffers(scope)} o group by gpu`
	);
	const out = new Map<string, GpuPriceSummary>();
	for (const c of counts) {
		out.set(c.gpu, {
			onDemand: null,
			spot: null,
			offers: Number(c.n),
			availableOffers: Number(c.available_n),
			untrustedOffers: Number(c.untrusted_n)
		});
	}
	for (const b of best) {
		const entry = out.get(b.gpu);
		if (!entry) continue;
		const v = { pricePerGpuHourUsd: Number(b.price), provider: b.provider };
		if (b.pricing === 'spot') entry.spot = v;
		else entry.onDemand = v;
	}
	return out;
}

type CompareSortKey = CompareSort;

/** Sorts compare rows; GPUs without a price in the sorted column go last in either direction. */
export function sortCompareRows(list: CompareRow[], sort: CompareSortKey, dir: 'asc' | 'desc'): CompareRow[] {
	const sign = dir === 'desc' ? -1 : 1;
	const value = (r: CompareRow): number | string | null => {
		switch (sort) {
			case 'gpu':
				return r.name.toLowerCase();
			case 'vram':
				return r.vramGb;
			case 'onDemand':
				return r.bestOnDemandUsd;
			case 'spot':
				return r.bestSpotUsd;
			case 'perf':
				return r.qloraUsdPerMTokens;
			case 'offers':
				return r.offers;
			default:
				return r.catalogIndex;
		}
	};
	return [...list].sort((a, b) => {
		const va = value(a);
		const vb = value(b);
		if (va === null && vb === null) return a.catalogIndex - b.catalogIndex;
		if (va === null) return 1;
		if (vb === null) return -1;
		const c = typeof va === 'string' ? va.localeCompare(vb as string) : va - (vb as number);
		return c !== 0 ? sign * c : a.catalogIndex - b.catalogIndex;
	});
}
