/**
 * The load phase of `npm run bench`: many readers at once against the built server, measured with
 * autocannon — 32 connections for 5 s per target, each target's req/s and p99 latency, its ratio to the
 * server's own static file (what the machine can serve at all, so the ratio travels between machines),
 * and the server's resident memory after all of it.
 *
 * Every request says `Accept-Encoding: gzip, deflate, br`, as browsers do. Each target gets one second of
 * the same load first (the first reader after a poll builds an answer; the measure is of the readers after).
 * The parameterised /estimate cycles through distinct estimates (model × method × GPU × sequence length),
 * each of them canonical (the page redirects any other spelling), so most of its requests compute.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export const LOAD_TARGETS = {
	/** data pages and APIs: req/s at least this fraction of the static file's */
	dataRatio: 0.2,
	/** the parameterised /estimate */
	estimateRatio: 0.05,
	p99Ms: 250,
	/** resident memory of the server after the load (PGlite: the database is in that process) */
	rssMb: 450
};

const CONNECTIONS = 32;
const DURATION_S = 5;
const WARMUP_S = 1;
const HEADERS = { 'accept-encoding': 'gzip, deflate, br' };
export const STATIC_FILE = '/favicon.svg';

export interface LoadFigure {
	reqPerSec: number;
	p99Ms: number;
	errors: number;
	ratio: number;
	met: boolean;
}

export interface LoadResult {
	connections: number;
	durationS: number;
	targets: Record<string, LoadFigure>;
	rssMb: number | null;
	met: { throughput: boolean; p99: boolean; errors: boolean; rss: boolean | null };
}

/** Distinct canonical /estimate URLs (their 303 targets when the server spells them otherwise). */
async function estimateUrls(baseUrl: string): Promise<string[]> {
	const models = ['mistralai/Mistral-7B-v0.1', 'meta-llama/Llama-2-13b-hf', 'Qwen/Qwen1.5-7B'];
	const methods = ['qlora', 'lora'];
	const gpus = ['rtx-4090', 'a100-sxm-80gb', 'h100-sxm', 'l40s'];
	const seqLens = [512, 1024, 2048, 4096];
	const out: string[] = [];
	for (const model of models)
		for (const method of methods)
			for (const gpu of gpus)
				for (const seqLen of seqLens) {
					let path = `/estimate?${new URLSearchParams({ model, method, gpu, seqLen: String(seqLen) })}`;
					const res = await fetch(baseUrl + path, { redirect: 'manual' });
					await res.arrayBuffer();
					if (res.status === 303) path = res.headers.get('location') ?? path;
					out.push(path);
				}
	return [...new Set(out)];
}

function run(baseUrl: string, paths: string[], durationS: number): Promise<autocannon.Result> {
	let i = 0;
	return autocannon({
		url: baseUrl,
		connections: CONNECTIONS,
		duration: durationS,
		headers: HEADERS,
		requests: [
			{
				method: 'GET',
				setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! })
			}
		]
	});
}

function figure(r: autocannon.Result): Omit<LoadFigure, 'ratio' | 'met'> {
	return {
		reqPerSec: Math.round(r['2xx'] / r.duration),
		p99Ms: r.latency.p99,
		errors: r.errors + r.timeouts + r.non2xx
	};
}

/** Resident memory of a process (Linux /proc), MB; null where there is no /proc. */
function rssMb(pid: number): number | null {
	try {
		const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Math.round(Number(m[1]) / 1024) : null;
	} catch {
		return null;
	}
}

export async function benchLoad(
	baseUrl: string,
	serverPid: number | undefined,
	opts: { gpu: string; historyFrom: string; historyTo: string; log: (line: string) => void }
): Promise<LoadResult> {
	const history = `/api/history?gpu=${opts.gpu}&from=${encodeURIComponent(opts.historyFrom)}&to=${encodeURIComponent(opts.historyTo)}`;
	const targets: Record<string, string[]> = {
		static: [STATIC_FILE],
		'/': ['/'],
		'/gpus/[slug]': [`/gpus/${opts.gpu}`],
		'/trends': ['/trends'],
		'/models': ['/models'],
		'/papers': ['/papers'],
		'/api/offers': ['/api/offers?limit=100'],
		'/api/history': [history],
		'/api/gpus': ['/api/gpus'],
		'/estimate?…': await estimateUrls(baseUrl)
	};
	const out: Record<string, LoadFigure> = {};
	let staticRate = 0;
	for (const [name, paths] of Object.entries(targets)) {
		opts.log(`[bench] load: ${name} (${paths.length} URL${paths.length > 1 ? 's' : ''}) …`);
		// The warm-up of the parameterised estimate is one request per URL: all of them are first visits.
		if (name === '/estimate?…') for (const p of paths) await (await fetch(baseUrl + p)).arrayBuffer();
		else await run(baseUrl, paths, WARMUP_S);
		const f = figure(await run(baseUrl, paths, DURATION_S));
		if (name === 'static') staticRate = f.reqPerSec;
		const ratio = staticRate > 0 ? +(f.reqPerSec / staticRate).toFixed(3) : 0;
		const minRatio = name === '/estimate?…' ? LOAD_TARGETS.estimateRatio : LOAD_TARGETS.dataRatio;
		const met = (name === 'static' || ratio >= minRatio) && f.p99Ms <= LOAD_TARGETS.p99Ms && f.errors === 0;
		out[name] = { ...f, ratio, met };
	}
	const rss = serverPid ? rssMb(serverPid) : null;
	const list = Object.entries(out);
	return {
		connections: CONNECTIONS,
		durationS: DURATION_S,
		targets: out,
		rssMb: rss,
		met: {
			throughput: list.every(
				([name, f]) =>
					name === 'static' ||
					f.ratio >= (name === '/estimate?…' ? LOAD_TARGETS.estimateRatio : LOAD_TARGETS.dataRatio)
			),
			p99: list.every(([, f]) => f.p99Ms <= LOAD_TARGETS.p99Ms),
			errors: list.every(([, f]) => f.errors === 0),
			rss: rss === null ? null : rss <= LOAD_TARGETS.rssMb
		}
	};
}

/** Table lines of the load phase for the bench's table. */
export function loadTableLines(r: LoadResult): [string, string, string, string][] {
	const mark = (ok: boolean | null) => (ok === null ? 'n/a' : ok ? 'ok' : 'MISSED');
	const lines: [string, string, string, string][] = Object.entries(r.targets).map(([name, f]) => [
		`load ${name}`,
		`${f.reqPerSec} req/s, p99 ${f.p99Ms} ms${f.errors ? `, ${f.errors} errors` : ''}` +
			(name === 'static' ? '' : ` = ×${f.ratio} of static`),
		name === 'static'
			? `p99 ≤ ${LOAD_TARGETS.p99Ms} ms`
			: `≥ ×${name === '/estimate?…' ? LOAD_TARGETS.estimateRatio : LOAD_TARGETS.dataRatio}, p99 ≤ ${LOAD_TARGETS.p99Ms} ms`,
		mark(f.met)
	]);
	lines.push([
		'server memory after load',
		r.rssMb === null ? 'unknown' : `${r.rssMb} MB resident`,
		`≤ ${LOAD_TARGETS.rssMb} MB (PGlite)`,
		mark(r.met.rss)
	]);
	return lines;
}
