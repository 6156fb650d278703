/**
 * Trends: 7- and 30-day changes of the cheapest and median price per GPU-hour for every series
 * (GPU × provider × pricing × cloud), the biggest movers, and a per-class index — all computed from the
 * stored day points (price_history, resolution 'day'), live and archive kept apart.
 *
 * Each series is measured from its own newest day point back: when the only data is the archive (it
 * ended 2026-07-20), the figures are the archive's last weeks, labelled with their dates as archive,
 * never as current.
 */
import { sql } from 'drizzle-orm';
import { GPUS, gpuBySlug } from '#catalog/gpus.ts';
import type { ProviderScope } from './offers/current.ts';
import { rows, type Db } from './db/index.ts';

const DAY_MS = 86_400_000;
/** Days of day points read per series: the 30-day window plus the matching tolerance. */
const WINDOW_DAYS = 33;
/**
 * How far the comparison point may sit from exactly 7 / 30 days before the newest point: a day (a
 * missed daily collection in the archive) and two days. Beyond that the change is shown as "—".
 */
const TOLERANCE_DAYS: Record<7 | 30, number> = { 7: 1, 30: 2 };
/** Sparkline: the daily median over the last 30 days of the series. */
const SPARK_DAYS = 30;
/** Movers listed each way. */
export const MOVERS_EACH_WAY = 5;

export interface Change {
	/** fraction: 0.05 = +5 % */
	cheapest: number | null;
	median: number | null;
	/** the day compared against, YYYY-MM-DD */
	fromDay: string;
}

export interface TrendRow {
	gpu: string;
	gpuName: string;
	provider: string;
	pricing: string;
	cloud: string;
	source: string;
	/** newest day point, YYYY-MM-DD */
	asOf: string;
	cheapestUsd: number;
	medianUsd: number;
	n: number;
	change7: Change | null;
	change30: Change | null;
	/** daily medians (oldest first) over the last 30 days of the series, with their days */
	spark: { day: string; median: number }[];
}

export interface ClassIndex {
	/** "80 GB datacenter" */
	label: string;
	gpus: string[];
	/** series (GPU × provider × cloud, on-demand) behind the level */
	seriesCount: number;
	/** mean of the members' newest on-demand medians, USD per GPU-hour */
	levelUsd: number;
	asOf: string;
	change7: number | null;
	change7Series: number;
	change30: number | null;
	change30Series: number;
}

export interface SourceTrends {
	source: 'live' | 'archive';
	newestDay: string | null;
	oldestDay: string | null;
	rows: TrendRow[];
	moversUp: TrendRow[];
	moversDown: TrendRow[];
	classes: ClassIndex[];
}

export interface Trends {
	live: SourceTrends;
	archive: SourceTrends;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

type Point = { t: number; min: number; median: number; n: number };

/** The point nearest to `target` within the tolerance (the earlier one on a tie), or undefined. */
function pointNear(points: Point[], target: number, toleranceDays: number): Point | undefined {
	let best: Point | undefined;
	for (const p of points) {
		const off = Math.abs(p.t - target);
		if (off > toleranceDays * DAY_MS) continue;
		if (!best || off < Math.abs(best.t - target)) best = p;
	}
	return best;
}

function ratio(now: number, then: number): number | null {
	return then > 0 ? now / then - 1 : null;
}

function change(points: Point[], latest: Point, days: 7 | 30): Change | null {
	const then = pointNear(points, latest.t - days * DAY_MS, TOLERANCE_DAYS[days]);
	if (!then || then.t >= latest.t) return null;
	return {
		cheapest: ratio(latest.min, then.min),
		median: ratio(latest.median, then.median),
		fromDay: day(then.t)
	};
}

const GPU_ORDER = new Map(GPUS.map((g, i) => [g.slug, i]));
const PROVIDER_ORDER: Record<string, number> = { vastai: 0, runpod: 1, lambda: 2 };

/**
 * `scope`: the enabled providers. Their live series only (a switched-off provider's old live points price
 * nothing); the archive is a record of the past and stays whole. Live points are of trusted offers only
 * (src/lib/server/poll/snapshots.ts), so a trend's cheapest never comes from an untrusted offer.
 */
export async function loadTrends(db: Db, scope: ProviderScope): Promise<Trends> {
	const data = await rows<{
		gpu: string;
		provider: string;
		pricing: string;
		cloud: string;
		source: string;
		t: number;
		min: number;
		median: number;
		n: number;
	}>(
		db,
		sql`with last as (
		      select gpu, provider, pricing, cloud, source, max(t) as last_t
		      from price_history where resolution = 'day'
		        and (source = 'archive' or provider = any(${sql.param([...scope])}::text[]))
		      group by gpu, provider, pricing, cloud, source
		    )
		    select p.gpu, p.provider, p.pricing, p.cloud, p.source, extract(epoch from p.t)::float8 * 1000 as t,
		           p.min_usd as min, p.median_usd as median, p.n
		    from price_history p
		    join last l on l.gpu = p.gpu and l.provider = p.provider and l.pricing = p.pricing
		               and l.cloud = p.cloud and l.source = p.source
		    where p.resolution = 'day' and p.t >= l.last_t - ${`${WINDOW_DAYS} days`}::interval
		    order by p.source, p.gpu, p.provider, p.pricing, p.cloud, p.t`
	);
	const series = new Map<string, { key: (typeof data)[number]; points: Point[] }>();
	for (const r of data) {
		const k = [r.source, r.gpu, r.provider, r.pricing, r.cloud].join('|');
		let s = series.get(k);
		if (!s) series.set(k, (s = { key: r, points: [] }));
		s.points.push({ t: Number(r.t), min: Number(r.min), median: Number(r.median), n: Number(r.n) });
	}
	const all: TrendRow[] = [];
	for (const { key, points } of series.values()) {
		const latest = points[points.length - 1]!;
		all.push({
			gpu: key.gpu,
			gpuName: gpuBySlug(key.gpu)?.name ?? key.gpu,
			provider: key.provider,
			pricing: key.pricing,
			cloud: key.cloud,
			source: key.source,
			asOf: day(latest.t),
			cheapestUsd: latest.min,
			medianUsd: latest.median,
			n: latest.n,
			change7: change(points, latest, 7),
			change30: change(points, latest, 30),
			spark: points
				.filter((p) => p.t > latest.t - SPARK_DAYS * DAY_MS)
				.map((p) => ({ day: day(p.t), median: p.median }))
		});
	}
	all.sort(
		(a, b) =>
			(GPU_ORDER.get(a.gpu) ?? 999) - (GPU_ORDER.get(b.gpu) ?? 999) ||
			(PROVIDER_ORDER[a.provider] ?? 9) - (PROVIDER_ORDER[b.provider] ?? 9) ||
			a.pricing.localeCompare(b.pricing) ||
			a.cloud.localeCompare(b.cloud)
	);
	return { live: forSource('live', all), archive: forSource('archive', all) };
}

function forSource(source: 'live' | 'archive', all: TrendRow[]): SourceTrends {
	const list = all.filter((r) => r.source === source);
	const days = list.map((r) => r.asOf).sort();
	const withMedian7 = list.filter((r) => r.change7?.median !== null && r.change7?.median !== undefined);
	const by7 = (r: TrendRow) => r.change7!.median!;
	const moversUp = withMedian7
		.filter((r) => by7(r) > 0)
		.sort((a, b) => by7(b) - by7(a))
		.slice(0, MOVERS_EACH_WAY);
	const moversDown = withMedian7
		.filter((r) => by7(r) < 0)
		.sort((a, b) => by7(a) - by7(b))
		.slice(0, MOVERS_EACH_WAY);
	const oldest = list.flatMap((r) => r.spark.map((s) => s.day)).sort()[0] ?? null;
	return {
		source,
		newestDay: days[days.length - 1] ?? null,
		oldestDay: oldest,
		rows: list,
		moversUp,
		moversDown,
		classes: classIndex(list)
	};
}

/** Class of a GPU for the index: memory as sold + catalog class ("80 GB datacenter", "24 GB consumer"). */
export function classLabel(gpu: string): string | undefined {
	const g = gpuBySlug(gpu);
	return g ? `${g.vramGb} GB ${g.class}` : undefined;
}

/**
 * Per class: the level is the mean of the newest on-demand medians of the class's series; a change is
 * the equal-weighted mean of the matched series' own changes (each series compared with itself 7 or 30
 * days earlier), so a provider appearing or disappearing does not move the index.
 */
function classIndex(list: TrendRow[]): ClassIndex[] {
	const groups = new Map<string, TrendRow[]>();
	for (const r of list) {
		if (r.pricing !== 'on_demand') continue;
		const label = classLabel(r.gpu);
		if (!label) continue;
		let g = groups.get(label);
		if (!g) groups.set(label, (g = []));
		g.push(r);
	}
	const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
	const out: ClassIndex[] = [];
	for (const [label, members] of groups) {
		const c7 = members.map((r) => r.change7?.median).filter((v): v is number => typeof v === 'number');
		const c30 = members.map((r) => r.change30?.median).filter((v): v is number => typeof v === 'number');
		out.push({
			label,
			gpus: [...new Set(members.map((m) => m.gpu))],
			seriesCount: members.length,
			levelUsd: mean(members.map((m) => m.medianUsd))!,
			asOf: members
				.map((m) => m.asOf)
				.sort()
				.at(-1)!,
			change7: mean(c7),
			change7Series: c7.length,
			change30: mean(c30),
			change30Series: c30.length
		});
	}
	const vram = (l: string) => Number(l.split(' ')[0]);
	return out.sort((a, b) => vram(b.label) - vram(a.label) || a.label.localeCompare(b.label));
}
