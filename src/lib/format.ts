/** Display helpers shared by pages (browser-safe). */
import type { ProviderId } from '../../adapters/types.ts';

export const PROVIDER_LABELS: Record<ProviderId, string> = {
	vastai: 'vast.ai',
	runpod: 'RunPod',
	lambda: 'Lambda'
};

/**
 * USD with the precision a GPU-hour price needs: cents from $1 up, tenths of a cent below (many
 * consumer-GPU offers differ by fractions of a cent).
 */
export function formatUsd(value: number | null | undefined): string {
	if (value === null || value === undefined || !Number.isFinite(value)) return '—';
	return '$' + value.toFixed(value < 1 ? 3 : 2);
}

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
