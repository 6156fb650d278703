/** Number formatting shared by the estimator pages (units in the text, en-US grouping). */

export function gbText(x: number): string {
	if (!Number.isFinite(x)) return '–';
	if (x >= 100) return `${x.toFixed(0)} GB`;
	if (x >= 10) return `${x.toFixed(1)} GB`;
	return `${x.toFixed(2)} GB`;
}

export function usdText(x: number | null | undefined): string {
	if (x === null || x === undefined || !Number.isFinite(x)) return '–';
	if (x >= 1000) return `$${Math.round(x).toLocaleString('en-US')}`;
	if (x >= 1) return `$${x.toFixed(2)}`;
	if (x >= 0.01) return `$${x.toFixed(3)}`;
	if (x === 0) return '$0';
	return `$${x.toPrecision(2)}`;
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

/** "2026-11-27 10:00 UTC" */
export function utcText(iso: string): string {
	return iso.slice(0, 16).replace('T', ' ') + ' UTC';
}

export const PROVIDER_NAMES: Record<string, string> = {
	vastai: 'vast.ai',
	runpod: 'RunPod',
	lambda: 'Lambda'
};
export const PRICING_NAMES: Record<string, string> = { on_demand: 'on-demand', spot: 'spot' };
