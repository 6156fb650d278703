/**
 * The daily-aggregate CSV of cherielilili/gpu-pricing-tracker (format `tracker-csv`; columns in
 * docs/providers.md §5.1): one row per day × provider × GPU × GPU count ×
 * region × rental type with min/median/max per GPU-hour and the number of offers behind them. Stored as
 * published.
 */
import type { ProviderId } from '#adapters/types.ts';
import { slugForTrackerName } from './archive-names.ts';
import {
	bump,
	columnIndex,
	price,
	PROGRESS_EVERY,
	validGpuCount,
	type ArchiveObservation,
	type ParsedArchive,
	type ParseOptions
} from './archive-rows.ts';

export const TRACKER_HEADER = [
	'date',
	'provider',
	'gpu_model',
	'gpu_count',
	'region',
	'rental_type',
	'price_min_usd',
	'price_median_usd',
	'price_max_usd',
	'n_offers',
	'source_url',
	'fetched_at'
] as const;

/** The tracker's provider names → ours. */
const TRACKER_PROVIDERS: Record<string, ProviderId> = {
	'vast.ai': 'vastai',
	runpod: 'runpod',
	lambda: 'lambda'
};

/**
 * The tracker's RunPod "region" is really which price field it read (archive/README.md): `secure` =
 * securePrice (Secure Cloud), `community` + spot = communitySpotPrice (Community Cloud), `any` =
 * lowestPrice.uninterruptablePrice / minimumBidPrice — the lowest over both clouds, so no cloud ('').
 */
const RUNPOD_REGION_CLOUD: Record<string, string> = { secure: 'secure', community: 'community' };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function parseTracker(header: string[], body: string[][], opts: ParseOptions): ParsedArchive {
	const col = columnIndex(header);
	const observations: ArchiveObservation[] = [];
	const unmapped: Record<string, number> = {};
	const invalid: Record<string, number> = {};
	body.forEach((row, i) => {
		if (opts.onProgress && i % PROGRESS_EVERY === 0) opts.onProgress(i, body.length);
		if (row.length !== header.length) return bump(invalid, 'number of fields');
		const date = col(row, 'date')?.trim() ?? '';
		const provider = TRACKER_PROVIDERS[col(row, 'provider')?.trim() ?? ''];
		const gpuName = col(row, 'gpu_model')?.trim() ?? '';
		const gpuCount = Number(col(row, 'gpu_count'));
		const region = col(row, 'region')?.trim() ?? '';
		const rental = col(row, 'rental_type')?.trim();
		const minUsd = price(col(row, 'price_min_usd'));
		const medianUsd = price(col(row, 'price_median_usd'));
		const maxUsd = price(col(row, 'price_max_usd'));
		const n = Number(col(row, 'n_offers'));
		if (!provider) return bump(invalid, `provider "${(col(row, 'provider') ?? '').slice(0, 40)}"`);
		if (!DATE_RE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) return bump(invalid, 'date');
		if (rental !== 'on_demand' && rental !== 'spot') return bump(invalid, 'rental_type');
		if (!validGpuCount(gpuCount)) return bump(invalid, 'gpu_count');
		if (minUsd === undefined || medianUsd === undefined || maxUsd === undefined)
			return bump(invalid, 'price');
		if (!(minUsd <= medianUsd && medianUsd <= maxUsd)) return bump(invalid, 'min ≤ median ≤ max');
		if (!Number.isInteger(n) || n < 0) return bump(invalid, 'n_offers');
		if (!region) return bump(invalid, 'region');
		const gpu = slugForTrackerName(gpuName);
		if (!gpu) return bump(unmapped, gpuName.slice(0, 60) || '(empty)');
		const cloud = provider === 'runpod' ? (RUNPOD_REGION_CLOUD[region] ?? '') : '';
		const fetched = col(row, 'fetched_at')?.trim();
		const fetchedMs = fetched ? Date.parse(fetched) : NaN;
		observations.push({
			t: `${date}T00:00:00.000Z`,
			provider,
			gpu,
			sourceGpuName: gpuName,
			gpuCount,
			region: region.slice(0, 40),
			pricing: rental,
			cloud,
			minUsd,
			medianUsd,
			maxUsd,
			n,
			sourceUrl: col(row, 'source_url')?.trim().slice(0, 300) || null,
			fetchedAt: Number.isNaN(fetchedMs) ? null : new Date(fetchedMs).toISOString()
		});
	});
	opts.onProgress?.(body.length, body.length);
	return { format: 'tracker-csv', rowsTotal: body.length, observations, unmapped, invalid };
}
