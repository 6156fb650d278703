/**
 * What every archive format parses into, and the row helpers the format readers share
 * (archive-tracker.ts, archive-skypilot.ts). Pure: text in, rows out; no database.
 */
import { parse } from 'csv-parse/sync';
import type { ProviderId } from '#adapters/types.ts';

export const ARCHIVE_FORMATS = [
	'tracker-csv',
	'skypilot-vms',
	'skypilot-lambda-vms',
	'skypilot-runpod-vms'
] as const;
export type ArchiveFormat = (typeof ARCHIVE_FORMATS)[number];

/** One archived observation, as stored in archive_observations. Prices are USD per GPU-hour. */
export interface ArchiveObservation {
	/** start of the observation period, ISO 8601 (00:00 UTC of the day for daily aggregates) */
	t: string;
	provider: ProviderId;
	gpu: string;
	sourceGpuName: string;
	gpuCount: number;
	region: string;
	pricing: 'on_demand' | 'spot';
	/** 'secure' | 'community' | '' (no split, or the lowest of both) */
	cloud: string;
	minUsd: number;
	medianUsd: number;
	maxUsd: number;
	n: number;
	sourceUrl: string | null;
	fetchedAt: string | null;
}

export interface ParsedArchive {
	format: ArchiveFormat;
	/** data rows in the file */
	rowsTotal: number;
	observations: ArchiveObservation[];
	/** GPU names the catalog does not know → rows */
	unmapped: Record<string, number>;
	/** rows that could not be read (reason → rows) */
	invalid: Record<string, number>;
}

export interface ParseOptions {
	/** skypilot-vms: when the snapshot was taken (the file itself carries no time) */
	observedAt?: Date;
	/** called every few thousand rows */
	onProgress?: (done: number, total: number) => void;
}

/** Rows between two onProgress calls. */
export const PROGRESS_EVERY = 2000;

/** Sanity bound on a price per GPU-hour (USD): no rentable GPU costs more (B300 lists ≈ $8). */
const MAX_PRICE_PER_GPU_HOUR_USD = 1000;

/**
 * RFC 4180 CSV through csv-parse (https://csv.js.org/parse/options/): quoted fields may hold commas,
 * doubled quotes and newlines (SkyPilot's GpuInfo column is quoted); a byte-order mark and blank lines
 * are skipped; CRLF, LF and CR line ends are all accepted, even mixed in one file. A row with too few or
 * too many fields is returned as it is, so the format reader counts it as one invalid row instead of
 * refusing the whole file. A file the library cannot read (an unclosed quote: a file cut short) is refused
 * with the line it stopped at.
 */
export function parseCsv(text: string): string[][] {
	try {
		return parse(text, {
			bom: true,
			skip_empty_lines: true,
			relax_column_count: true,
			record_delimiter: ['\r\n', '\n', '\r']
		}) as string[][];
	} catch (err) {
		const e = err as { code?: unknown; lines?: unknown };
		const code = typeof e.code === 'string' ? e.code : 'parse error';
		const where = typeof e.lines === 'number' ? ` at line ${e.lines}` : '';
		throw new Error(`[archive] the CSV cannot be read${where} (${code}): is the file complete?`, {
			cause: err
		});
	}
}

export function bump(map: Record<string, number>, key: string, by = 1): void {
	map[key] = (map[key] ?? 0) + by;
}

/** A price field that is a positive number under the sanity bound, else undefined. */
export function price(s: string | undefined): number | undefined {
	if (s === undefined || s.trim() === '') return undefined;
	const v = Number(s);
	return Number.isFinite(v) && v > 0 && v < MAX_PRICE_PER_GPU_HOUR_USD ? v : undefined;
}

/** A reader of one row's field by column name (undefined when the column or the field is missing). */
export function columnIndex(header: string[]): (row: string[], name: string) => string | undefined {
	const idx = new Map(header.map((h, i) => [h.trim(), i]));
	return (row, name) => {
		const i = idx.get(name);
		return i === undefined ? undefined : row[i];
	};
}

/** A GPU count as the archive formats allow it: a whole number from 1 to 64. */
export function validGpuCount(n: number): boolean {
	return Number.isInteger(n) && n >= 1 && n <= 64;
}
