/**
 * Webhook delivery rules (src/lib/server/alerts/webhook.ts deliverWebhook), each against a real receiver on
 * loopback: 2xx delivered; 4xx not retried; 429 retried after its Retry-After (capped); 5xx retried up
 * to the attempts; a receiver that never answers costs the timeout per try; a redirect is not followed;
 * and the default backoff really waits 1 s then 5 s. These check behaviour (hits, attempts, timing), not
 * the wording of errors.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
	deliverWebhook,
	retryAfterMs,
	WEBHOOK_ATTEMPTS,
	WEBHOOK_BACKOFF_MS
} from '../../src/lib/server/alerts/webhook.ts';

interface Receiver {
	url: string;
	/** arrival time (performance.now()) and body of every request */
	hits: { at: number; body: string; method: string }[];
	close(): Promise<void>;
}

const open: Server[] = [];

/** A loopback receiver answering request n (0-based) with `answer(n, req, res)`. */
async function receiver(
	answer: (n: number, req: IncomingMessage, res: ServerResponse) => void
): Promise<Receiver> {
	const hits: Receiver['hits'] = [];
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (d) => (body += d));
		req.on('end', () => {
			hits.push({ at: performance.now(), body, method: req.method ?? '' });
			answer(hits.length - 1, req, res);
		});
	});
	open.push(server);
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		hits,
		close: () =>
			new Promise((ok) => {
				server.closeAllConnections();
				server.close(() => ok());
			})
	};
}

afterEach(async () => {
	for (const s of open.splice(0)) {
		s.closeAllConnections();
		await new Promise((ok) => s.close(() => ok(undefined)));
	}
});

const status =
	(code: number, headers: Record<string, string> = {}) =>
	(_n: number, _q: IncomingMessage, res: ServerResponse) => {
		res.writeHead(code, headers);
		res.end();
	};
/** Fast retries for the rules that are not about timing. */
const FAST = { allowPrivate: true, backoffMs: [0], timeoutMs: 5000 };

describe('webhook delivery against a loopback receiver', () => {
	it('delivers on 2xx at the first try, POSTing the JSON payload', async () => {
		const r = await receiver(status(204));
		const res = await deliverWebhook(r.url, { hello: 'world' }, FAST);
		expect(res).toMatchObject({ status: 'delivered', attempts: 1, error: null });
		expect(r.hits).toHaveLength(1);
		expect(r.hits[0]).toMatchObject({ method: 'POST', body: '{"hello":"world"}' });
	});

	it.each([400, 401, 403, 404, 410, 422])('does not retry a %i', async (code) => {
		const r = await receiver(status(code));
		const res = await deliverWebhook(r.url, {}, { ...FAST, attempts: 3 });
		expect(res).toMatchObject({ status: 'failed', attempts: 1 });
		expect(r.hits).toHaveLength(1);
	});

	it('retries a 5xx up to the attempts', async () => {
		const r = await receiver(status(503));
		const res = await deliverWebhook(r.url, {}, { ...FAST, attempts: 3 });
		expect(res).toMatchObject({ status: 'failed', attempts: 3 });
		expect(r.hits).toHaveLength(3);
	});

	it('retries a 429, waiting the Retry-After it asks for, and then delivers', async () => {
		const r = await receiver((n, q, res) =>
			n === 0 ? status(429, { 'retry-after': '1' })(n, q, res) : status(200)(n, q, res)
		);
		const res = await deliverWebhook(r.url, {}, { ...FAST, attempts: 3 });
		expect(res).toMatchObject({ status: 'delivered', attempts: 2 });
		expect(r.hits).toHaveLength(2);
		// backoff is 0 here: the gap is the receiver's 1 s (timers may fire a little early, never 100 ms)
		expect(r.hits[1]!.at - r.hits[0]!.at).toBeGreaterThanOrEqual(950);
	});

	it('cuts a long Retry-After to the cap', async () => {
		const r = await receiver((n, q, res) =>
			n === 0 ? status(429, { 'retry-after': '3600' })(n, q, res) : status(200)(n, q, res)
		);
		const t0 = performance.now();
		const res = await deliverWebhook(r.url, {}, { ...FAST, attempts: 2, maxRetryAfterMs: 300 });
		expect(res).toMatchObject({ status: 'delivered', attempts: 2 });
		const gap = r.hits[1]!.at - r.hits[0]!.at;
		expect(gap).toBeGreaterThanOrEqual(280);
		// an hour was asked for: anything near it means the cap did not hold
		expect(performance.now() - t0).toBeLessThan(30_000);
	});

	it('reads Retry-After as seconds or an HTTP date', () => {
		const now = Date.parse('2026-10-01T12:00:00Z');
		expect(retryAfterMs('7', now)).toBe(7000);
		expect(retryAfterMs('Thu, 01 Oct 2026 12:00:30 GMT', now)).toBe(30_000);
		expect(retryAfterMs('Thu, 01 Oct 2026 11:00:00 GMT', now)).toBe(0);
		expect(retryAfterMs('soon', now)).toBeUndefined();
		expect(retryAfterMs(undefined, now)).toBeUndefined();
	});

	it('gives a receiver that never answers the timeout per try, then fails', async () => {
		// never answers: the request is read and left open
		const r = await receiver(() => {});
		const t0 = performance.now();
		const res = await deliverWebhook(
			r.url,
			{},
			{ allowPrivate: true, attempts: 2, backoffMs: [0], timeoutMs: 400 }
		);
		const elapsed = performance.now() - t0;
		expect(res).toMatchObject({ status: 'failed', attempts: 2 });
		expect(r.hits).toHaveLength(2);
		// two tries, each cut at its 400 ms timeout (not earlier: the receiver was given its time)
		expect(elapsed).toBeGreaterThanOrEqual(2 * 400 - 20);
		expect(r.hits[1]!.at - r.hits[0]!.at).toBeGreaterThanOrEqual(380);
	});

	it.each([301, 302, 303, 307, 308])(
		'does not follow a %i redirect (its target was never checked)',
		async (code) => {
			const target = await receiver(status(200));
			const r = await receiver(status(code, { location: target.url }));
			const res = await deliverWebhook(r.url, {}, { ...FAST, attempts: 3 });
			expect(res).toMatchObject({ status: 'failed', attempts: 1 });
			expect(r.hits).toHaveLength(1);
			expect(target.hits).toHaveLength(0);
		}
	);

	it('with the defaults: 3 tries, 1 s then 5 s apart', { timeout: 30_000 }, async () => {
		expect(WEBHOOK_ATTEMPTS).toBe(3);
		expect(WEBHOOK_BACKOFF_MS).toEqual([1000, 5000]);
		const r = await receiver(status(500));
		const res = await deliverWebhook(r.url, {}, { allowPrivate: true });
		expect(res).toMatchObject({ status: 'failed', attempts: 3 });
		expect(r.hits).toHaveLength(3);
		const [a, b, c] = r.hits.map((h) => h.at);
		expect(b! - a!).toBeGreaterThanOrEqual(950);
		expect(b! - a!).toBeLessThan(4000); // the 1 s wait, not the 5 s one
		expect(c! - b!).toBeGreaterThanOrEqual(4950);
	});
});
