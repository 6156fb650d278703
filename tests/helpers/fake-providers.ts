/**
 * A loopback HTTP server that plays vast.ai, RunPod and Lambda at their real paths, serving the recorded
 * payloads of tests/fixtures/providers by default. Each provider's answer can be swapped at runtime —
 * another payload, or a fault (timeout, connection reset, 429, 500, HTML page, truncated JSON, changed
 * shape, empty answer, 401) — in-process with `set()`, or from another process with
 * `POST /__fake/<provider>` (JSON body: a Behaviour). Reused by the poller, history/alerts and e2e suites.
 *
 *   const fake = await startFakeProviders();
 *   const env = fake.env();                 // VASTAI_API_URL, RUNPOD_API_URL, LAMBDA_API_URL
 *   fake.set('vastai', { fault: '500' });
 *   fake.set('runpod', { payload: {...} });
 *   fake.reset();                           // back to the recorded payloads
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { join, resolve } from 'node:path';
import type { ProviderId } from '#adapters/types.ts';

export const FIXTURES_DIR = resolve(import.meta.dirname, '..', 'fixtures', 'providers');

export const FAULTS = [
	'timeout',
	'reset',
	'429',
	'500',
	'html',
	'truncated',
	'shape',
	'empty',
	'401'
] as const;
export type Fault = (typeof FAULTS)[number];

export type Behaviour =
	| { payload: unknown; status?: number; headers?: Record<string, string> }
	/** exactly these bytes (an HTML page, a plain-text error, broken JSON) */
	| { raw: string; status?: number; headers?: Record<string, string> }
	| { fault: Fault; retryAfterSeconds?: number };

/** The paths the adapters call (adapters/vastai.ts, runpod.ts, lambda.ts). */
export const PROVIDER_PATHS: Record<ProviderId, string> = {
	vastai: '/api/v0/bundles/',
	runpod: '/graphql',
	lambda: '/api/v1/instance-types'
};

/**
 * SkyPilot's catalog files for Lambda without a key (adapters/lambda-catalog.ts): the newest version's
 * answer follows `set('lambda-catalog', …)`; the previous version always serves the recorded v8 file.
 */
export const CATALOG_PATHS = {
	newest: '/skypilot/catalogs/v9/lambda/vms.csv',
	previous: '/skypilot/catalogs/v8/lambda/vms.csv'
} as const;
export const LAMBDA_CATALOG_CSV = readFileSync(
	join(FIXTURES_DIR, 'lambda-skypilot-catalog-v8-vms.csv'),
	'utf8'
);

/** The catalog's faults: the CSV counterparts of the JSON ones above. */
function catalogFault(fault: Fault): string | null {
	const lines = LAMBDA_CATALOG_CSV.split('\r\n');
	switch (fault) {
		case 'truncated':
			// Cut mid-row (inside GpuInfo's quoted text), as a dropped connection leaves it.
			return LAMBDA_CATALOG_CSV.slice(0, LAMBDA_CATALOG_CSV.indexOf("'Gpus'", LAMBDA_CATALOG_CSV.length / 2));
		case 'shape':
			// SkyPilot added a column: the header no longer matches.
			return lines.map((l, i) => (l === '' ? l : l + (i === 0 ? ',Generation' : ',x'))).join('\r\n');
		case 'empty':
			return lines[0] + '\r\n';
		default:
			return null;
	}
}

export function readFixture<T = unknown>(name: string): T {
	return JSON.parse(readFileSync(join(FIXTURES_DIR, name), 'utf8')) as T;
}

/** The recorded real answers: one vast.ai offer (CLI raw), RunPod's 2026-08-25 GraphQL capture, Lambda's live shape. */
export function recordedPayloads(): Record<ProviderId, unknown> {
	return {
		vastai: { offers: readFixture('vast-bundles-offer-real-2024-cli-raw.json') },
		runpod: readFixture('runpod-gputypes-real-2026-08-25.json'),
		lambda: readFixture('lambda-instance-types-live-shape-2026-08-15.json')
	};
}

/** The same data under keys the adapters do not know: a provider changed its API. */
const CHANGED_SHAPE: Record<ProviderId, unknown> = {
	vastai: { results: [{ gpu: 'RTX 4090', price: 0.25 }] },
	runpod: { data: { gpuTypeList: [{ id: 'NVIDIA GeForce RTX 4090', price: 0.34 }] } },
	lambda: { instance_types: [{ name: 'gpu_1x_h100_sxm5', price: 429 }] }
};

/** A valid answer holding nothing. */
const EMPTY: Record<ProviderId, unknown> = {
	vastai: { offers: [] },
	runpod: { data: { gpuTypes: [] } },
	lambda: { data: {} }
};

export interface RecordedRequest {
	provider: ProviderId;
	method: string;
	path: string;
	query: string;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	at: number;
}

export interface FakeProviders {
	url: string;
	port: number;
	/** the environment pointing the app at this server */
	env(): {
		VASTAI_API_URL: string;
		RUNPOD_API_URL: string;
		LAMBDA_API_URL: string;
		LAMBDA_CATALOG_URL: string;
	};
	/** `lambda-catalog`: the newest SkyPilot catalog version's answer (CATALOG_PATHS.newest) */
	set(provider: ProviderId | 'lambda-catalog', behaviour: Behaviour): void;
	/** back to the recorded payloads (one provider, or all) */
	reset(provider?: ProviderId | 'lambda-catalog'): void;
	/** requests answered (or held) per provider since start/reset */
	hits(provider: ProviderId | 'lambda-catalog'): number;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

export interface FakeProvidersOptions {
	port?: number;
	host?: string;
	/** payloads instead of the recorded ones */
	payloads?: Partial<Record<ProviderId, unknown>>;
	/** the Lambda key to accept (default: any non-empty Bearer token) */
	lambdaKey?: string;
}

function providerOf(path: string): ProviderId | undefined {
	for (const [id, p] of Object.entries(PROVIDER_PATHS) as [ProviderId, string][]) {
		if (path === p || path === p.replace(/\/$/, '')) return id;
	}
	return undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const c of req) chunks.push(c as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
		...headers
	});
	res.end(text);
}

/**
 * vast.ai's search honours `limit`, `order` by dph_total and `dph_total.gte`, like the real endpoint
 * does for the adapter's paging (adapters/vastai.ts) — so paging can be tested against a big market.
 */
function vastaiAnswer(payload: unknown, query: unknown): unknown {
	const offers = (payload as { offers?: unknown })?.offers;
	if (!Array.isArray(offers) || !query || typeof query !== 'object') return payload;
	const q = query as { limit?: number; dph_total?: { gte?: number } };
	let list = [...offers];
	const gte = q.dph_total?.gte;
	if (typeof gte === 'number')
		list = list.filter((o) => Number((o as { dph_total?: number }).dph_total) >= gte);
	list.sort(
		(a, b) => Number((a as { dph_total: number }).dph_total) - Number((b as { dph_total: number }).dph_total)
	);
	if (typeof q.limit === 'number') list = list.slice(0, q.limit);
	return { ...(payload as object), offers: list };
}

export async function startFakeProviders(opts: FakeProvidersOptions = {}): Promise<FakeProviders> {
	const defaults = { ...recordedPayloads(), ...opts.payloads };
	const behaviours = new Map<ProviderId | 'lambda-catalog', Behaviour>();
	const hits = new Map<ProviderId | 'lambda-catalog', number>();
	const requests: RecordedRequest[] = [];
	const sockets = new Set<Socket>();

	const behaviourOf = (p: ProviderId): Behaviour => behaviours.get(p) ?? { payload: defaults[p] };

	async function handle(req: IncomingMessage, res: ServerResponse) {
		const url = new URL(req.url ?? '/', 'http://fake');
		const raw = await readBody(req);
		// Control API for other processes (the e2e suite).
		if (url.pathname === '/__fake/health') return sendJson(res, 200, { ok: true });
		if (url.pathname.startsWith('/__fake')) {
			const target = url.pathname.split('/')[2] as ProviderId | 'lambda-catalog' | undefined;
			if (req.method === 'DELETE') {
				if (target) behaviours.delete(target);
				else behaviours.clear();
				return sendJson(res, 200, { ok: true });
			}
			if (req.method === 'POST' && target && (target in PROVIDER_PATHS || target === 'lambda-catalog')) {
				behaviours.set(target, JSON.parse(raw) as Behaviour);
				return sendJson(res, 200, { ok: true });
			}
			if (req.method === 'GET') {
				return sendJson(res, 200, { hits: Object.fromEntries(hits), requests: requests.length });
			}
			return sendJson(res, 400, { error: 'unknown control request' });
		}
		if (url.pathname === CATALOG_PATHS.previous || url.pathname === CATALOG_PATHS.newest) {
			return serveCatalog(req, res, url.pathname === CATALOG_PATHS.newest);
		}
		// A tiny Hugging Face Hub (HF_ENDPOINT): config.json files of tests/fixtures/hf-configs.
		const hub = hubAnswer(url.pathname, req.headers.authorization);
		if (hub) {
			res.writeHead(hub.status, { 'content-type': 'application/json', ...hub.headers });
			return res.end(hub.body);
		}
		const provider = providerOf(url.pathname);
		if (!provider) return sendJson(res, 404, { error: 'not found' });
		let body: unknown;
		try {
			body = raw ? JSON.parse(raw) : undefined;
		} catch {
			body = raw;
		}
		hits.set(provider, (hits.get(provider) ?? 0) + 1);
		requests.push({
			provider,
			method: req.method ?? 'GET',
			path: url.pathname,
			query: url.search,
			headers: req.headers,
			body,
			at: Date.now()
		});
		if (provider === 'lambda') {
			const auth = String(req.headers.authorization ?? '');
			const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
			if (!token || (opts.lambdaKey !== undefined && token !== opts.lambdaKey)) {
				return sendJson(res, 401, LAMBDA_401);
			}
		}
		const b = behaviourOf(provider);
		if ('raw' in b) {
			res.writeHead(b.status ?? 200, { 'content-type': 'text/plain; charset=utf-8', ...b.headers });
			return res.end(b.raw);
		}
		if ('payload' in b) {
			const answer = provider === 'vastai' ? vastaiAnswer(b.payload, body) : b.payload;
			return sendJson(res, b.status ?? 200, answer, b.headers);
		}
		switch (b.fault) {
			case 'timeout':
				// Hold the request: the client's timeout must end it.
				return;
			case 'reset':
				req.socket.destroy();
				return;
			case '429':
				// vast.ai: plain text, no Retry-After (docs/providers.md §1.5) unless the test asks for one.
				res.writeHead(429, {
					'content-type': 'text/plain',
					...(b.retryAfterSeconds !== undefined ? { 'retry-after': String(b.retryAfterSeconds) } : {})
				});
				return res.end('API requests too frequent');
			case '500':
				return sendJson(res, 500, { error: 'internal server error' });
			case 'html': {
				const html =
					'<!DOCTYPE html><html><head><title>Maintenance</title></head><body><h1>We will be back soon</h1></body></html>';
				res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
				return res.end(html);
			}
			case 'truncated': {
				const text = JSON.stringify(defaults[provider]);
				const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
				res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(cut) });
				return res.end(cut);
			}
			case 'shape':
				return sendJson(res, 200, CHANGED_SHAPE[provider]);
			case 'empty':
				return sendJson(res, 200, EMPTY[provider]);
			case '401':
				return sendJson(res, 401, LAMBDA_401);
		}
	}

	/** SkyPilot's raw-file host: text/plain CSV, or the newest version's configured behaviour. */
	function serveCatalog(req: IncomingMessage, res: ServerResponse, newest: boolean) {
		const key = 'lambda-catalog' as const;
		if (newest) hits.set(key, (hits.get(key) ?? 0) + 1);
		const b: Behaviour = (newest && behaviours.get(key)) || { raw: LAMBDA_CATALOG_CSV };
		if ('raw' in b || 'payload' in b) {
			const text = 'raw' in b ? b.raw : String(b.payload);
			res.writeHead(b.status ?? 200, { 'content-type': 'text/plain; charset=utf-8', ...b.headers });
			return res.end(text);
		}
		const csv = catalogFault(b.fault);
		if (csv !== null) {
			res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
			return res.end(csv);
		}
		if (b.fault === 'timeout') return;
		if (b.fault === 'reset') return req.socket.destroy();
		if (b.fault === 'html') {
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
			return res.end(
				'<!DOCTYPE html><html><body><h1>Unicorn! This page is taking too long</h1></body></html>'
			);
		}
		res.writeHead(Number(b.fault) || 500, { 'content-type': 'text/plain' });
		return res.end('error');
	}

	const server: Server = createServer((req, res) => {
		handle(req, res).catch((err) => {
			if (!res.headersSent) sendJson(res, 500, { error: String(err) });
			else res.destroy();
		});
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	const host = opts.host ?? '127.0.0.1';
	await new Promise<void>((ok, fail) => {
		server.once('error', fail);
		server.listen(opts.port ?? 0, host, () => ok());
	});
	const addr = server.address();
	const port = typeof addr === 'object' && addr ? addr.port : 0;
	const url = `http://${host}:${port}`;
	return {
		url,
		port,
		env: () => ({
			VASTAI_API_URL: url,
			RUNPOD_API_URL: url,
			LAMBDA_API_URL: url,
			LAMBDA_CATALOG_URL: url + CATALOG_PATHS.newest
		}),
		set: (p, b) => behaviours.set(p, b),
		reset(p) {
			if (p) {
				behaviours.delete(p);
				hits.delete(p);
			} else {
				behaviours.clear();
				hits.clear();
			}
		},
		hits: (p) => hits.get(p) ?? 0,
		requests,
		close: () =>
			new Promise<void>((ok) => {
				for (const s of sockets) s.destroy();
				server.close(() => ok());
			})
	};
}

/** Lambda's documented 401 (OpenAPI v1.10.0, lambda-instance-types-openapi-example.source.txt). */
export const LAMBDA_401 = {
	error: {
		code: 'global/invalid-api-key',
		message: 'API key was invalid, expired, or deleted.',
		suggestion: 'Check your API key or create a new one, then try again.'
	}
};

export const HUB_CONFIGS_DIR = resolve(import.meta.dirname, '..', 'fixtures', 'hf-configs');
/** The token the fake Hub accepts for its gated models. */
export const HUB_GOOD_TOKEN = 'hf_fake_good_token';

/**
 * The fake Hub's answer to `/{owner}/{name}/resolve/main/config.json`, or null for other paths:
 *  - a recorded config.json whose fixture is the lowercased name (`Qwen/Qwen3-8B` → qwen3-8b.json);
 *  - owner `gated-org`: 401 (GatedRepo) without a token, 403 with a wrong one, the Qwen3-8B config with
 *    HUB_GOOD_TOKEN (what the Hub does for a gated repo);
 *  - names `malformed` (not JSON), `unreadable` (no hidden_size), `huge` (2 MB);
 *  - anything else 404 with X-Error-Code RepoNotFound.
 */
export function hubAnswer(
	pathname: string,
	authorization: string | undefined
): { status: number; body: string; headers: Record<string, string> } | null {
	const m = /^\/([^/]+)\/([^/]+)\/resolve\/main\/config\.json$/.exec(pathname);
	if (!m) return null;
	const [, owner, name] = m as unknown as [string, string, string];
	const ok = (body: string) => ({ status: 200, body, headers: {} });
	if (owner === 'gated-org') {
		if (!authorization)
			return { status: 401, body: '{"error":"gated"}', headers: { 'x-error-code': 'GatedRepo' } };
		if (authorization !== `Bearer ${HUB_GOOD_TOKEN}`)
			return { status: 403, body: '{"error":"forbidden"}', headers: { 'x-error-code': 'GatedRepo' } };
		return ok(readFileSync(join(HUB_CONFIGS_DIR, 'qwen3-8b.json'), 'utf8'));
	}
	if (name === 'malformed') return ok('{"hidden_size": 4096, ');
	if (name === 'unreadable') return ok(JSON.stringify({ model_type: 'llama', num_hidden_layers: 2 }));
	if (name === 'huge') return ok(JSON.stringify({ padding: 'x'.repeat(2 * 1024 * 1024) }));
	const file = join(HUB_CONFIGS_DIR, `${name.toLowerCase()}.json`);
	if (/^[a-z0-9._-]+$/i.test(name) && existsSync(file)) return ok(readFileSync(file, 'utf8'));
	return {
		status: 404,
		body: '{"error":"Repository not found"}',
		headers: { 'x-error-code': 'RepoNotFound' }
	};
}
