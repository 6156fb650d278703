/**
 * Reading the current offers. The `offers` table holds exactly the current snapshot of each provider
 * (src/lib/server/poll/snapshots.ts replaces a provider's offers in the same transaction that stores its new snapshot), so
 * every query here reads "now" without joining snapshots.
 */
import { sql, type SQL } from 'drizzle-orm';
import { gpuBySlug } from '#catalog/gpus.ts';
import { gpuSlugsOf } from '#catalog/gpu-families.ts';
import {
	type Cloud,
	type NormalizedOffer,
	type OfferSource,
	type Pricing,
	type ProviderId
} from '#adapters/types.ts';
import type { OfferFilters } from '../../offers/filters.ts';
import { json, numOrNull, rows, textList, type Db } from '../db/index.ts';
import { trustReason, type FlagDetail, type TrustFlag } from '../../trust.ts';
import { currentOffers, type ProviderScope } from './current.ts';
import { isoOf } from '../providers.ts';

/** A GPU slug, or a family (`any-h100`: every H100 variant, src/lib/catalog/gpu-families.ts). */
export function gpuMatch(slug: string): SQL {
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
			reliability: numOrNull(r.reliability),
			verified: r.verified,
			vcpus: numOrNull(r.vcpus),
			ramGb: numOrNull(r.ram_gb),
			diskGb: numOrNull(r.disk_gb),
			inetDownMbps: numOrNull(r.inet_down_mbps),
			inetUpMbps: numOrNull(r.inet_up_mbps),
			extra: json(r.extra),
			...trustOf(r),
			source: r.source
		}))
	};
}

function trustOf(r: Pick<RawOffer, 'flags' | 'trusted' | 'flag_details'>) {
	const flagDetails = json(r.flag_details) ?? [];
	return {
		flags: textList(r.flags),
		trusted: r.trusted,
		flagDetails,
		trustReason: trustReason(flagDetails)
	};
}
