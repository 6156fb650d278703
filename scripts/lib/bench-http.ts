/**
 * Sequential request timings for `npm run bench`, run in a process of their own: the bench process holds
 * a simulated year of data by the time it measures HTTP, and its own garbage collections (pauses of up to
 * ~200 ms with a large heap) would be counted as the server's latency. This client starts with an empty
 * heap, times the requests, and prints one JSON line.
 *
 *   node scripts/lib/bench-http.ts repeat <url>          15 warm-up, then 100 timed requests of one URL
 *   node scripts/lib/bench-http.ts distinct <url> <url>…  each URL once (each a first visit)
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const HTTP_WARMUP = 15;
export const HTTP_RUNS = 100;

export interface Timings {
	p95Ms: number;
	medianMs: number;
	/** body bytes of the last answer (repeat only) */
	bytes: number;
}

export const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1]!;
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeOnce(url: string): Promise<{ ms: number; bytes: number }> {
	const t0 = performance.now();
	const res = await fetch(url);
	const body = await res.arrayBuffer();
	const ms = performance.now() - t0;
	if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
	return { ms, bytes: body.byteLength };
}

async function measure(mode: 'repeat' | 'distinct', urls: string[]): Promise<Timings> {
	const times: number[] = [];
	let bytes = 0;
	if (mode === 'repeat') {
		for (let i = 0; i < HTTP_WARMUP; i++) await timeOnce(urls[0]!);
		for (let i = 0; i < HTTP_RUNS; i++) {
			const r = await timeOnce(urls[0]!);
			times.push(r.ms);
			bytes = r.bytes;
		}
	} else {
		for (const url of urls) times.push((await timeOnce(url)).ms);
	}
	return { p95Ms: +p95(times).toFixed(1), medianMs: +median(times).toFixed(1), bytes };
}

/** Times the requests in a fresh Node process (this file as a script) and returns its figures. */
export function timeInFreshClient(mode: 'repeat' | 'distinct', urls: string[]): Promise<Timings> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [fileURLToPath(import.meta.url), mode, ...urls], {
			stdio: ['ignore', 'pipe', 'inherit']
		});
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.on('error', reject);
		child.on('exit', (code) => {
			if (code !== 0) return reject(new Error(`bench-http ${mode} exited with ${code}`));
			try {
				resolve(JSON.parse(out.trim().split('\n').pop()!) as Timings);
			} catch (err) {
				reject(err);
			}
		});
	});
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const [mode, ...urls] = process.argv.slice(2);
	if ((mode !== 'repeat' && mode !== 'distinct') || urls.length === 0) {
		console.error('usage: bench-http.ts repeat <url> | distinct <url>…');
		process.exit(2);
	}
	console.log(JSON.stringify(await measure(mode, urls)));
}
