/**
 * The normalized offer: the one shape every provider's payload is turned into. Names carry their units.
 * This is a contract other checks read (GET /api/offers returns these fields).
 */
export const PROVIDERS = ['vastai', 'runpod', 'lambda'] as const;
export type ProviderId = (typeof PROVIDERS)[number];

export type Pricing = 'on_demand' | 'spot';
export type Cloud = 'secure' | 'community';

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
	available: boolean;
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
}
