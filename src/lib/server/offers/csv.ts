/** CSV of offers (RFC 4180 quoting; provider strings that look like formulas are defused). */

const COLUMNS = [
	'provider',
	'gpu',
	'gpuName',
	'gpuCount',
	'vramGb',
	'pricing',
	'cloud',
	'region',
	'pricePerHourUsd',
	'pricePerGpuHourUsd',
	'available',
	'observedAt',
	'stale',
	'offerRef',
	'reliability',
	'verified',
	'vcpus',
	'ramGb',
	'diskGb',
	'inetDownMbps',
	'inetUpMbps',
	'trusted',
	'flags',
	'trustReason',
	'source'
] as const;

function cell(value: unknown): string {
	if (value === null || value === undefined) return '';
	// A list (the trust flags) in one cell, separated by ';' (commas would need quoting in every row).
	let s = Array.isArray(value) ? value.join(';') : String(value);
	// A spreadsheet would run "=…", "+…", "-…", "@…" as a formula: provider text must stay text.
	if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function offersToCsv(offers: Record<string, unknown>[]): string {
	const lines = [COLUMNS.join(',')];
	for (const o of offers) {
		// Unknown stock (SkyPilot's catalog) says so, never an empty cell read as "no".
		lines.push(COLUMNS.map((c) => (c === 'available' && o[c] === null ? 'unknown' : cell(o[c]))).join(','));
	}
	return lines.join('\r\n') + '\r\n';
}
