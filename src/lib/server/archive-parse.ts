/**
 * Parsing archived price files into observations (pure: text in, rows out; no database). The importer
 * (archive.ts) calls `parseArchive`; the header tells the formats apart, and each format has its reader:
 *  - `tracker-csv`: gpu-pricing-tracker's daily aggregates (archive-tracker.ts);
 *  - `skypilot-vms`, `skypilot-lambda-vms`, `skypilot-runpod-vms`: SkyPilot's vast.ai, Lambda and RunPod
 *    `vms.csv` snapshots (archive-skypilot.ts).
 * The archive's GPU names are mapped in archive-names.ts; sources in docs/providers.md §5.
 */
import { LAMBDA_CATALOG_COLUMNS } from '#adapters/lambda-catalog.ts';
import {
	ARCHIVE_FORMATS,
	parseCsv,
	type ArchiveFormat,
	type ParsedArchive,
	type ParseOptions
} from './archive-rows.ts';
import {
	parseSkypilotLambda,
	parseSkypilotRunpod,
	parseSkypilotVast,
	SKYPILOT_RUNPOD_HEADER,
	SKYPILOT_VAST_HEADER
} from './archive-skypilot.ts';
import { parseTracker, TRACKER_HEADER } from './archive-tracker.ts';

export { ARCHIVE_FORMATS, parseCsv, type ArchiveFormat, type ParsedArchive, type ParseOptions };
export type { ArchiveObservation } from './archive-rows.ts';
export { SKYPILOT_RUNPOD_HEADER, SKYPILOT_VAST_HEADER } from './archive-skypilot.ts';
export { TRACKER_HEADER } from './archive-tracker.ts';

/** Which format a header row belongs to, or undefined. */
export function detectFormat(header: string[]): ArchiveFormat | undefined {
	const h = header.map((s) => s.trim());
	// SkyPilot's files share column names (Lambda's has exactly vast.ai's, in another order): the exact
	// order of the Lambda and RunPod writers decides first.
	if (h.join(',') === LAMBDA_CATALOG_COLUMNS.join(',')) return 'skypilot-lambda-vms';
	if (h.join(',') === SKYPILOT_RUNPOD_HEADER.join(',')) return 'skypilot-runpod-vms';
	if (TRACKER_HEADER.every((c) => h.includes(c))) return 'tracker-csv';
	if (SKYPILOT_VAST_HEADER.every((c) => h.includes(c))) return 'skypilot-vms';
	return undefined;
}

export function parseArchive(text: string, format?: ArchiveFormat, opts: ParseOptions = {}): ParsedArchive {
	const table = parseCsv(text);
	const header = table[0];
	if (!header) throw new Error('[archive] the file is empty');
	const detected = detectFormat(header);
	const fmt = format ?? detected;
	if (!fmt) {
		throw new Error(
			`[archive] unknown file format (header: ${header.slice(0, 6).join(',')} …); ` +
				`pass --format ${ARCHIVE_FORMATS.join('|')}`
		);
	}
	if (detected !== fmt) {
		throw new Error(`[archive] the header does not match --format ${fmt}`);
	}
	const body = table.slice(1);
	if (fmt === 'tracker-csv') return parseTracker(header, body, opts);
	if (!opts.observedAt || Number.isNaN(opts.observedAt.getTime())) {
		throw new Error('[archive] a SkyPilot vms.csv is one snapshot without a time: pass --observed-at ISO');
	}
	if (fmt === 'skypilot-lambda-vms') return parseSkypilotLambda(text, body.length, opts.observedAt);
	if (fmt === 'skypilot-runpod-vms') return parseSkypilotRunpod(header, body, opts.observedAt, opts);
	return parseSkypilotVast(header, body, opts.observedAt, opts);
}
