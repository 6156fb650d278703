/**
 * The one family of USD formatters (browser-safe). Which one a figure uses depends on what it is:
 *  - formatUsd — a price per GPU-hour (tables, charts, badges): cents from $1 up, tenths of a cent
 *    below $1 (consumer-GPU offers differ by fractions of a cent). Missing: '—'.
 *  - usdText — an amount of any size (a job's cost, USD per million tokens): whole dollars with
 *    grouping from $1,000 up, cents from $1, tenths of a cent from $0.01, two significant digits below,
 *    '$0' for zero. Missing: '–'.
 *  - usdExact — the stored figure in full (tooltips, alert messages, the Atom feed): at least cents,
 *    up to the 4 decimals prices are stored with (src/lib/server/history/query.ts rounds to 1/10,000).
 */

export function formatUsd(value: number | null | undefined): string {
	if (value === null || value === undefined || !Number.isFinite(value)) return '—';
	return '$' + value.toFixed(value < 1 ? 3 : 2);
}

export function usdText(x: number | null | undefined): string {
	if (x === null || x === undefined || !Number.isFinite(x)) return '–';
	if (x >= 1000) return `$${Math.round(x).toLocaleString('en-US')}`;
	if (x >= 1) return `$${x.toFixed(2)}`;
	if (x >= 0.01) return `$${x.toFixed(3)}`;
	if (x === 0) return '$0';
	return `$${x.toPrecision(2)}`;
}

export function usdExact(v: number): string {
	return `$${v.toFixed(4).replace(/(\.\d\d\d*?)0+$/, '$1')}`;
}
