/**
 * The normalized offer: the one shape every provider's payload is turned into. Names carry their units.
 * This is a contract other checks read (GET /api/offers returns these fields).
 */
import type { HttpClient } from './http.ts';
import type { ProviderId } from './provider-id.ts';

export { PROVIDERS, type ProviderId } from './provider-id.ts';

export type Pricing = 'on_demand' | 'spot';
export type Cloud = 'secure' | 'community';
/** Where a snapshot's prices came from: the provider's own API, or SkyPilot's public catalog (keyless). */
export type OfferSource = 'api' | 'skypilot-catalog';

export interface NormalizedOffer {
	provider: ProviderId;
	/** catalog slug, e.g. `h100-sxm` */
	gpu: string;
	/** the GPU name as the provider spells it */
	gpuName: string;
	gpuCount: number;
	/** per GPU */
	vramGb: number;
	pricing: Pricing;
	cloud: Cloud | null;
	region: string;
	/** the whole offer (all its GPUs), USD per hour */
	pricePerHourUsd: number;
	pricePerGpuHourUsd: number;
	/** rentable now; null when the source does not know stock (SkyPilot's catalog: list prices only) */
	available: boolean | null;
	/** ISO 8601 */
	observedAt: string;
	/** the provider's id of this offer or instance type, where it has one */
	offerRef?: string | null;
	reliability?: number | null;
	verified?: boolean | null;
	vcpus?: number | null;
	ramGb?: number | null;
	diskGb?: number | null;
	inetDownMbps?: number | null;
	inetUpMbps?: number | null;
	extra?: Record<string, unknown> | null;
	/** where the price came from (default `api`) */
	source?: OfferSource;
}

/** What an adapter's pure `parse` makes of one answer. */
export interface ParseResult {
	offers: NormalizedOffer[];
	/** items in the answer (vast.ai offers, RunPod GPU types, Lambda instance types) */
	itemsSeen: number;
	/** items (or prices) left out, by reason — excluded GPUs, CPU-only types, invalid items … */
	skippedReasons: Record<string, number>;
	/** provider GPU names the catalog does not know (counted, listed in provider health, never guessed) */
	unmapped: Record<string, number>;
	/** prices that were not positive or above the sanity cap, rejected */
	rejectedPrices: number;
}

/** What an adapter's `fetch` needs: its base URL, its key if any, and the shared HTTP client. */
export interface FetchContext {
	baseUrl: string;
	apiKey: string | undefined;
	http: HttpClient;
	/** URLs tried in order when `baseUrl` answers 404 (SkyPilot's newest catalog version, then older) */
	fallbackUrls?: readonly string[];
}

export interface FetchResult {
	/** the raw answer, exactly what `parse` reads (several pages are merged into one answer) */
	payload: unknown;
	/** how many HTTP requests it took */
	requests: number;
	/** things worth recording, e.g. that an answer limit was reached */
	notes: string[];
}

/** One provider: `fetch` does the I/O, `parse` is pure (raw JSON → normalized offers). */
export interface Adapter {
	id: ProviderId;
	/** display name, e.g. "vast.ai" */
	label: string;
	/** the environment variable holding a required key, or null when the API is keyless */
	requiredKey: string | null;
	/** where its prices come from (default `api`) */
	source?: OfferSource;
	/** the source polled instead when `requiredKey` is not set (Lambda: SkyPilot's public catalog) */
	keyless?: Adapter;
	fetch(ctx: FetchContext): Promise<FetchResult>;
	parse(payload: unknown, observedAt: Date): ParseResult;
}
