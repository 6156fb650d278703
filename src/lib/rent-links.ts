/**
 * Where a listed offer can be rented: the provider's own page, with no tracking or referral parameters.
 * URL shapes and the sources they were read from: docs/rent-links.md. Browser-safe.
 */

/** The provider pages an offer links to (see docs/rent-links.md). */
export const RENT_PAGES = {
	/** vast.ai's console search ("Search" / create page): offers are ephemeral, so no per-offer link. */
	vastai: 'https://cloud.vast.ai/create/',
	/** RunPod's deploy page; `gpu` and `count` preselect the GPU type and the number of GPUs. */
	runpod: 'https://console.runpod.io/deploy',
	/** Lambda's console page where an instance type is chosen and launched. */
	lambda: 'https://cloud.lambda.ai/instances'
} as const;

/** Attributes of every outbound rent link: opens the provider's page, sends no referrer. */
export const RENT_REL = 'noopener noreferrer external';

export function rentUrl(offer: { provider: string; gpuName: string; gpuCount: number }): string | null {
	switch (offer.provider) {
		case 'vastai':
			return RENT_PAGES.vastai;
		case 'runpod': {
			const q = new URLSearchParams({ gpu: offer.gpuName, count: String(Math.max(1, offer.gpuCount)) });
			return `${RENT_PAGES.runpod}?${q}`;
		}
		case 'lambda':
			return RENT_PAGES.lambda;
		default:
			return null;
	}
}
