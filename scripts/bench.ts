/**
 * `npm run bench`: the performance targets of the dashboard, measured on this machine.
 * PGlite by default (a fresh data directory under .bench/); a Postgres server when DATABASE_URL is set
 * (a throwaway database `bench_<time>` is created on it and dropped afterwards).
 *
 *  ingest   parse + normalize + store one 10,000-offer vast.ai answer, against a bare bulk insert of
 *           the same normalized rows into the same database (ratio = ms / baselineMs); median of runs.
 *  history  GET /api/history for a 1-year range of one GPU, over HTTP against the built server, after
 *           a simulated year of 10-minute polls of all three providers (p95 of sequential requests, kept
 *           in memory after the first; first visits timed apart).
 *  compare  the server-rendered `/` over the same data (p95).
 *  storage  database growth over that year, measured with pg_database_size (not estimated).
 *  pages    gzipped JavaScript each page loads in Chromium.
 *  load     many readers at once (scripts/lib/bench-load.ts): req/s and p99 per page/API against the
 *           static file, and the server's resident memory after.
 * Prints a table, then one JSON object as the last line of stdout.
 *
 * The simulated year runs week by week the way the app does it: poll points for every series of the
 * three providers (series and prices seeded from the recorded payloads and the archive), the app's own
 * rollup into hour/day points, the app's own retention at the end of each week. Per-poll full-key
 * aggregates are generated for the days their retention keeps (3); older days' partitions are dropped
 * whole by retention, which returns their files entirely, so generating them first would change the
 * running time of the bench, not its storage figure.
 */
import './lib/node-version.ts';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { parseLambda } from '#adapters/lambda.ts';
import { parseRunpod } from '#adapters/runpod.ts';
import { PROVIDERS, type NormalizedOffer, type ProviderId } from '#adapters/types.ts';
import { parseVastai } from '#adapters/vastai.ts';
import { importArchive, BUNDLED_ARCHIVE_FILE } from '../src/lib/server/archive.ts';
import { openDatabase, rows, type Database, type Db } from '../src/lib/server/db/index.ts';
import { ensurePartitions } from '../src/lib/server/db/partitions.ts';
import { applyRetention } from '../src/lib/server/history/retention.ts';
import { rollupHistory } from '../src/lib/server/history/rollup.ts';
import { AGGREGATE_RETENTION_DAYS } from '../src/lib/server/history/time.ts';
import {
	aggregateOffers,
	FULL_KEY,
	insertOffersSql,
	SERIES_KEY,
	storeSnapshot,
	type PriceAggregate
} from '../src/lib/server/poll/snapshots.ts';
import { DEFAULT_TRUST } from '../src/lib/trust.ts';
import { ensureBuild, ROOT } from './lib/build.ts';
import { benchLoad, LOAD_TARGETS, loadTableLines, type LoadResult } from './lib/bench-load.ts';
import { median, timeInFreshClient } from './lib/bench-http.ts';
import { readArchive, vastAnswer, vastMarket } from './lib/bench-data.ts';

/** Stores as the poller does with the default settings and every provider enabled (the flags included). */
const TRUST = { settings: DEFAULT_TRUST, scope: PROVIDERS };

const TARGETS = { ingestRatio: 1.25, historyP95Ms: 25, compareP95Ms: 10, bytesPerYear: 1e9, pageJsKbGz: 110 };
const DAY_MS = 86_400_000;
const POLL_MS = 10 * 60_000;
const INGEST_OFFERS = 10_000;
const INGEST_RUNS = 41;
const HISTORY_GPU = 'h100-sxm';
const PAGES = {
	'/': '/',
	'/gpus/[slug]': `/gpus/${HISTORY_GPU}`,
	'/trends': '/trends',
	'/models': '/models',
	'/papers': '/papers',
	'/estimate': '/estimate',
	'/providers': '/providers',
	'/alerts': '/alerts'
} as const;

const log = (line: string) => process.stderr.write(line + '\n');
const fixture = (name: string) =>
	JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/providers', name), 'utf8'));

// ---------------------------------------------------------------------------------------------------
// The database under test
// ---------------------------------------------------------------------------------------------------

interface BenchDb {
	engine: 'pglite' | 'postgres';
	open(): Promise<Database>;
	/** env for the server process */
	serverEnv: Record<string, string>;
	cleanup(): Promise<void>;
}

async function benchDatabase(): Promise<BenchDb> {
	const adminUrl = process.env.DATABASE_URL;
	if (!adminUrl) {
		mkdirSync(join(ROOT, '.bench'), { recursive: true });
		const dataDir = mkdtempSync(join(ROOT, '.bench', 'pglite-'));
		return {
			engine: 'pglite',
			open: () => openDatabase({ dataDir }),
			serverEnv: { DATA_DIR: dataDir },
			cleanup: async () => rmSync(dataDir, { recursive: true, force: true })
		};
	}
	const name = `bench_${Date.now().toString(36)}`;
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database "${name}"`);
	await admin.end();
	const u = new URL(adminUrl);
	u.pathname = '/' + name;
	const url = u.toString();
	return {
		engine: 'postgres',
		open: () => openDatabase({ url, poolMax: 4 }),
		serverEnv: { DATABASE_URL: url },
		cleanup: async () => {
			const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
			await a.unsafe(`drop database if exists "${name}" with (force)`);
			await a.end();
		}
	};
}

async function databaseBytes(db: Db): Promise<number> {
	const [r] = await rows<{ b: number }>(db, sql`select pg_database_size(current_database())::float8 as b`);
	return Number(r!.b);
}

// ---------------------------------------------------------------------------------------------------
// Ingest
// ---------------------------------------------------------------------------------------------------

/**
 * The ingest path as the poller runs it: the adapter's pure `parse` of the decoded answer (undici's
 * body.json() decodes the HTTP body in the fetch step), then `storeSnapshot`. The JSON decoding of the
 * 22 MB answer is timed separately and reported beside it (ratioWithJsonDecode), for transparency.
 */
async function benchIngest(database: Database, answerText: string) {
	const db = database.db;
	const at = () => new Date();
	const full = async () => {
		// Decoded and parsed in a function of its own, as the poller does: the decoded answer is garbage by
		// the time the offers are stored.
		const { parsed, t0, t1, t2 } = (() => {
			const t0 = performance.now();
			const payload: unknown = JSON.parse(answerText);
			const t1 = performance.now();
			const parsed = parseVastai(payload, at());
			return { parsed, t0, t1, t2: performance.now() };
		})();
		await storeSnapshot(db, 'vastai', null, at(), parsed.offers, TRUST);
		const t3 = performance.now();
		return {
			timing: { decodeMs: t1 - t0, ms: t3 - t1, parseMs: t2 - t1, storeMs: t3 - t2 },
			offers: parsed.offers
		};
	};
	// The baseline: the same normalized rows, one bare bulk insert, nothing else (removed untimed after).
	const baseline = async (offers: NormalizedOffer[]) => {
		const t0 = performance.now();
		await db.transaction(async (tx) => {
			await tx.execute(insertOffersSql(-1, 'vastai', at().toISOString(), offers));
		});
		const ms = performance.now() - t0;
		await db.execute(sql`delete from offers where snapshot_id = -1`);
		return ms;
	};
	// Polls are 10 minutes apart, time enough for autovacuum to clear the previous snapshot's deleted
	// rows; back-to-back runs would instead pile them up in the table and its indexes and slow down
	// every later run. So each timed run (store or baseline alike) starts from a vacuumed table, untimed.
	const settled = async <T>(run: () => Promise<T>) => {
		await db.execute(sql`vacuum offers`);
		return run();
	};
	// Warm-up (JIT, caches) and a first snapshot, so every measured store replaces a full one as in use.
	const normalizedOffers = await (async () => {
		const warm = await settled(full);
		await settled(() => baseline(warm.offers));
		return warm.offers.length;
	})();
	// Only the timings are kept from run to run, not the offers: a process that held every run's offers
	// would make each garbage collection of the later runs dearer than the poller's ever are.
	const runs: Awaited<ReturnType<typeof full>>['timing'][] = [];
	const bases: number[] = [];
	for (let i = 0; i < INGEST_RUNS; i++) {
		const { timing, offers } = await settled(full);
		runs.push(timing);
		bases.push(await settled(() => baseline(offers)));
		if (process.env.BENCH_DEBUG)
			log(
				`run ${i}: parse ${timing.parseMs.toFixed(0)} store ${timing.storeMs.toFixed(0)} base ${bases.at(-1)!.toFixed(0)}`
			);
	}
	const ms = median(runs.map((r) => r.ms));
	const decodeMs = median(runs.map((r) => r.decodeMs));
	const baselineMs = median(bases);
	return {
		offers: INGEST_OFFERS,
		normalizedOffers,
		ms: Math.round(ms),
		baselineMs: Math.round(baselineMs),
		ratio: +(ms / baselineMs).toFixed(2),
		parseMs: Math.round(median(runs.map((r) => r.parseMs))),
		storeMs: Math.round(median(runs.map((r) => r.storeMs))),
		jsonDecodeMs: Math.round(decodeMs),
		ratioWithJsonDecode: +((ms + decodeMs) / baselineMs).toFixed(2)
	};
}

// ---------------------------------------------------------------------------------------------------
// A simulated year
// ---------------------------------------------------------------------------------------------------

interface Series extends PriceAggregate {
	provider: ProviderId;
}

/** Every series and full-key group the three providers' answers make, with their current prices. */
function marketShape(vastOffers: NormalizedOffer[]) {
	const now = new Date();
	const runpod = parseRunpod(fixture('runpod-v2-catalog-gpus-real.json'), now).offers;
	const runpodGql = parseRunpod(fixture('runpod-gputypes-real-2026-08-25.json'), now).offers;
	const lambda = parseLambda(fixture('lambda-instance-types-live-shape-2026-08-15.json'), now).offers;
	const byProvider: [ProviderId, NormalizedOffer[]][] = [
		['vastai', vastOffers],
		['runpod', [...runpod, ...runpodGql]],
		['lambda', lambda]
	];
	const series: Series[] = [];
	const groups: Series[] = [];
	for (const [provider, offers] of byProvider) {
		for (const a of aggregateOffers(offers, SERIES_KEY)) series.push({ ...a, provider });
		for (const a of aggregateOffers(offers, FULL_KEY)) groups.push({ ...a, provider });
	}
	const offerCounts = Object.fromEntries(byProvider.map(([p, o]) => [p, o.length])) as Record<
		ProviderId,
		number
	>;
	return { series, groups, current: byProvider, offerCounts };
}

/** text[] parameters of one field of each item. */
function col<T>(items: T[], f: (x: T) => string | number) {
	return sql.param(items.map((x) => String(f(x))));
}

/** Poll points of every series at every 10-minute poll in [from, to), prices moving smoothly. */
async function insertPollPoints(db: Db, series: Series[], from: Date, to: Date) {
	await db.execute(sql`
		insert into price_history (gpu, resolution, provider, pricing, cloud, source, t, min_usd, median_usd, max_usd, n, available_n)
		select s.gpu, 'poll', s.provider, s.pricing, s.cloud, 'live', ts,
		       s.mn::float8 * x.f, s.md::float8 * x.f, s.mx::float8 * x.f, s.n::int, s.av::int
		from unnest(${col(series, (s) => s.gpu)}::text[], ${col(series, (s) => s.provider)}::text[],
		            ${col(series, (s) => s.pricing)}::text[], ${col(series, (s) => s.cloud)}::text[],
		            ${col(series, (s) => s.minUsd)}::text[], ${col(series, (s) => s.medianUsd)}::text[],
		            ${col(series, (s) => s.maxUsd)}::text[], ${col(series, (s) => s.n)}::text[],
		            ${col(series, (s) => s.availableN)}::text[], ${sql.param(series.map((_s, i) => String((i * 2.399) % 6.283)))}::text[])
		     as s(gpu, provider, pricing, cloud, mn, md, mx, n, av, phase)
		cross join generate_series(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz - interval '1 second', interval '10 minutes') as ts
		cross join lateral (select 1 + 0.08 * sin(extract(epoch from ts) / 96257.0 + s.phase::float8)
		                          + 0.02 * (random() - 0.5) as f) x
		on conflict do nothing`);
}

/** The snapshot and poll-run rows a poll of each provider leaves, for every poll in [from, to). */
async function insertPollRecords(db: Db, offerCounts: Record<ProviderId, number>, from: Date, to: Date) {
	const providers = Object.keys(offerCounts) as ProviderId[];
	const range = sql`generate_series(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz - interval '1 second', interval '10 minutes') as ts`;
	const list = sql`unnest(${sql.param(providers)}::text[], ${sql.param(providers.map((p) => String(offerCounts[p])))}::text[]) as p(provider, n)`;
	await db.execute(sql`
		insert into poll_runs (cycle_id, provider, started_at, finished_at, status, offers_seen, offers_stored, duration_ms)
		select md5(ts::text), p.provider, ts, ts + interval '20 seconds', 'ok', p.n::int, p.n::int, 20000
		from ${list} cross join ${range}`);
	await db.execute(sql`
		insert into snapshots (provider, observed_at, offer_count, available_count)
		select p.provider, ts + interval '20 seconds', p.n::int, p.n::int from ${list} cross join ${range}`);
}

/** Full-key per-poll aggregates for every poll in [from, to). */
async function insertAggregates(db: Db, groups: Series[], from: Date, to: Date) {
	await db.execute(sql`
		insert into price_aggregates (snapshot_id, observed_at, provider, gpu, gpu_count, pricing, cloud, region,
		                              min_usd, median_usd, max_usd, n, available_n)
		select (extract(epoch from ts) / 600)::bigint, ts, g.provider, g.gpu, g.gc::smallint, g.pricing, g.cloud, g.region,
		       g.mn::float8, g.md::float8, g.mx::float8, g.n::int, g.av::int
		from unnest(${col(groups, (g) => g.provider)}::text[], ${col(groups, (g) => g.gpu)}::text[],
		            ${col(groups, (g) => g.gpuCount)}::text[], ${col(groups, (g) => g.pricing)}::text[],
		            ${col(groups, (g) => g.cloud)}::text[], ${col(groups, (g) => g.region)}::text[],
		            ${col(groups, (g) => g.minUsd)}::text[], ${col(groups, (g) => g.medianUsd)}::text[],
		            ${col(groups, (g) => g.maxUsd)}::text[], ${col(groups, (g) => g.n)}::text[],
		            ${col(groups, (g) => g.availableN)}::text[])
		     as g(provider, gpu, gc, pricing, cloud, region, mn, md, mx, n, av)
		cross join generate_series(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz - interval '1 second', interval '10 minutes') as ts`);
}

async function simulateYear(database: Database, shape: ReturnType<typeof marketShape>, now: Date) {
	const db = database.db;
	const start = new Date(Math.floor((now.getTime() - 365 * DAY_MS) / POLL_MS) * POLL_MS);
	await db.execute(sql`select setseed(0.42)`);
	let polls = 0;
	let weeks = 0;
	for (let from = start; from < now;) {
		const to = new Date(Math.min(from.getTime() + 7 * DAY_MS, now.getTime()));
		await ensurePartitions(db, from, to, ['price_history']);
		await insertPollPoints(db, shape.series, from, to);
		await insertPollRecords(db, shape.offerCounts, from, to);
		await rollupHistory(db, from, to);
		await applyRetention(database, to);
		polls += Math.round((to.getTime() - from.getTime()) / POLL_MS);
		from = to;
		if (++weeks % 8 === 0) log(`  … simulated up to ${to.toISOString().slice(0, 10)}`);
	}
	const aggFrom = new Date(now.getTime() - AGGREGATE_RETENTION_DAYS * DAY_MS);
	await ensurePartitions(db, aggFrom, now, ['price_aggregates']);
	await insertAggregates(db, shape.groups, new Date(Math.ceil(aggFrom.getTime() / POLL_MS) * POLL_MS), now);
	// The current snapshot of each provider, as the last poll leaves it.
	for (const [provider, offers] of shape.current) await storeSnapshot(db, provider, null, now, offers, TRUST);
	await rollupHistory(db, new Date(now.getTime() - 2 * 3_600_000), now);
	await applyRetention(database, now);
	if (database.engine === 'postgres') await db.execute(sql`vacuum analyze`);
	else await db.execute(sql`analyze`);
	return { polls, series: shape.series.length, aggregateGroups: shape.groups.length };
}

// ---------------------------------------------------------------------------------------------------
// HTTP and browser
// ---------------------------------------------------------------------------------------------------

/** Filter combinations for first-visit timings of the compare page (each computed once). */
const COLD_FILTERS = [
	...[1, 2, 3, 4, 5, 6, 8, 10, 12, 16].map((n) => `gpuCount=${n}`),
	...[16, 20, 24, 32, 40, 48, 80, 94, 141, 180].map((v) => `minVramGb=${v}`),
	...['US', 'CA', 'DE', 'GB', 'CZ', 'JP', 'TW', 'SE', 'NL', 'FR'].map((r) => `region=${r}`),
	...['secure', 'community'].map((c) => `cloud=${c}`),
	...['on_demand', 'spot'].map((p) => `pricing=${p}`),
	'available=true'
];

async function pageScripts(baseUrl: string): Promise<Record<string, number> | { skipped: string }> {
	const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
	const { existsSync } = await import('node:fs');
	if (!existsSync(executablePath)) return { skipped: `no Chromium at ${executablePath}` };
	const { chromium } = await import('@playwright/test');
	const browser = await chromium.launch({ executablePath, args: ['--disable-gpu'] });
	const out: Record<string, number> = {};
	try {
		for (const [name, path] of Object.entries(PAGES)) {
			const page = await browser.newPage();
			// Each body as a value or the error reading it: a response that arrives while the page closes
			// cannot be read, and is not counted (no page asks for a script then); a body counted that
			// could not be read fails the bench.
			const scripts = new Map<string, Promise<Buffer | Error>>();
			page.on('response', (r) => {
				if (r.request().resourceType() === 'script' || /\.m?js(\?|$)/.test(r.url()))
					scripts.set(
						r.url(),
						r.body().catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))
					);
			});
			await page.goto(baseUrl + path, { waitUntil: 'networkidle' });
			await page.waitForTimeout(500);
			let gz = 0;
			for (const [url, pending] of [...scripts]) {
				const body = await pending;
				if (body instanceof Error) throw new Error(`${url}: ${body.message}`);
				gz += gzipSync(body, { level: 9 }).length;
			}
			out[name] = +(gz / 1024).toFixed(1);
			await page.close();
		}
	} finally {
		await browser.close();
	}
	return out;
}

async function startServerOn(env: Record<string, string>) {
	const { spawn } = await import('node:child_process');
	const { createServer } = await import('node:net');
	const port: number = await new Promise((ok) => {
		const s = createServer();
		s.listen(0, '127.0.0.1', () => {
			const a = s.address();
			s.close(() => ok(typeof a === 'object' && a ? a.port : 0));
		});
	});
	// The Node flags `npm start` runs the server with (package.json): a 4 MB young generation and a 384 MB
	// old one keep the resident memory of a server under load far below V8's defaults (README "Performance").
	const flags = ['--max-semi-space-size=4', '--max-old-space-size=384'];
	const proc = spawn(process.execPath, [...flags, join(ROOT, 'scripts', 'start.ts')], {
		cwd: ROOT,
		env: {
			PATH: process.env.PATH ?? '',
			HOME: process.env.HOME ?? '',
			...env,
			PORT: String(port),
			HOST: '127.0.0.1',
			POLL_INTERVAL_MINUTES: '0',
			ARCHIVE_IMPORT: '0'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	proc.stdout.on('data', (d) => (output += d));
	proc.stderr.on('data', (d) => (output += d));
	for (let i = 0; i < 600 && !/Listening on/.test(output); i++) {
		if (proc.exitCode !== null) throw new Error(`server exited:\n${output}`);
		await new Promise((r) => setTimeout(r, 100));
	}
	if (!/Listening on/.test(output)) throw new Error(`server did not start:\n${output}`);
	return {
		url: `http://127.0.0.1:${port}`,
		pid: proc.pid,
		stop: () =>
			new Promise<void>((ok) => {
				proc.on('exit', () => ok());
				proc.kill('SIGTERM');
			})
	};
}

// ---------------------------------------------------------------------------------------------------

async function main() {
	ensureBuild(log);
	const bench = await benchDatabase();
	log(`[bench] engine: ${bench.engine}; ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);
	const now = new Date();
	const archive = readArchive();
	const template = fixture('vast-bundles-offer-real-2024-cli-raw.json')[0];
	const answer = vastAnswer(INGEST_OFFERS, vastMarket(archive), template);
	const answerText = JSON.stringify(answer);

	const database = await bench.open();
	try {
		// What a first start leaves: migrations and the bundled archive.
		await importArchive(database.db, {
			fileName: BUNDLED_ARCHIVE_FILE,
			content: readFileSync(join(ROOT, 'archive', BUNDLED_ARCHIVE_FILE))
		});
		log('[bench] ingest …');
		const ingest = await benchIngest(database, answerText);
		// BENCH_ONLY=ingest stops here (for working on the write path).
		if (process.env.BENCH_ONLY === 'ingest') {
			process.stdout.write(JSON.stringify({ engine: bench.engine, ingest }) + '\n');
			return;
		}
		await database.db.execute(sql`delete from offers`);
		await database.db.execute(sql`delete from price_aggregates`);
		await database.db.execute(sql`delete from price_history where source = 'live'`);
		await database.db.execute(sql`delete from snapshots`);
		// Start the year from a compact database, as a fresh install is.
		await database.db.execute(sql`vacuum full`);

		const sizeBefore = await databaseBytes(database.db);
		log('[bench] a simulated year of 10-minute polls …');
		const t0 = performance.now();
		const shape = marketShape(parseVastai(JSON.parse(answerText), now).offers);
		const year = await simulateYear(database, shape, now);
		const simulateS = (performance.now() - t0) / 1000;
		const sizeAfter = await databaseBytes(database.db);
		const [hist] = await rows<{ n: number }>(
			database.db,
			sql`select count(*)::int as n from price_history where gpu = ${HISTORY_GPU} and t >= ${new Date(now.getTime() - 365 * DAY_MS).toISOString()}::timestamptz`
		);
		const [counts] = await rows<Record<string, number>>(
			database.db,
			sql`select (select count(*) from price_history where resolution = 'poll')::int as poll_points,
			           (select count(*) from price_history where resolution = 'hour')::int as hour_points,
			           (select count(*) from price_history where resolution = '6h')::int as six_hour_points,
			           (select count(*) from price_history where resolution = 'day')::int as day_points,
			           (select count(*) from price_aggregates)::int as aggregates,
			           (select count(*) from snapshots)::int as snapshots,
			           (select count(*) from poll_runs)::int as poll_runs,
			           (select count(*) from offers)::int as offers`
		);
		await database.close();

		log('[bench] HTTP against the built server …');
		const server = await startServerOn(bench.serverEnv);
		let history, compare, pages, load: LoadResult;
		try {
			const from = new Date(now.getTime() - 365 * DAY_MS).toISOString();
			// Timed from a fresh client process (scripts/lib/bench-http.ts): this process's own garbage
			// collections, with a simulated year in its heap, would otherwise count as server latency.
			const h = await timeInFreshClient('repeat', [
				`${server.url}/api/history?gpu=${HISTORY_GPU}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(now.toISOString())}`
			]);
			// Repeats are served from memory (kept per data version, src/lib/server/cache): ranges that start an
			// hour apart are each a first visit, read from the database.
			const historyCold = await timeInFreshClient(
				'distinct',
				Array.from({ length: 20 }, (_, i) => {
					const f = new Date(now.getTime() - 365 * DAY_MS + (i + 1) * 3_600_000).toISOString();
					return `${server.url}/api/history?gpu=${HISTORY_GPU}&from=${encodeURIComponent(f)}&to=${encodeURIComponent(now.toISOString())}`;
				})
			);
			history = {
				rows: hist!.n,
				p95Ms: h.p95Ms,
				medianMs: h.medianMs,
				firstVisitP95Ms: historyCold.p95Ms,
				firstVisitMedianMs: historyCold.medianMs,
				engine: bench.engine
			};
			const c = await timeInFreshClient('repeat', [`${server.url}/`]);
			// The compare view is kept per snapshot version (src/lib/server/offers/views.ts): the first visit after a poll computes
			// it. Distinct filter combinations are each such a first visit.
			const cold = await timeInFreshClient(
				'distinct',
				COLD_FILTERS.map((q) => `${server.url}/?${q}`)
			);
			compare = {
				p95Ms: c.p95Ms,
				medianMs: c.medianMs,
				htmlBytes: c.bytes,
				firstVisitP95Ms: cold.p95Ms,
				firstVisitMedianMs: cold.medianMs
			};
			log('[bench] page JavaScript in Chromium …');
			pages = await pageScripts(server.url);
			load = await benchLoad(server.url, server.pid, {
				gpu: HISTORY_GPU,
				historyFrom: from,
				historyTo: now.toISOString(),
				log
			});
		} finally {
			await server.stop();
		}
		const storage = {
			bytesPerYear: sizeAfter - sizeBefore,
			sizeBeforeBytes: sizeBefore,
			sizeAfterBytes: sizeAfter,
			rows: counts,
			...year
		};
		const result = {
			engine: bench.engine,
			machine: { cores: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
			ingest,
			history,
			compare,
			storage,
			pagesJsKbGz: pages,
			load,
			simulateSeconds: Math.round(simulateS),
			targets: { ...TARGETS, load: LOAD_TARGETS },
			met: {
				ingest: ingest.ratio <= TARGETS.ingestRatio,
				history: history.p95Ms <= TARGETS.historyP95Ms,
				compare: compare.p95Ms <= TARGETS.compareP95Ms,
				storage: storage.bytesPerYear <= TARGETS.bytesPerYear,
				pages: 'skipped' in pages ? null : Object.values(pages).every((kb) => kb <= TARGETS.pageJsKbGz),
				load: load.met
			}
		};
		printTable(result);
		process.stdout.write(JSON.stringify(result) + '\n');
	} finally {
		await database.close().catch(() => {});
		// BENCH_KEEP=1 keeps the database for a look at the plans (README "Performance").
		if (process.env.BENCH_KEEP === '1') log(`[bench] kept: ${JSON.stringify(bench.serverEnv)}`);
		else await bench.cleanup();
	}
}

function printTable(r: {
	engine: string;
	ingest: {
		ms: number;
		baselineMs: number;
		ratio: number;
		parseMs: number;
		storeMs: number;
		normalizedOffers: number;
		jsonDecodeMs: number;
		ratioWithJsonDecode: number;
	};
	history: { rows: number; p95Ms: number; firstVisitP95Ms: number };
	compare: { p95Ms: number; firstVisitP95Ms: number };
	storage: { bytesPerYear: number; polls: number; series: number; aggregateGroups: number };
	pagesJsKbGz: Record<string, number> | { skipped: string };
	load: LoadResult;
	met: Record<string, unknown>;
}) {
	const mark = (ok: unknown) => (ok === null ? 'n/a' : ok ? 'ok' : 'MISSED');
	const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
	const lines: [string, string, string, string][] = [
		['measure', `value (${r.engine})`, 'target', ''],
		[
			'ingest 10k vast.ai offers',
			`${r.ingest.ms} ms vs ${r.ingest.baselineMs} ms bare insert = ×${r.ingest.ratio} (parse ${r.ingest.parseMs}, store ${r.ingest.storeMs}; ${r.ingest.normalizedOffers} offers; +${r.ingest.jsonDecodeMs} ms JSON decode = ×${r.ingest.ratioWithJsonDecode})`,
			`≤ ×${TARGETS.ingestRatio}`,
			mark(r.met.ingest!)
		],
		[
			'GET /api/history, 1 year',
			`p95 ${r.history.p95Ms} ms (first visit p95 ${r.history.firstVisitP95Ms} ms; ${r.history.rows} stored rows of that GPU)`,
			`≤ ${TARGETS.historyP95Ms} ms`,
			mark(r.met.history!)
		],
		[
			'GET / (compare)',
			`p95 ${r.compare.p95Ms} ms (first visit after a poll: p95 ${r.compare.firstVisitP95Ms} ms)`,
			`≤ ${TARGETS.compareP95Ms} ms`,
			mark(r.met.compare!)
		],
		[
			'storage per year',
			`${mb(r.storage.bytesPerYear)} (${r.storage.polls} polls, ${r.storage.series} series, ${r.storage.aggregateGroups} groups/poll)`,
			'≤ 1 GB',
			mark(r.met.storage!)
		],
		[
			'gzipped JS per page',
			'skipped' in r.pagesJsKbGz
				? `skipped: ${r.pagesJsKbGz.skipped}`
				: Object.entries(r.pagesJsKbGz)
						.map(([k, v]) => `${k} ${v} KB`)
						.join(', '),
			`≤ ${TARGETS.pageJsKbGz} KB`,
			mark(r.met.pages!)
		]
	];
	lines.push(...loadTableLines(r.load));
	const w = [0, 1, 2].map((i) => Math.max(...lines.map((l) => l[i]!.length)));
	for (const l of lines) console.log(l.map((c, i) => (i < 3 ? c.padEnd(w[i]!) : c)).join('  '));
}

await main();
