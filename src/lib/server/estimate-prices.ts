/**
 * Prices for the estimator: the cheapest available offers of the current snapshot of each provider, and
 * the archive's median as a reference. Read-only verb functions, database handle first.
 *
 * "Current" = offers whose snapshot is the newest snapshot of its provider (the poller keeps only those
 * offers, but a half-finished write must never be read as current). Per GPU × provider × pricing × box
 * size we keep the cheapest box; the estimator decides which box sizes can run a job (estimator/cost.ts).
 */
import { sql } from 'drizzle-orm';
import { GPU_SLUGS } from '#catalog/gpus.ts';
import type { ArchiveReference, OfferSummary } from '../estimator/index.ts';
import { currentOffers, type ProviderScope } from './offers/current.ts';
import { isoFromMs, num, rows, type Db } from './db/index.ts';
import { currentSnapshotIds } from './poll/snapshots.ts';

/** Provider strings are data: capped before they reach a page (rendered escaped there). */
const MAX_TEXT = 80;
const cap = (s: string | null): string | null => (s === null ? null : s.slice(0, MAX_TEXT));

/** Days of archived daily medians the reference median is taken over (the newest archived month). */
export const ARCHIVE_WINDOW_DAYS = 30;

interface OfferRow {
	id: number | string;
	provider: string;
	gpu: string;
	gpu_name: string;
	gpu_count: number;
	pricing: string;
	cloud: string | null;
	region: string;
	price_per_hour_usd: number;
	price_per_gpu_hour_usd: number;
	observed_ms: number;
	offer_ref: string | null;
}

/**
 * The cheapest available trusted offer per GPU × provider × pricing × GPU count in the current snapshot
 * of each provider in `scope` (the enabled ones: a switched-off provider's old snapshot prices nothing).
 */
export async function readCurrentOffers(db: Db, scope: ProviderScope, gpu?: string): Promise<OfferSummary[]> {
	const result = await rows<OfferRow>(
		db,
		sql`select distinct on (o.gpu, o.provider, o.pricing, o.gpu_count)
			o.id, o.provider, o.gpu, o.gpu_name, o.gpu_count, o.pricing, o.cloud, o.region,
			o.price_per_hour_usd, o.price_per_gpu_hour_usd,
			extract(epoch from o.observed_at)::float8 * 1000 as observed_ms, o.offer_ref
		from ${currentOffers(scope, { trusted: true })} o
		-- unknown stock (null: a list price from SkyPilot's catalog) counts as a trusted list price
		where o.available is not false and o.price_per_hour_usd > 0 and o.gpu_count > 0
			${gpu === undefined ? sql`` : sql`and o.gpu = ${gpu}`}
		order by o.gpu, o.provider, o.pricing, o.gpu_count, o.price_per_hour_usd, o.id`
	);
	return result.map((r) => ({
		id: num(r.id),
		provider: r.provider,
		gpu: r.gpu,
		gpuName: cap(r.gpu_name) ?? '',
		gpuCount: num(r.gpu_count),
		pricing: r.pricing,
		cloud: cap(r.cloud),
		region: cap(r.region) ?? '',
		pricePerHourUsd: num(r.price_per_hour_usd),
		pricePerGpuHourUsd: num(r.price_per_gpu_hour_usd),
		observedAt: isoFromMs(r.observed_ms)!,
		offerRef: cap(r.offer_ref)
	}));
}

export interface ProviderSnapshot {
	provider: string;
	observedAt: string;
	availableCount: number;
	/** `skypilot-catalog`: list prices of unknown stock (Lambda without a key), labelled on the cost rows */
	source: string;
}

/** The current snapshot of each provider in scope (for "prices as of …" and the no-offers message). */
export async function readCurrentSnapshots(db: Db, scope: ProviderScope): Promise<ProviderSnapshot[]> {
	const result = await rows<{
		provider: string;
		observed_ms: number;
		available_count: number;
		source: string;
	}>(
		db,
		sql`select provider, extract(epoch from observed_at)::float8 * 1000 as observed_ms, available_count, source
		    from snapshots
		    where id in (${currentSnapshotIds(scope)}) order by provider`
	);
	return result.map((r) => ({
		provider: r.provider,
		observedAt: isoFromMs(r.observed_ms)!,
		availableCount: num(r.available_count),
		source: r.source
	}));
}

/**
 * The archive's reference price per GPU: the median of the archived daily on-demand medians (one per
 * provider and cloud and day) over the newest ARCHIVE_WINDOW_DAYS archived days of that GPU. Reads
 * `price_history` day points with source 'archive' through its primary key (gpu, resolution, t, …).
 */
export async function readArchiveReferences(db: Db, gpus: string[] = GPU_SLUGS): Promise<ArchiveReference[]> {
	if (gpus.length === 0) return [];
	const result = await rows<{
		gpu: string;
		median: number;
		from_ms: number;
		to_ms: number;
		days: number;
	}>(
		db,
		sql`select g.gpu, s.median, extract(epoch from s.t_from)::float8 * 1000 as from_ms,
			extract(epoch from s.t_to)::float8 * 1000 as to_ms, s.days
		from unnest(${sql.param(gpus)}::text[]) as g(gpu)
		cross join lateral (
			select max(t) as t_max from price_history
			where gpu = g.gpu and resolution = 'day' and source = 'archive' and pricing = 'on_demand'
		) l
		cross join lateral (
			select percentile_cont(0.5) within group (order by p.median_usd) as median,
				min(p.t) as t_from, max(p.t) as t_to, count(distinct p.t)::int as days
			from price_history p
			where p.gpu = g.gpu and p.resolution = 'day' and p.source = 'archive' and p.pricing = 'on_demand'
				and p.t > l.t_max - make_interval(days => ${ARCHIVE_WINDOW_DAYS})
		) s
		where l.t_max is not null`
	);
	return result.map((r) => ({
		gpu: r.gpu,
		medianPerGpuHourUsd: num(r.median),
		from: isoFromMs(r.from_ms)!.slice(0, 10),
		to: isoFromMs(r.to_ms)!.slice(0, 10),
		days: num(r.days)
	}));
}
