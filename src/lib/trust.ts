/**
 * The trust policy: which offers a price may come from. Every offer of every snapshot is kept and
 * listed, but one that a rule below flags (and that flag is not informational) is untrusted: no
 * "cheapest", estimate cost, $/1M-token figure, trend or alert is ever taken from it.
 *
 * Pure and browser-safe (the pages word the reasons with `trustReason`); the server computes the flags
 * when a snapshot is stored (server/poll/snapshots.ts) against the market median of the snapshots current at
 * that moment, and stores them with the offer so they stay explainable afterwards.
 */
import type { NormalizedOffer, Pricing, ProviderId } from '#adapters/types.ts';
import { medianOfSorted } from './stats.ts';

export const TRUST_FLAGS = ['implausible-price', 'price-outlier', 'low-reliability', 'unverified'] as const;
export type TrustFlag = (typeof TRUST_FLAGS)[number];

/** Which rule fired, on what value, against what threshold (and for an outlier, what market). */
export interface FlagDetail {
	rule: TrustFlag;
	/** the offer's figure the rule looked at: USD per GPU-hour, or the host's reliability (0..1) */
	value: number | null;
	/** the limit it fell under (USD per GPU-hour or reliability); null for `unverified` */
	threshold: number | null;
	/** price-outlier: the market median (USD per GPU-hour) and how many offers made it */
	medianUsd?: number;
	marketOffers?: number;
	/** true when the flag only informs (the offer stays trusted) */
	informational: boolean;
}

export interface TrustSettings {
	/** implausible-price: per-GPU-hour prices under this floor (USD) */
	minPriceUsd: number;
	/** price-outlier: prices under this fraction of the market median */
	outlierRatio: number;
	/** price-outlier: the median counts only when at least this many offers make it */
	outlierMinOffers: number;
	/** low-reliability: marketplace hosts under this reliability (0..1) */
	minReliability: number;
	/** unverified: 'info' keeps the offer trusted, 'untrusted' does not */
	unverified: 'info' | 'untrusted';
}

/** The defaults, also the README's (TRUST_* settings in server/config.ts). */
export const DEFAULT_TRUST: TrustSettings = {
	minPriceUsd: 0.01,
	outlierRatio: 0.25,
	outlierMinOffers: 3,
	minReliability: 0.9,
	unverified: 'info'
};

/**
 * Providers whose offers come from independent hosts. Reliability and verification are properties of a
 * marketplace host; RunPod and Lambda rent their own (or vetted) machines and report neither.
 */
export const MARKETPLACES: ReadonlySet<ProviderId> = new Set<ProviderId>(['vastai']);

/** The market of one GPU and pricing: its median per-GPU-hour price and how many offers made it. */
export interface MarketMedian {
	medianUsd: number;
	offers: number;
}

export const marketKey = (gpu: string, pricing: Pricing | string): string => `${gpu}\u0000${pricing}`;

type Assessable = Pick<
	NormalizedOffer,
	'provider' | 'gpu' | 'pricing' | 'pricePerGpuHourUsd' | 'reliability' | 'verified'
>;

/**
 * The flags most offers get are shared, frozen, never written to: none at all, or an unverified host
 * alone (thousands of vast.ai hosts). So are their assessments; the snapshot write then also turns each
 * into text once.
 */
const frozen = <T>(x: T): T => Object.freeze(x);
const NO_FLAGS: FlagDetail[] = frozen([]);
const UNVERIFIED_ONLY: Record<TrustSettings['unverified'], FlagDetail[]> = {
	info: frozen([frozen({ rule: 'unverified', value: null, threshold: null, informational: true })]),
	untrusted: frozen([frozen({ rule: 'unverified', value: null, threshold: null, informational: false })])
};
const SHARED_ASSESSMENTS = new Map<FlagDetail[], TrustAssessment>(
	[NO_FLAGS, UNVERIFIED_ONLY.info, UNVERIFIED_ONLY.untrusted].map((details) => {
		const a = assessment(details);
		return [details, frozen({ ...a, flags: frozen(a.flags) })];
	})
);

/** An offer's assessment from its flags' details: untrusted when any flag is more than informational. */
function assessment(details: FlagDetail[]): TrustAssessment {
	return { flags: details.map((d) => d.rule), trusted: details.every((d) => d.informational), details };
}

/** The rules that look at the offer alone: its price against the floor, its host. */
function offerFlags(o: Assessable, settings: TrustSettings): FlagDetail[] {
	let details: FlagDetail[] = NO_FLAGS;
	const price = o.pricePerGpuHourUsd;
	if (!(price >= settings.minPriceUsd)) {
		details = [];
		details.push({
			rule: 'implausible-price',
			value: price,
			threshold: settings.minPriceUsd,
			informational: false
		});
	}
	if (MARKETPLACES.has(o.provider)) {
		const r = o.reliability;
		if (r !== null && r !== undefined && r < settings.minReliability) {
			if (details === NO_FLAGS) details = [];
			details.push({
				rule: 'low-reliability',
				value: r,
				threshold: settings.minReliability,
				informational: false
			});
		}
		if (o.verified === false) {
			if (details === NO_FLAGS) return UNVERIFIED_ONLY[settings.unverified];
			details.push({
				rule: 'unverified',
				value: null,
				threshold: null,
				informational: settings.unverified === 'info'
			});
		}
	}
	return details;
}

/**
 * Market medians per GPU × pricing. Only offers that pass the rules on the offer alone make the market:
 * junk never moves the median it is judged against (a host listing fifty $0.00001 boxes, or a fleet of
 * unreliable ones, would otherwise drag it down to where real offers look like outliers), and adding an
 * untrusted offer of that kind to a snapshot cannot change any other offer's flags.
 */
export function marketMedians(
	offers: Iterable<Assessable>,
	settings: TrustSettings
): Map<string, MarketMedian> {
	const lists: PriceLists = new Map();
	for (const o of offers) addToMarket(lists, o, offerFlags(o, settings));
	const out = new Map<string, MarketMedian>();
	for (const [gpu, byPricing] of mediansOf(lists))
		for (const [pricing, m] of byPricing) out.set(marketKey(gpu, pricing), m);
	return out;
}

/**
 * Prices by GPU, then pricing: nested maps of the offers' own strings, so no key string is built and
 * hashed per offer (that was most of the cost of assessing a 10,000-offer snapshot).
 */
type PriceLists = Map<string, Map<string, number[]>>;

/** Puts the offer's price in its market, unless a rule on the offer alone made it untrusted. */
function addToMarket(lists: PriceLists, o: Assessable, own: readonly FlagDetail[]): void {
	for (const d of own) if (!d.informational) return;
	let byPricing = lists.get(o.gpu);
	if (!byPricing) lists.set(o.gpu, (byPricing = new Map()));
	const list = byPricing.get(o.pricing);
	if (list) list.push(o.pricePerGpuHourUsd);
	else byPricing.set(o.pricing, [o.pricePerGpuHourUsd]);
}

function mediansOf(lists: PriceLists): Map<string, Map<string, MarketMedian>> {
	const out = new Map<string, Map<string, MarketMedian>>();
	for (const [gpu, byPricing] of lists) {
		const medians = new Map<string, MarketMedian>();
		for (const [pricing, list] of byPricing) {
			const sorted = Float64Array.from(list).sort();
			medians.set(pricing, { medianUsd: medianOfSorted(sorted), offers: sorted.length });
		}
		out.set(gpu, medians);
	}
	return out;
}

export interface TrustAssessment {
	flags: TrustFlag[];
	trusted: boolean;
	details: FlagDetail[];
}

/** The flags of one offer against the market medians (marketMedians). */
export function assessOffer(
	o: Assessable,
	markets: Map<string, MarketMedian>,
	settings: TrustSettings
): TrustAssessment {
	return againstMarket(o, offerFlags(o, settings), markets.get(marketKey(o.gpu, o.pricing)), settings);
}

/**
 * What `assessOffer` gives each of `offers` against `marketMedians([...others, ...offers])`, with each
 * offer's own rules run once instead of twice: the poller assesses every offer of every snapshot (10,000 and
 * more from vast.ai), on its write path (npm run bench, ingest).
 */
export function assessOffers(
	offers: readonly Assessable[],
	others: Iterable<Assessable>,
	settings: TrustSettings
): TrustAssessment[] {
	const lists: PriceLists = new Map();
	for (const o of others) addToMarket(lists, o, offerFlags(o, settings));
	const own = offers.map((o) => offerFlags(o, settings));
	offers.forEach((o, i) => addToMarket(lists, o, own[i]!));
	const medians = mediansOf(lists);
	return offers.map((o, i) => againstMarket(o, own[i]!, medians.get(o.gpu)?.get(o.pricing), settings));
}

/** The offer's own flags plus the market's (the price-outlier rule) against its market, if any. */
function againstMarket(
	o: Assessable,
	own: FlagDetail[],
	market: MarketMedian | undefined,
	settings: TrustSettings
): TrustAssessment {
	let details = own;
	const price = o.pricePerGpuHourUsd;
	if (market && market.offers >= settings.outlierMinOffers) {
		const floor = market.medianUsd * settings.outlierRatio;
		if (price < floor) {
			// After implausible-price (when both fire), before the host's flags: the order of the rules.
			const at = own[0]?.rule === 'implausible-price' ? 1 : 0;
			details = [
				...own.slice(0, at),
				{
					rule: 'price-outlier',
					value: price,
					threshold: floor,
					medianUsd: market.medianUsd,
					marketOffers: market.offers,
					informational: false
				},
				...own.slice(at)
			];
		}
	}
	return SHARED_ASSESSMENTS.get(details) ?? assessment(details);
}

const pct = (x: number): string => {
	const p = x * 100;
	return `${p < 1 ? p.toPrecision(1) : Math.round(p)} %`;
};

/** One flag in a few words: "outlier: 4 % of the market median", "host reliability 0.42". */
export function flagReason(d: FlagDetail): string {
	switch (d.rule) {
		case 'implausible-price':
			return `implausible price: $${d.value} per GPU-hour is under the $${d.threshold} floor`;
		case 'price-outlier':
			return `outlier: ${pct((d.value ?? 0) / (d.medianUsd || 1))} of the market median ($${(d.medianUsd ?? 0).toFixed(2)}, ${d.marketOffers} offers)`;
		case 'low-reliability':
			return `host reliability ${(d.value ?? 0).toFixed(2)} (under ${d.threshold})`;
		case 'unverified':
			return d.informational ? 'unverified host (informational)' : 'unverified host';
	}
}

/** Why an offer is untrusted, in words (its non-informational flags), or null when it is trusted. */
export function trustReason(details: readonly FlagDetail[]): string | null {
	const blocking = details.filter((d) => !d.informational);
	return blocking.length ? blocking.map(flagReason).join('; ') : null;
}

/** Flag counts of a set of assessments (per snapshot: provider health shows them). */
export function countFlags(list: Iterable<TrustAssessment>): {
	flags: Record<string, number>;
	untrusted: number;
} {
	const flags: Record<string, number> = {};
	let untrusted = 0;
	for (const a of list) {
		if (!a.trusted) untrusted++;
		for (const f of a.flags) flags[f] = (flags[f] ?? 0) + 1;
	}
	return { flags, untrusted };
}
