/**
 * The shared HTTP helper against a real loopback server: timeout, bounded retries on 429/5xx/network
 * errors (3 attempts, 30 s of backoff at most, Retry-After honoured within it), no retry on 4xx,
 * HTML and truncated JSON recognised, request spacing, User-Agent, and no key in any message.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '#adapters/errors.ts';
import { createHttpClient, parseRetryAfterMs, USER_AGENT, type HttpPolicy } from '#adapters/http.ts';

type Step = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let base: string;
let steps: Step[] = [];
let seen: { headers: IncomingMessage['headers']; url: string; body: string }[] = [];
const sockets = new Set<Socket>();

const json =
	(status: number, body: unknown, headers: Record<string, string> = {}): Step =>
	(_q, res) => {
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(JSON.stringify(body));
	};
const text =
	(status: number, body: string, headers: Record<string, string> = {}): Step =>
	(_q, res) => {
		res.writeHead(status, { 'content-type': 'text/plain', ...headers });
		res.end(body);
	};

beforeAll(async () => {
	server = createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			seen.push({ headers: req.headers, url: req.url ?? '', body });
			const step = steps.shift() ?? json(200, { ok: true });
			step(req, res);
		});
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
	const addr = server.address();
	base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterAll(async () => {
	for (const s of sockets) s.destroy();
	await new Promise((ok) => server.close(ok));
});

beforeEach(() => {
	steps = [];
	seen = [];
});

/**
 * A client on a virtual clock: its waits are recorded and advance the clock instead of sleeping, so the
 * test runs fast yet exercises every backoff and spacing decision.
 */
function client(policy: Partial<HttpPolicy> = {}) {
	const waits: number[] = [];
	let clock = 1_000_000;
	const http = createHttpClient('vastai', {
		timeoutMs: 2000,
		baseBackoffMs: 1000,
		minIntervalMs: 0,
		now: () => clock,
		sleep: async (ms) => {
			if (ms > 0) waits.push(ms);
			clock += ms;
		},
		...policy
	});
	return { http, waits };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
	try {
		await p;
	} catch (err) {
		expect(err).toBeInstanceOf(ProviderError);
		return err as ProviderError;
	}
	throw new Error('expected a failure');
}

describe('HTTP helper', () => {
	it('sends a descriptive User-Agent, accepts JSON, posts a JSON body', async () => {
		const { http } = client();
		const res = await http.json({ method: 'POST', url: base + '/api', body: { limit: 5 } });
		expect(res).toEqual({ status: 200, body: { ok: true }, attempts: 1 });
		expect(seen[0]!.headers['user-agent']).toBe(USER_AGENT);
		expect(USER_AGENT).toMatch(/gpu-rental-dashboard/);
		expect(seen[0]!.headers['content-type']).toBe('application/json');
		expect(JSON.parse(seen[0]!.body)).toEqual({ limit: 5 });
	});

	it('retries a 500 and a 503, then succeeds, backing off exponentially', async () => {
		steps = [json(500, { e: 1 }), text(503, 'busy'), json(200, { n: 3 })];
		const { http, waits } = client();
		const res = await http.json({ method: 'GET', url: base + '/x' });
		expect(res).toMatchObject({ body: { n: 3 }, attempts: 3 });
		expect(waits).toEqual([1000, 2000]);
	});

	it('gives up after 3 attempts and says so', async () => {
		steps = [json(500, {}), json(502, {}), json(500, { error: 'still broken' })];
		const { http, waits } = client();
		const err = await failure(http.json({ method: 'GET', url: base + '/x' }));
		expect(err).toMatchObject({ kind: 'http', status: 500, attempts: 3 });
		expect(err.message).toMatch(/^\[vastai\] GET \/x answered HTTP 500: .*after 3 attempts$/);
		expect(seen).toHaveLength(3);
		expect(waits).toHaveLength(2);
	});

	it('honours Retry-After (seconds) on a 429', async () => {
		steps = [text(429, 'API requests too frequent', { 'retry-after': '7' }), json(200, {})];
		const { http, waits } = client();
		await http.json({ method: 'GET', url: base + '/x' });
		expect(waits).toEqual([7000]);
	});

	it('waits at least one request interval after a 429 without Retry-After (vast.ai sends none)', async () => {
		steps = [text(429, 'API requests too frequent'), json(200, {})];
		const { http, waits } = client({ minIntervalMs: undefined });
		await http.json({ method: 'GET', url: base + '/y', minIntervalMs: 6000 });
		// the 429 backoff: max(1 s backoff, 6 s interval); the spacing is then already satisfied
		expect(waits).toEqual([6000]);
	});

	it('gives up when Retry-After is beyond the 30 s backoff budget', async () => {
		steps = [text(429, 'slow down', { 'retry-after': '31' })];
		const { http, waits } = client();
		const err = await failure(http.json({ method: 'GET', url: base + '/x' }));
		expect(err.message).toMatch(/Retry-After 31 s exceeds the retry budget/);
		expect(waits).toEqual([]);
		expect(seen).toHaveLength(1);
	});

	it('never spends more than the backoff budget in all', async () => {
		steps = [json(500, {}), json(500, {}), json(500, {})];
		const { http, waits } = client({ baseBackoffMs: 20_000 });
		await failure(http.json({ method: 'GET', url: base + '/x' }));
		expect(waits).toEqual([20_000, 10_000]);
		expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(30_000);
	});

	it('does not retry a 4xx; a 401 is an auth error whose message carries the provider’s code', async () => {
		steps = [json(401, { error: { code: 'global/invalid-api-key', message: 'API key was invalid' } })];
		const { http } = client();
		const err = await failure(http.json({ method: 'GET', url: base + '/x' }));
		expect(err).toMatchObject({ kind: 'auth', status: 401, attempts: 1 });
		expect(err.message).toMatch(/global\/invalid-api-key/);
		steps = [json(404, {})];
		expect(await failure(http.json({ method: 'GET', url: base + '/x' }))).toMatchObject({
			kind: 'http',
			attempts: 1
		});
	});

	it('times out a silent server after timeoutMs on every attempt, retrying', async () => {
		steps = [() => {}, () => {}, () => {}];
		const { http, waits } = client({ timeoutMs: 150 });
		const t0 = Date.now();
		const err = await failure(http.json({ method: 'GET', url: base + '/slow' }));
		expect(err).toMatchObject({ kind: 'timeout', attempts: 3 });
		expect(err.message).toMatch(/timed out after 150 ms/);
		expect(Date.now() - t0).toBeLessThan(3 * 150 + 1000);
		expect(waits).toHaveLength(2);
	});

	it('retries a connection reset', async () => {
		steps = [(req) => req.socket.destroy(), json(200, { ok: 1 })];
		const { http } = client();
		expect(await http.json({ method: 'GET', url: base + '/x' })).toMatchObject({ attempts: 2 });
	});

	it('recognises an HTML page, an empty body and truncated JSON, without retrying', async () => {
		const { http } = client();
		steps = [
			text(200, '<!DOCTYPE html><html><body>Maintenance</body></html>', { 'content-type': 'text/html' })
		];
		expect((await failure(http.json({ method: 'GET', url: base + '/x' }))).message).toMatch(
			/HTML page instead of JSON/
		);
		steps = [text(200, '')];
		expect((await failure(http.json({ method: 'GET', url: base + '/x' }))).message).toMatch(/empty body/);
		steps = [text(200, '{"offers": [{"id": 1, "gpu_na', { 'content-type': 'application/json' })];
		const err = await failure(http.json({ method: 'GET', url: base + '/x' }));
		expect(err).toMatchObject({ kind: 'invalid-json', attempts: 1 });
	});

	it('refuses an answer over the size cap', async () => {
		steps = [json(200, { big: 'x'.repeat(5000) })];
		const { http } = client({ maxBodyBytes: 1000 });
		expect((await failure(http.json({ method: 'GET', url: base + '/x' }))).message).toMatch(
			/exceeds 1000 bytes/
		);
	});

	it('never puts a query string (where RunPod’s key travels) into a message', async () => {
		steps = [json(500, {}), json(500, {}), json(500, {})];
		const { http } = client();
		const err = await failure(
			http.json({ method: 'POST', url: base + '/graphql?api_key=SECRET-123', body: {} })
		);
		expect(err.message).not.toMatch(/SECRET/);
		expect(err.message).toMatch(/POST \/graphql answered HTTP 500/);
		expect(seen[0]!.url).toBe('/graphql?api_key=SECRET-123');
	});

	it('spaces requests of one provider to one origin by the minimum interval', async () => {
		const { http, waits } = client({ minIntervalMs: undefined });
		await http.json({ method: 'GET', url: base + '/a', minIntervalMs: 6000 });
		await http.json({ method: 'GET', url: base + '/b', minIntervalMs: 6000 });
		await http.json({ method: 'GET', url: base + '/c', minIntervalMs: 6000 });
		// The first goes at once; each next one waits out the interval (vast.ai: 10 requests a minute).
		expect(waits).toEqual([6000, 6000]);
	});

	it('stops at once when the poll is cancelled', async () => {
		steps = [() => {}];
		const controller = new AbortController();
		const { http } = client({ signal: controller.signal, timeoutMs: 10_000 });
		const p = http.json({ method: 'GET', url: base + '/x' });
		setTimeout(() => controller.abort(), 50);
		expect(await failure(p)).toMatchObject({ kind: 'aborted', attempts: 1 });
	});

	it.each([
		['5', 5000],
		['0', 0],
		['soon', undefined],
		[undefined, undefined]
	])('parses Retry-After %j as %j ms', (v, ms) => {
		expect(parseRetryAfterMs(v)).toBe(ms);
	});

	it('parses an HTTP-date Retry-After', () => {
		const now = Date.parse('2026-08-25T12:00:00Z');
		expect(parseRetryAfterMs('Tue, 25 Aug 2026 12:00:09 GMT', now)).toBe(9000);
	});
});
