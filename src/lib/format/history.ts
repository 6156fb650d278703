/**
 * Labels and formatting of history series, shared by the server and the browser (no server imports).
 * Builds on the shared display helpers (./common.ts).
 */
import { providerLabel } from './common.ts';

export const PRICING_LABELS: Record<string, string> = { on_demand: 'on-demand', spot: 'spot' };

export interface SeriesKey {
	provider: string;
	pricing: string;
	/** 'secure' | 'community' | '' */
	cloud: string;
	/** 'live' | 'archive' */
	source: string;
}

/** One bucket of a series: USD per GPU-hour. */
export interface HistoryPoint {
	/** bucket start, ISO 8601 UTC */
	t: string;
	min: number;
	median: number;
	max: number;
	n: number;
}

/** A series as `/api/history` answers it, the chart draws it and the table lists it. */
export interface HistorySeries extends SeriesKey {
	points: HistoryPoint[];
}

/**
 * "RunPod secure · on-demand". A RunPod series without a cloud is the archive's lowest price over both
 * clouds (archive/README.md), so it says so.
 */
export function seriesLabel(s: Omit<SeriesKey, 'source'> & { source?: string }): string {
	// One naming for live and archive series: the provider, then its cloud where the source says which
	// ("RunPod secure cloud"); a series without a cloud is the provider's whole list ("RunPod").
	let name = providerLabel(s.provider);
	if (s.cloud) name += ` ${s.cloud} cloud`;
	return `${name} · ${PRICING_LABELS[s.pricing] ?? s.pricing}`;
}

export function seriesId(s: SeriesKey): string {
	return [s.source, s.provider, s.pricing, s.cloud || '-'].join(':');
}

/** Time of a point in UTC: a date for day buckets, date and time otherwise. */
export function formatPointTime(ms: number, bucketSeconds: number): string {
	const iso = new Date(ms).toISOString();
	return bucketSeconds >= 86_400 ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function percent(v: number | null | undefined): string {
	if (v === null || v === undefined || !Number.isFinite(v)) return '—';
	const p = v * 100;
	const s = Math.abs(p) < 0.05 ? '0.0' : p.toFixed(1);
	return `${p > 0.05 ? '+' : ''}${s}%`;
}

const BUCKET_WORDS: Record<string, string> = {
	'5m': '5 minutes',
	'10m': '10 minutes',
	'30m': '30 minutes',
	'1h': 'hour',
	'3h': '3 hours',
	'6h': '6 hours',
	'12h': '12 hours',
	'1d': 'day',
	'2d': '2 days',
	'7d': 'week',
	'30d': '30 days',
	'90d': '90 days',
	'365d': '365 days'
};

/** "day", "12 hours" … for a bucket key. */
export function bucketWords(key: string): string {
	return BUCKET_WORDS[key] ?? key;
}

/** A query string with one parameter set (the others kept), e.g. the range links of the GPU page. */
export function withParam(search: string, key: string, value: string): string {
	const params = new URLSearchParams(search);
	params.set(key, value);
	return `?${params.toString()}`;
}
