/**
 * Hub config.json fetching against a loopback HTTP server (node:http serving tests/helpers/fake-providers'
 * hubAnswer): found, 404, gated 401 without HF_TOKEN and 403 with a refused one (and found with a good
 * one), unreachable, malformed JSON, a config it cannot read (field named), an oversized answer, the
 * token never sent to another host — and the database cache on both engines (no second fetch).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchHubConfig, resolveHubConfig } from '../../src/lib/server/hub-config.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';
import { HUB_GOOD_TOKEN, hubAnswer } from '../helpers/fake-providers.ts';

let server: Server;
let endpoint: string;
const seen: { path: string; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
	server = createServer((req, res) => {
		seen.push({ path: req.url ?? '', headers: req.headers });
		if (req.url === '/moved/Qwen3-8B/resolve/main/config.json') {
			res.writeHead(302, { location: '/Qwen/Qwen3-8B/resolve/main/config.json' });
			return res.end();
		}
		if (req.url === '/slow/x/resolve/main/config.json') return; // never answers
		const a = hubAnswer(req.url ?? '', req.headers.authorization);
		res.writeHead(a?.status ?? 404, a?.headers ?? {});
		res.end(a?.body ?? '');
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
	server.closeAllConnections();
	await new Promise((r) => server.close(r));
});

describe('fetchHubConfig', () => {
	it('found: the recorded config.json, requested at {HF_ENDPOINT}/{id}/resolve/main/config.json', async () => {
		const r = await fetchHubConfig('Qwen/Qwen3-8B', { endpoint });
		expect(r.ok).toBe(true);
		if (r.ok) expect(r.config.model_type).toBe('qwen3');
		expect(seen.at(-1)!.path).toBe('/Qwen/Qwen3-8B/resolve/main/config.json');
		expect(seen.at(-1)!.headers.authorization).toBeUndefined();
	});

	it('404: not found, naming the model', async () => {
		const r = await fetchHubConfig('acme/no-such-model', { endpoint });
		expect(r).toMatchObject({ ok: false, reason: 'not-found' });
		if (!r.ok) expect(r.message).toMatch(/^model "acme\/no-such-model": not found/);
	});

	it('401 gated without HF_TOKEN says HF_TOKEN is needed; a refused token says so; a good one gets it', async () => {
		const none = await fetchHubConfig('gated-org/model', { endpoint });
		expect(none).toMatchObject({ ok: false, reason: 'gated' });
		if (!none.ok) expect(none.message).toContain('set HF_TOKEN');
		const bad = await fetchHubConfig('gated-org/model', { endpoint, token: 'hf_wrong' });
		expect(bad).toMatchObject({ ok: false, reason: 'gated' });
		if (!bad.ok) expect(bad.message).toContain('refused HF_TOKEN');
		expect(seen.at(-1)!.headers.authorization).toBe('Bearer hf_wrong');
		const good = await fetchHubConfig('gated-org/model', { endpoint, token: HUB_GOOD_TOKEN });
		expect(good.ok).toBe(true);
	});

	it('unreachable: a closed port and a Hub that never answers (timeout)', async () => {
		const closed = await fetchHubConfig('Qwen/Qwen3-8B', { endpoint: 'http://127.0.0.1:9' });
		expect(closed).toMatchObject({ ok: false, reason: 'unreachable' });
		if (!closed.ok) expect(closed.message).toContain('unreachable');
		const slow = await fetchHubConfig('slow/x', { endpoint, timeoutMs: 300 });
		expect(slow).toMatchObject({ ok: false, reason: 'unreachable' });
	});

	it('malformed JSON, an unreadable config (field named) and an oversized answer', async () => {
		const bad = await fetchHubConfig('acme/malformed', { endpoint });
		expect(bad).toMatchObject({ ok: false, reason: 'unreadable' });
		if (!bad.ok) expect(bad.message).toContain('not valid JSON');
		const unreadable = await fetchHubConfig('acme/unreadable', { endpoint });
		expect(unreadable).toMatchObject({ ok: false, reason: 'unreadable' });
		if (!unreadable.ok) expect(unreadable.message).toContain('hidden_size');
		const huge = await fetchHubConfig('acme/huge', { endpoint });
		expect(huge).toMatchObject({ ok: false, reason: 'unreadable' });
		if (!huge.ok) expect(huge.message).toContain('larger than');
	});

	it('an id that is not a Hub id is refused without a request', async () => {
		const before = seen.length;
		for (const id of ['../etc/passwd', 'a/b/c', 'has space', 'x/..']) {
			expect(await fetchHubConfig(id, { endpoint })).toMatchObject({ ok: false, reason: 'invalid-id' });
		}
		expect(seen.length).toBe(before);
	});

	it('follows a redirect on the Hub and keeps the token on the Hub only', async () => {
		const r = await fetchHubConfig('moved/Qwen3-8B', { endpoint, token: HUB_GOOD_TOKEN });
		expect(r.ok).toBe(true);
		expect(seen.at(-1)!.path).toBe('/Qwen/Qwen3-8B/resolve/main/config.json');
	});
});

describe.each(ENGINES)('resolveHubConfig caches in the database on %s', (engine) => {
	let db: TestDatabase;
	beforeAll(async () => {
		db = await createTestDatabase(engine);
	});
	afterAll(async () => db?.destroy());

	it('fetches once, then reads the stored config; failures are not stored', async () => {
		const first = await resolveHubConfig(db.db, 'Qwen/Qwen3-30B-A3B', { endpoint });
		expect(first).toMatchObject({ ok: true, cached: false });
		const before = seen.length;
		const second = await resolveHubConfig(db.db, 'Qwen/Qwen3-30B-A3B', { endpoint: 'http://127.0.0.1:9' });
		expect(second).toMatchObject({ ok: true, cached: true });
		if (second.ok) expect(second.config.num_experts).toBe(128);
		expect(seen.length).toBe(before);
		expect(await resolveHubConfig(db.db, 'acme/no-such-model', { endpoint })).toMatchObject({ ok: false });
		expect(await resolveHubConfig(db.db, 'acme/no-such-model', { endpoint })).toMatchObject({
			ok: false,
			reason: 'not-found'
		});
	});
});
