/**
 * `npm run import -- FILE [--observed-at ISO] [--format <one of ARCHIVE_FORMATS>]`
 *
 * Imports an archived price file into the configured database (DATABASE_URL or PGlite in DATA_DIR):
 * the tracker's daily-aggregate CSV, or one SkyPilot vast.ai, Lambda or RunPod `vms.csv` snapshot (its time given with
 * --observed-at). The same file twice adds nothing. Shows a progress bar on a terminal and ends with a
 * summary (rows read, imported, already stored, unmapped GPU names).
 */
import './lib/node-version.ts';
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/lib/server/config.ts';
import { openDatabase } from '../src/lib/server/db/index.ts';
import { DataDirLockedError } from '../src/lib/server/db/lock.ts';
import { ARCHIVE_FORMATS, importArchive, type ArchiveFormat } from '../src/lib/server/archive.ts';

const USAGE = `usage: npm run import -- FILE [--observed-at ISO] [--format ${ARCHIVE_FORMATS.join('|')}]`;

function fail(msg: string): never {
	console.error(`[import] ${msg}`);
	process.exit(1);
}

let args;
try {
	args = parseArgs({
		allowPositionals: true,
		options: {
			'observed-at': { type: 'string' },
			format: { type: 'string' },
			help: { type: 'boolean', short: 'h' }
		}
	});
} catch (err) {
	fail(`${(err as Error).message}\n${USAGE}`);
}
if (args.values.help) {
	console.log(USAGE);
	process.exit(0);
}
const file = args.positionals[0];
if (!file || args.positionals.length > 1) fail(USAGE);
const format = args.values.format as ArchiveFormat | undefined;
if (format && !(ARCHIVE_FORMATS as readonly string[]).includes(format)) {
	fail(`--format must be one of ${ARCHIVE_FORMATS.join(', ')}, got "${format}"`);
}
let observedAt: Date | undefined;
if (args.values['observed-at'] !== undefined) {
	observedAt = new Date(args.values['observed-at']);
	if (Number.isNaN(observedAt.getTime()))
		fail(`--observed-at is not an ISO date/time: "${args.values['observed-at']}"`);
}

let content: Buffer;
try {
	if (!statSync(file).isFile()) fail(`${file} is not a file`);
	content = readFileSync(file);
} catch (err) {
	fail(`cannot read ${file}: ${(err as Error).message}`);
}

let config;
try {
	config = loadConfig(process.env);
} catch (err) {
	if (err instanceof ConfigError) fail(err.message);
	throw err;
}

/** A one-line progress bar, redrawn in place on a terminal only (a pipe or log gets the summary alone). */
const tty = process.stderr.isTTY;
let lastDraw = 0;
function progress(phase: 'parse' | 'insert', done: number, total: number): void {
	if (!tty) return;
	const now = Date.now();
	if (done < total && now - lastDraw < 80) return;
	lastDraw = now;
	const width = 30;
	const frac = total > 0 ? done / total : 1;
	const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
	const label = phase === 'parse' ? 'reading  ' : 'inserting';
	process.stderr.write(
		`\r[import] ${label} ${bar} ${String(Math.round(frac * 100)).padStart(3)}%  ${done}/${total}`
	);
	if (done >= total) process.stderr.write('\n');
}

let database;
try {
	database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
} catch (err) {
	if (err instanceof DataDirLockedError)
		fail(`${err.message} (stop the server or point DATABASE_URL at Postgres)`);
	throw err;
}

try {
	const s = await importArchive(database.db, {
		fileName: file,
		content,
		format,
		observedAt,
		onProgress: progress
	});
	if (s.alreadyImported) {
		console.log(
			`[import] ${s.fileName}: already imported (same content, sha256 ${s.sha256.slice(0, 12)}…, import #${s.importId}); nothing added.`
		);
	} else {
		const lines = [
			`[import] ${s.fileName} (${s.format}) in ${(s.durationMs / 1000).toFixed(1)} s`,
			`  rows in file            ${s.rowsTotal}`,
			`  observations read       ${s.observations}${s.format.startsWith('skypilot') ? ' (rows of one GPU × count × region × pricing aggregated)' : ''}`,
			`  imported                ${s.imported}`,
			`  already stored          ${s.duplicate}`,
			`  unmapped GPU names      ${s.unmappedRows} rows${fmtMap(s.unmapped)}`,
			`  unreadable rows         ${s.invalidRows}${fmtMap(s.invalid)}`,
			`  daily history points    ${s.historyPoints}${s.firstDay ? ` (${s.firstDay} … ${s.lastDay})` : ''}`
		];
		if (s.thirdParty) {
			lines.push(`  third-party rows        ${s.thirdParty} (stored, kept out of the price series)`);
		}
		console.log(lines.join('\n'));
	}
} catch (err) {
	await database.close();
	fail((err as Error).message);
}
await database.close();

function fmtMap(m: Record<string, number>): string {
	const entries = Object.entries(m).sort((a, b) => b[1] - a[1]);
	if (!entries.length) return '';
	const shown = entries.slice(0, 8).map(([k, v]) => `${k} ×${v}`);
	return ` — ${shown.join(', ')}${entries.length > 8 ? `, … ${entries.length - 8} more` : ''}`;
}
