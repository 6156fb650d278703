/** Display helpers shared by pages (browser-safe): units in the text, en-US grouping. Money: ./money.ts. */
import type { ProviderId } from '#adapters/types.ts';

export const PROVIDER_LABELS: Record<ProviderId, string> = {
	vastai: 'vast.ai',
	runpod: 'RunPod',
	lambda: 'Lambda'
};

/** "just now", "4 min ago", "3 h ago", "2 d ago" relative to `nowMs`. */
export function timeAgo(iso: string | null | undefined, nowMs: number): string {
	if (!iso) return 'never';
	const seconds = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
	if (seconds < 45) return 'just now';
	const minutes = Math.round(seconds / 60);
	if (minutes < 60) return `${minutes} min ago`;
	const hours = Math.round(minutes / 60);
	if (hours < 48) return `${hours} h ago`;
	return `${Math.round(hours / 24)} d ago`;
}

/** A timestamp for titles and tables: "2026-08-25 14:05 UTC". */
export function formatUtc(iso: string | null | undefined): string {
	if (!iso) return '—';
	return iso.slice(0, 16).replace('T', ' ') + ' UTC';
}

export function pricingLabel(p: string): string {
	return p === 'spot' ? 'spot' : 'on-demand';
}

/**
 * GPU memory is shown in one unit on every page: GiB (2^30 bytes), the unit a card's nominal size is in
 * (an "RTX 4090 24GB" holds 24 GiB, nvidia-smi's MiB / 1024). The estimator computes in GB (1e9 bytes);
 * figures are converted here, at display, so "fits" never contradicts the numbers beside it.
 */
export const MEMORY_UNIT = 'GiB';
const BYTES_PER_GIB = 2 ** 30;

/** A GB figure (1e9 bytes, the estimator's unit) in GiB. */
export function gbToGib(gb: number): number {
	return (gb * 1e9) / BYTES_PER_GIB;
}

/** A memory figure given in GB (1e9 bytes), shown in GiB with the precision its size needs. */
export function gbText(gb: number): string {
	if (!Number.isFinite(gb)) return '–';
	const x = gbToGib(gb);
	if (x >= 100) return `${x.toFixed(0)} ${MEMORY_UNIT}`;
	if (x >= 10) return `${x.toFixed(1)} ${MEMORY_UNIT}`;
	return `${x.toFixed(2)} ${MEMORY_UNIT}`;
}

/** A card's nominal memory (the catalog's vramGb, which is GiB: "24GB" cards hold 24 GiB). */
export function vramText(vramGb: number): string {
	return `${vramGb} ${MEMORY_UNIT}`;
}

export function hoursText(h: number): string {
	if (!Number.isFinite(h)) return '–';
	if (h < 1 / 60) return `${Math.max(1, Math.round(h * 3600))} s`;
	if (h < 1) return `${Math.round(h * 60)} min`;
	if (h < 48) return `${h.toFixed(h < 10 ? 1 : 0)} h`;
	return `${(h / 24).toFixed(1)} days`;
}

export function countText(x: number): string {
	if (x >= 1e12) return `${+(x / 1e12).toPrecision(3)} T`;
	if (x >= 1e9) return `${+(x / 1e9).toPrecision(3)} B`;
	if (x >= 1e6) return `${+(x / 1e6).toPrecision(3)} M`;
	if (x >= 1e3) return `${+(x / 1e3).toPrecision(3)} k`;
	return String(Math.round(x));
}

export function tokensPerSecondText(x: number): string {
	if (!Number.isFinite(x)) return '–';
	return `${x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1)} tokens/s`;
}

/**
 * A provider's display name; anything unknown (an archive row's provider, a stored id) as itself, cut
 * to 40 characters; '' for none. The one providerLabel of every page, feed and chart.
 */
export function providerLabel(id: string | null | undefined): string {
	if (!id) return '';
	return (PROVIDER_LABELS as Record<string, string>)[id] ?? id.slice(0, 40);
}

/**
 * Running text from the estimator (its assumptions) speaks GB (1e9 bytes): its memory figures are
 * rewritten in GiB like every other figure on the page ("X GiB = Y GB" becomes "X GiB"). GB/s stays.
 */
export function memoryUnitsInText(text: string): string {
	return text
		.replace(/(\d+(?:\.\d+)?) GiB = \d+(?:\.\d+)? GB\b(?!\/)/g, '$1 GiB')
		.replace(/(\d+(?:\.\d+)?) GB\b(?!\/)/g, (_, x: string) => gbText(Number(x)));
}
