/**
 * Importing archived price observations: rows as published go to `archive_observations` (one row per
 * key, so overlapping files add nothing twice), one `archive_imports` row per file content (sha256: the
 * same file twice adds nothing), then the affected days are rolled up into series-level `price_history`
 * points (resolution 'day', source 'archive') that the charts and trends read.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { StartHook } from './app.ts';
import { LOCK_KEYS, rows, type Database, type Db } from './db/index.ts';
import { ensurePartitions } from './db/partitions.ts';
import { BIN_ORIGIN } from './history/time.ts';
import { parseArchive, type ArchiveFormat, type ArchiveObservation } from './archive-parse.ts';

export { ARCHIVE_FORMATS, type ArchiveFormat } from './archive-parse.ts';

/** The bundled file (archive/README.md) and the attribution that goes wherever its data is shown. */
export const BUNDLED_ARCHIVE_FILE = 'observations-vast-runpod-lambda-2026-05-08_2026-07-20.csv';
/** ASCII only: it also travels in an HTTP header (X-Data-Attribution). */
export const ARCHIVE_ATTRIBUTION =
	'Archived daily prices 2026-05-08 to 2026-07-20 from the public GitHub repository ' +
	'cherielilili/gpu-pricing-tracker (data/observations.csv, commit 04891eb), filtered to vast.ai, RunPod and Lambda.';
export const ARCHIVE_ATTRIBUTION_URL = 'https://github.com/cherielilili/gpu-pricing-tracker';

/**
 * Rows whose source is a third-party aggregator rather than the provider itself stay in
 * archive_observations (as published) but out of the price series: in the bundled file these are 22
 * rows of 2026-05-08 from getdeploying.com (region `global`), among them RunPod H200 and MI300X at
 * $0.50 — RunPod's stale community-price placeholder (docs/providers.md §2.6), not a rentable price.
 */
export const THIRD_PARTY_SOURCE_HOSTS = ['getdeploying.com'] as const;

/** Insert chunk: 5,000 rows × 15 arrays stays far below the protocol's parameter and message limits. */
const INSERT_CHUNK_ROWS = 5000;

export interface ImportOptions {
	fileName: string;
	content: Buffer | string;
	format?: ArchiveFormat;
	observedAt?: Date;
	attribution?: string | null;
	/** phase 'parse' | 'insert', rows done of total */
	onProgress?: (phase: 'parse' | 'insert', done: number, total: number) => void;
}

export interface ImportSummary {
	fileName: string;
	format: ArchiveFormat;
	sha256: string;
	/** true when this file (same content) was imported before: nothing was added */
	alreadyImported: boolean;
	importId: number;
	rowsTotal: number;
	/** observations read from the file (tracker: one per mapped row; SkyPilot: one per aggregated key) */
	observations: number;
	imported: number;
	/** observations already stored by an earlier file */
	duplicate: number;
	unmappedRows: number;
	unmapped: Record<string, number>;
	invalidRows: number;
	invalid: Record<string, number>;
	/** stored, but left out of the price series (THIRD_PARTY_SOURCE_HOSTS) */
	thirdParty: number;
	/** series-level day points written */
	historyPoints: number;
	firstDay: string | null;
	lastDay: string | null;
	durationMs: number;
}

export function sha256(content: Buffer | string): string {
	return createHash('sha256').update(content).digest('hex');
}

function isThirdParty(url: string | null): boolean {
	if (!url) return false;
	try {
		const host = new URL(url).hostname;
		return THIRD_PARTY_SOURCE_HOSTS.some((h) => host === h || host.endsWith('.' + h));
	} catch {
		return false;
	}
}

/** SQL test of the same rule (the rollup reads it). */
const thirdPartySql = sql.raw(
	`coalesce(substring(source_url from '^https?://([^/:?#]+)'), '') ~ '(^|\\.)(${THIRD_PARTY_SOURCE_HOSTS.map((h) => h.replaceAll('.', '\\.')).join('|')})$'`
);

/** Imports one archive file. Idempotent: the same content twice, or an observation already stored, adds nothing. */
export async function importArchive(db: Db, opts: ImportOptions): Promise<ImportSummary> {
	const started = Date.now();
	const hash = sha256(opts.content);
	const fileName = basename(opts.fileName).slice(0, 200);
	const prev = await storedImport(db, hash);
	if (prev) return alreadyImported(fileName, hash, prev, started);

	const text = typeof opts.content === 'string' ? opts.content : opts.content.toString('utf8');
	const parsed = parseArchive(text, opts.format, {
		observedAt: opts.observedAt,
		onProgress: (d, t) => opts.onProgress?.('parse', d, t)
	});
	const obs = parsed.observations;
	const unmappedRows = sum(parsed.unmapped);
	const invalidRows = sum(parsed.invalid);
	const times = obs.map((o) => Date.parse(o.t));
	const first = times.length ? new Date(Math.min(...times)) : null;
	const last = times.length ? new Date(Math.max(...times)) : null;
	if (first && last) await ensurePartitions(db, first, last, ['price_history']);

	let imported = 0;
	let importId = 0;
	let raced = false;
	try {
		await db.transaction(async (tx) => {
			const ins = await rows<{ id: number }>(
				tx as unknown as Db,
				sql`insert into archive_imports (file_name, sha256, format, rows_total, rows_imported, rows_duplicate, rows_unmapped, unmapped, attribution)
				    values (${fileName}, ${hash}, ${parsed.format}, ${parsed.rowsTotal}, 0, 0, ${unmappedRows + invalidRows},
				            ${JSON.stringify({ ...parsed.unmapped, ...prefixed('invalid: ', parsed.invalid) })}::jsonb, ${opts.attribution ?? null})
				    on conflict (sha256) do nothing
				    returning id`
			);
			if (!ins[0]) {
				raced = true; // another instance imported the same file a moment ago
				return;
			}
			importId = Number(ins[0].id);
			for (let i = 0; i < obs.length; i += INSERT_CHUNK_ROWS) {
				opts.onProgress?.('insert', i, obs.length);
				imported += await insertObservations(
					tx as unknown as Db,
					importId,
					obs.slice(i, i + INSERT_CHUNK_ROWS)
				);
			}
			opts.onProgress?.('insert', obs.length, obs.length);
			await tx.execute(
				sql`update archive_imports set rows_imported = ${imported}, rows_duplicate = ${obs.length - imported} where id = ${importId}`
			);
		});
	} catch (err) {
		// A concurrent import of the same content lost the unique-index race (Postgres raises instead of skipping).
		if (
			!/archive_imports_sha_idx|duplicate key/.test(
				String((err as Error)?.message) + String((err as { cause?: Error })?.cause?.message)
			)
		)
			throw err;
		raced = true;
	}
	if (raced) {
		return alreadyImported(fileName, hash, (await storedImport(db, hash))!, started);
	}
	const historyPoints = first && last ? await rollupArchive(db, first, last) : 0;
	return {
		fileName,
		format: parsed.format,
		sha256: hash,
		alreadyImported: false,
		importId,
		rowsTotal: parsed.rowsTotal,
		observations: obs.length,
		imported,
		duplicate: obs.length - imported,
		unmappedRows,
		unmapped: parsed.unmapped,
		invalidRows,
		invalid: parsed.invalid,
		thirdParty: obs.filter((o) => isThirdParty(o.sourceUrl)).length,
		historyPoints,
		firstDay: first ? first.toISOString().slice(0, 10) : null,
		lastDay: last ? last.toISOString().slice(0, 10) : null,
		durationMs: Date.now() - started
	};
}

interface StoredImport {
	id: number;
	format: ArchiveFormat;
	rows_total: number;
	rows_unmapped: number;
	unmapped: Record<string, number>;
}

/** The import of the file with this content hash, if there was one. */
async function storedImport(db: Db, hash: string): Promise<StoredImport | undefined> {
	const [row] = await rows<StoredImport>(
		db,
		sql`select id, format, rows_total, rows_unmapped, unmapped from archive_imports where sha256 = ${hash}`
	);
	return row;
}

function alreadyImported(fileName: string, hash: string, prev: StoredImport, started: number): ImportSummary {
	return {
		fileName,
		format: prev.format,
		sha256: hash,
		alreadyImported: true,
		importId: Number(prev.id),
		rowsTotal: Number(prev.rows_total),
		observations: 0,
		imported: 0,
		duplicate: 0,
		unmappedRows: Number(prev.rows_unmapped),
		unmapped: prev.unmapped ?? {},
		invalidRows: 0,
		invalid: {},
		thirdParty: 0,
		historyPoints: 0,
		firstDay: null,
		lastDay: null,
		durationMs: Date.now() - started
	};
}

function sum(m: Record<string, number>): number {
	return Object.values(m).reduce((a, b) => a + b, 0);
}

function prefixed(prefix: string, m: Record<string, number>): Record<string, number> {
	return Object.fromEntries(Object.entries(m).map(([k, v]) => [prefix + k, v]));
}

/** Bulk insert through unnest() of typed arrays; returns the rows actually inserted (not duplicates). */
async function insertObservations(db: Db, importId: number, obs: ArchiveObservation[]): Promise<number> {
	if (obs.length === 0) return 0;
	const col = <K extends keyof ArchiveObservation>(k: K) => sql.param(obs.map((o) => o[k]));
	// timestamptz[] goes as text[] and is cast: postgres.js cannot serialize a JS array bound as timestamptz[].
	const res = await rows<{ n: number }>(
		db,
		sql`with ins as (
		      insert into archive_observations
		        (import_id, t, provider, gpu, source_gpu_name, gpu_count, region, pricing, cloud, min_usd, median_usd, max_usd, n, source_url, fetched_at)
		      select ${importId}, u.t, u.provider, u.gpu, u.source_gpu_name, u.gpu_count, u.region, u.pricing, u.cloud,
		             u.min_usd, u.median_usd, u.max_usd, u.n, u.source_url, u.fetched_at
		      from unnest(${col('t')}::text[]::timestamptz[], ${col('provider')}::text[], ${col('gpu')}::text[],
		                  ${col('sourceGpuName')}::text[], ${col('gpuCount')}::int2[], ${col('region')}::text[],
		                  ${col('pricing')}::text[], ${col('cloud')}::text[], ${col('minUsd')}::float8[],
		                  ${col('medianUsd')}::float8[], ${col('maxUsd')}::float8[], ${col('n')}::int4[],
		                  ${col('sourceUrl')}::text[], ${col('fetchedAt')}::text[]::timestamptz[])
		        as u(t, provider, gpu, source_gpu_name, gpu_count, region, pricing, cloud, min_usd, median_usd, max_usd, n, source_url, fetched_at)
		      on conflict (provider, gpu, gpu_count, region, pricing, t, source_gpu_name) do nothing
		      returning 1
		    )
		    select count(*)::int as n from ins`
	);
	return Number(res[0]?.n ?? 0);
}

/**
 * Rolls archive observations of the days touching [from, to] into series-level day points
 * (gpu × provider × pricing × cloud, source 'archive'), recomputed from every stored observation of
 * those days (so overlapping imports combine) and upserted:
 *  - min    = the lowest published daily minimum (cheapest offer of the day in any group);
 *  - max    = the highest published daily maximum;
 *  - median = the n-weighted median of the published group medians (each group — GPU count × region —
 *             weighs as many offers as it had). The exact median of all offers cannot be rebuilt from
 *             group aggregates; this is the median of the per-group medians counted once per offer;
 *  - n      = the sum of n_offers over the groups (offers behind that day's point).
 * Third-party rows (THIRD_PARTY_SOURCE_HOSTS) are left out. Returns the points written.
 */
export async function rollupArchive(db: Db, from: Date, to: Date): Promise<number> {
	await ensurePartitions(db, from, to, ['price_history']);
	const res = await rows<{ n: number }>(
		db,
		sql`with obs as (
		      select gpu, provider, pricing, cloud, date_bin('1 day', t, ${BIN_ORIGIN}::timestamptz) as day,
		             min_usd, median_usd, max_usd, n
		      from archive_observations
		      where t >= date_bin('1 day', ${from.toISOString()}::timestamptz, ${BIN_ORIGIN}::timestamptz)
		        and t < date_bin('1 day', ${to.toISOString()}::timestamptz, ${BIN_ORIGIN}::timestamptz) + interval '1 day'
		        and not (${thirdPartySql})
		    ), ranked as (
		      select *,
		             sum(n) over (partition by gpu, provider, pricing, cloud, day order by median_usd
		                          rows between unbounded preceding and current row) as cum_n,
		             sum(n) over (partition by gpu, provider, pricing, cloud, day) as total_n
		      from obs
		    ), up as (
		      insert into price_history (gpu, resolution, provider, pricing, cloud, source, t, min_usd, median_usd, max_usd, n, available_n)
		      select gpu, 'day', provider, pricing, cloud, 'archive', day,
		             min(min_usd), min(median_usd) filter (where cum_n * 2 >= total_n), max(max_usd), sum(n)::int, null
		      from ranked
		      group by gpu, provider, pricing, cloud, day
		      on conflict (gpu, resolution, t, provider, pricing, cloud, source) do update set
		        min_usd = excluded.min_usd, median_usd = excluded.median_usd, max_usd = excluded.max_usd,
		        n = excluded.n, available_n = excluded.available_n
		      returning 1
		    )
		    select count(*)::int as n from up`
	);
	return Number(res[0]?.n ?? 0);
}

/** Finds archive/ (the bundled file) by walking up from this module (works from src/ and from build/). */
export function bundledArchivePath(): string | undefined {
	let dir = dirname(fileURLToPath(import.meta.url));
	for (let i = 0; i < 8; i++) {
		const candidate = join(dir, 'archive', BUNDLED_ARCHIVE_FILE);
		if (existsSync(candidate)) return candidate;
		const parent = dirname(dir);
		if (parent === dir) break;
		dir = parent;
	}
	const cwd = resolve('archive', BUNDLED_ARCHIVE_FILE);
	return existsSync(cwd) ? cwd : undefined;
}

export const BOOTSTRAP_META_KEY = 'archive_bootstrap';

/**
 * Imports the bundled archive once per database (recorded in `meta`), so a fresh `npm start` shows
 * real history at once. Several instances sharing a Postgres database serialize on an advisory lock;
 * the sha256 guard makes a repeat harmless anyway.
 */
export async function bootstrapArchive(
	database: Database,
	log: (msg: string) => void = console.log
): Promise<ImportSummary | 'done-before' | 'busy' | 'missing'> {
	const done = await rows(database.db, sql`select 1 from meta where key = ${BOOTSTRAP_META_KEY}`);
	if (done.length) return 'done-before';
	const path = bundledArchivePath();
	if (!path) {
		log(
			`[archive] bundled archive archive/${BUNDLED_ARCHIVE_FILE} not found; skipping the first-start import`
		);
		return 'missing';
	}
	const res = await database.tryWithLock(LOCK_KEYS.archive, async () => {
		const again = await rows(database.db, sql`select 1 from meta where key = ${BOOTSTRAP_META_KEY}`);
		if (again.length) return 'done-before' as const;
		const summary = await importArchive(database.db, {
			fileName: path,
			content: readFileSync(path),
			format: 'tracker-csv',
			attribution: ARCHIVE_ATTRIBUTION
		});
		const value = {
			ranAt: new Date().toISOString(),
			file: summary.fileName,
			sha256: summary.sha256,
			imported: summary.imported,
			alreadyImported: summary.alreadyImported,
			historyPoints: summary.historyPoints
		};
		await database.db.execute(
			sql`insert into meta (key, value, updated_at) values (${BOOTSTRAP_META_KEY}, ${JSON.stringify(value)}::jsonb, now())
			    on conflict (key) do update set value = excluded.value, updated_at = now()`
		);
		return summary;
	});
	if (!res.acquired) return 'busy';
	if (res.value !== 'done-before') {
		const s = res.value;
		log(
			`[archive] first start: imported the bundled archive — ${s.imported} observations, ` +
				`${s.historyPoints} daily points (${s.firstDay} … ${s.lastDay}) in ${(s.durationMs / 1000).toFixed(1)} s`
		);
	}
	return res.value;
}

/** StartHook: the first-start archive import (ARCHIVE_IMPORT=0 disables it). */
export const archiveBootstrapHook: StartHook = async (app) => {
	if (!app.config.archiveImport) return;
	try {
		await bootstrapArchive(app.database);
	} catch (err) {
		// History is a bonus on first start: never keep the dashboard from serving because of it.
		console.error('[archive] first-start import failed:', err);
	}
};
