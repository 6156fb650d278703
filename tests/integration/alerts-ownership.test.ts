/**
 * Alerts on a shared instance, over HTTP against the real server on both engines: creating a watch
 * answers its manage token once; only that token (Bearer, or the manage link's page and its form
 * actions) or ADMIN_TOKEN shows the webhook URL and pauses, edits or deletes the watch — 401 without a
 * credential, 403 with a wrong one; lists, ?id=, the page and the feed show scheme and host only; the
 * per-client creation limit answers 429 with Retry-After, by socket address unless ADDRESS_HEADER is set
 * (then by that header, as adapter-node reads it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const ADMIN = 'admin-0123456789abcdef-token';
/** A Slack-style URL: the path and query are the credential. */
const HOOK = 'https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX?token=QUERYSECRET';
const SECRET = /XXXXSECRETXXXX|QUERYSECRET|services\/T000/;

describe.each(ENGINES)('alert ownership over HTTP on %s', (engine) => {
	let pg: TestDatabase | undefined;
	const dirs: string[] = [];
	/** ADDRESS_HEADER=X-Forwarded-For: each test is its own client */
	let proxied: RunningServer;
	/** ADDRESS_HEADER unset: the socket's address, whatever X-Forwarded-For says */
	let direct: RunningServer;

	function dbEnv(): Record<string, string> {
		if (pg) return { DATABASE_URL: pg.url! };
		const dir = mkdtempSync(join(tmpdir(), 'gpu-dash-owned-'));
		dirs.push(dir);
		return { DATA_DIR: dir };
	}

	beforeAll(async () => {
		if (engine === 'postgres') pg = await createTestDatabase('postgres');
		const common = { ADMIN_TOKEN: ADMIN, ALERT_CREATE_LIMIT_PER_HOUR: '3', ALERT_ALLOW_PRIVATE: '1' };
		// Two instances on one Postgres share the database; PGlite needs one data dir each.
		[proxied, direct] = await Promise.all([
			startServer({ ...dbEnv(), ...common, ADDRESS_HEADER: 'X-Forwarded-For' }),
			startServer({ ...dbEnv(), ...common })
		]);
	}, 180_000);
	afterAll(async () => {
		await proxied?.stop();
		await direct?.stop();
		await pg?.destroy();
		for (const d of dirs) rmSync(d, { recursive: true, force: true });
	});

	let clients = 0;
	/** A fresh client address (through the proxy header) per call site. */
	const client = () => `198.51.100.${++clients}`;

	async function createApi(body: object, ip: string, server = proxied) {
		return fetch(server.url + '/api/alerts', {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
			body: JSON.stringify(body)
		});
	}
	const watchBody = { gpu: 'h100-sxm', pricing: 'on_demand', thresholdUsd: 1.5, webhookUrl: HOOK };
	const api = (path: string, init: RequestInit = {}, token?: string) =>
		fetch(proxied.url + path, {
			...init,
			headers: {
				'content-type': 'application/json',
				...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
				...(init.headers as Record<string, string> | undefined)
			}
		});

	it('API: 201 { watch, manageToken }; only the token or ADMIN_TOKEN shows, edits, pauses, deletes', async () => {
		const ip = client();
		const res = await createApi(watchBody, ip);
		expect(res.status).toBe(201);
		const { watch, manageToken, managePath } = await res.json();
		expect(watch).toMatchObject({ webhookUrl: HOOK, webhook: 'https://hooks.slack.com/…', paused: false });
		expect(manageToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(managePath).toBe(`/alerts/manage/${manageToken}`);
		const other = (await (await createApi({ ...watchBody, gpu: 'any-a100' }, ip)).json()).manageToken;

		// Everyone: the list and ?id= without the URL.
		const list = await (await api('/api/alerts')).text();
		expect(list).not.toMatch(SECRET);
		expect(JSON.parse(list).watches.find((w: { id: number }) => w.id === watch.id)).toMatchObject({
			webhook: 'https://hooks.slack.com/…'
		});
		const pub = await api(`/api/alerts?id=${watch.id}`);
		expect(pub.status).toBe(200);
		const pubText = await pub.text();
		expect(pubText).not.toMatch(SECRET);
		expect(JSON.parse(pubText).watch.webhookUrl).toBeUndefined();

		// The owner and the admin see it in full; a different watch's token, a wrong-length one: 403.
		for (const token of [manageToken, ADMIN]) {
			const full = await api(`/api/alerts?id=${watch.id}`, {}, token);
			expect(full.status, token).toBe(200);
			expect((await full.json()).watch.webhookUrl).toBe(HOOK);
		}
		for (const token of [other, manageToken.slice(1), manageToken + 'A', 'x'.repeat(5000), ADMIN + 'x']) {
			const denied = await api(`/api/alerts?id=${watch.id}`, {}, token);
			expect(denied.status, token.slice(0, 50)).toBe(403);
			expect(await denied.text()).not.toMatch(SECRET);
		}
		const basic = await api(`/api/alerts?id=${watch.id}`, { headers: { authorization: 'Basic abc' } });
		expect(basic.status).toBe(403);

		// Pause and edit: 401 without a credential, 403 with a wrong one, 200 for owner and admin.
		const patch = (body: object, token?: string) =>
			api(`/api/alerts?id=${watch.id}`, { method: 'PATCH', body: JSON.stringify(body) }, token);
		const no = await patch({ paused: true });
		expect(no.status).toBe(401);
		expect(no.headers.get('www-authenticate')).toMatch(/^Bearer/);
		expect((await patch({ paused: true }, other)).status).toBe(403);
		const paused = await patch({ paused: true, thresholdUsd: 1.2, label: 'mine' }, manageToken);
		expect(paused.status).toBe(200);
		expect((await paused.json()).watch).toMatchObject({ paused: true, thresholdUsd: 1.2, label: 'mine' });
		const cleared = await patch({ label: null, webhookUrl: null, paused: false }, ADMIN);
		expect((await cleared.json()).watch).toMatchObject({ paused: false, label: null, webhookUrl: null });
		expect((await patch({ thresholdUsd: -1 }, manageToken)).status).toBe(400);

		// Delete: 401, 403 (another watch's token), 204 (owner), then 404; admin deletes the other one.
		const del = (id: number, token?: string) => api(`/api/alerts?id=${id}`, { method: 'DELETE' }, token);
		expect((await del(watch.id)).status).toBe(401);
		expect((await del(watch.id, other)).status).toBe(403);
		expect((await del(watch.id, manageToken)).status).toBe(204);
		expect((await del(watch.id, manageToken)).status).toBe(404);
		const otherId = JSON.parse(list).watches[0].id as number;
		expect((await del(otherId, ADMIN)).status).toBe(204);
	});

	it('API: the fourth creation of a client within the hour is a 429 with Retry-After', async () => {
		const ip = client();
		for (let i = 0; i < 3; i++) expect((await createApi(watchBody, ip)).status).toBe(201);
		const refused = await createApi(watchBody, ip);
		expect(refused.status).toBe(429);
		const retry = Number(refused.headers.get('retry-after'));
		expect(retry).toBeGreaterThan(3500);
		expect(retry).toBeLessThanOrEqual(3600);
		expect((await refused.json()).message).toMatch(/created 3 watches in the last hour/);
		// Another client (by ADDRESS_HEADER, which the operator set) is not limited.
		expect((await createApi(watchBody, client())).status).toBe(201);
	});

	it('ADDRESS_HEADER unset: a client cannot pick a fresh address with X-Forwarded-For', async () => {
		for (let i = 0; i < 3; i++)
			expect((await createApi(watchBody, `203.0.113.${i}`, direct)).status).toBe(201);
		const spoofed = await createApi(watchBody, '203.0.113.99', direct);
		expect(spoofed.status).toBe(429);
		expect(Number(spoofed.headers.get('retry-after'))).toBeGreaterThan(0);
	});

	const formHeaders = (server: RunningServer, ip: string, js: boolean) => ({
		'content-type': 'application/x-www-form-urlencoded',
		origin: server.url,
		'x-forwarded-for': ip,
		// with JavaScript, use:enhance posts for a JSON ActionResult; without, the browser wants the page
		...(js ? { accept: 'application/json', 'x-sveltekit-action': 'true' } : { accept: 'text/html' })
	});
	const form = (over: Record<string, string> = {}) =>
		new URLSearchParams({
			gpu: 'any-h100',
			pricing: 'on_demand',
			thresholdUsd: '2',
			webhookUrl: HOOK,
			...over
		});

	for (const js of [false, true]) {
		it(`form ${js ? 'with' : 'without'} JavaScript: the manage link once, limits, owned actions`, async () => {
			const ip = client();
			const post = (path: string, body: URLSearchParams) =>
				fetch(proxied.url + path, {
					method: 'POST',
					headers: formHeaders(proxied, ip, js),
					body,
					redirect: 'manual'
				});
			const res = await post('/alerts?/create', form());
			expect(res.status).toBe(200);
			const text = await res.text();
			const token = /\/alerts\/manage\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];
			expect(token, text.slice(0, 500)).toBeDefined();
			if (!js) expect(text).toMatch(/shown once/);
			expect(text).not.toMatch(SECRET);

			// The page lists it without the URL; the manage link shows it in full.
			const page = await (await fetch(proxied.url + '/alerts')).text();
			expect(page).toContain('https://hooks.slack.com/…');
			expect(page).not.toMatch(SECRET);
			const manage = await fetch(`${proxied.url}/alerts/manage/${token}`);
			expect(manage.status).toBe(200);
			expect(manage.headers.get('cache-control')).toBe('no-store');
			expect(await manage.text()).toContain(HOOK.replaceAll('&', '&amp;'));
			// Someone else's (or a mistyped) link: 403, for the page and for its form actions.
			for (const wrong of [token!.slice(0, 42), token!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))]) {
				expect((await fetch(`${proxied.url}/alerts/manage/${wrong}`)).status).toBe(403);
				const del = await post(`/alerts/manage/${wrong}?/delete`, new URLSearchParams());
				expect(del.status).toBe(403);
			}

			// Pause, edit, then delete through the link.
			const paused = await post(`/alerts/manage/${token}?/pause`, new URLSearchParams());
			expect(paused.status).toBe(200);
			expect(await (await fetch(`${proxied.url}/alerts/manage/${token}`)).text()).toContain('paused');
			const bad = await post(`/alerts/manage/${token}?/save`, form({ thresholdUsd: 'cheap' }));
			const badText = await bad.text();
			expect(js ? JSON.parse(badText).status : bad.status).toBe(400);
			expect(badText).toContain('Threshold must be a price in USD per GPU-hour');
			const saved = await post(
				`/alerts/manage/${token}?/save`,
				form({ thresholdUsd: '1.25', webhookUrl: '' })
			);
			expect(saved.status).toBe(200);
			const after = await (await fetch(`${proxied.url}/alerts/manage/${token}`)).text();
			expect(after).toContain('$1.25');
			expect(after).not.toMatch(SECRET);
			const deleted = await post(`/alerts/manage/${token}?/delete`, new URLSearchParams());
			if (js) expect(await deleted.json()).toMatchObject({ type: 'redirect', status: 303 });
			else {
				expect(deleted.status).toBe(303);
				expect(deleted.headers.get('location')).toMatch(/^\/alerts\?deleted=\d+$/);
			}
			expect((await fetch(`${proxied.url}/alerts/manage/${token}`)).status).toBe(403);

			// Two more creations use up this client's hour (3): then the form says so, 429 and Retry-After.
			for (let i = 0; i < 2; i++) expect((await post('/alerts?/create', form())).status).toBe(200);
			const limited = await post('/alerts?/create', form());
			const limitedText = await limited.text();
			if (js) expect(JSON.parse(limitedText)).toMatchObject({ type: 'failure', status: 429 });
			else expect(limited.status).toBe(429);
			expect(limitedText).toMatch(/created 3 watches in the last hour/);
			expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3500);
		});
	}

	it('errors speak to users: no setting names; the feed and the page carry no webhook URL', async () => {
		const strict = await createApi(
			{ ...watchBody, webhookUrl: 'https://user:pw@hooks.example.com/x' },
			client()
		);
		expect(strict.status).toBe(400);
		const msg = (await strict.json()).message as string;
		expect(msg).toMatch(/user name or password/);
		expect(msg).not.toMatch(/pw@|ALERT_/);
		const feed = await (await fetch(proxied.url + '/alerts/feed.xml')).text();
		expect(feed).not.toMatch(SECRET);
		const page = await (await fetch(proxied.url + '/alerts')).text();
		expect(page).not.toMatch(/ALERT_ALLOW_PRIVATE|POLL_INTERVAL_MINUTES/);
		expect(page).toMatch(/does not check prices on a schedule right now/);
		expect(proxied.output()).not.toMatch(SECRET);
		expect(direct.output()).not.toMatch(SECRET);
	});
});
