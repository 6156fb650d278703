/**
 * The compare page's table and filter choices, and each GPU's cheapest current price (home page, GPU
 * pages): read from the current snapshots (./views.ts keeps them per snapshot version).
 */
import { sql, type SQL } from 'drizzle-orm';
import { GPUS, gpuBySlug, type GpuSpec } from '#catalog/gpus.ts';
import { PROVIDERS, type Pricing, type ProviderId } from '#adapters/types.ts';
import { REFERENCE_QLORA_JOB, usdPerMillionTrainingTokens } from '../../estimator/index.ts';
import type { CompareSort, OfferFilters } from '../../offers/filters.ts';
import { rows, type Db } from '../db/index.ts';
import { currentOffers, type ProviderScope } from './current.ts';
import { currentSnapshotIds } from '../poll/snapshots.ts';
import { gpuMatch } from './list.ts';
import { perSnapshotVersion } from './views.ts';

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
