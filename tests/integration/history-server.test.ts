/**
 * The real server on a fresh DATA_DIR with the first-start archive import on: history API (JSON, CSV,
 * validation), the GPU page and /trends rendered without JavaScript, the alerts API and form, the feed;
 * and the `npm run import` CLI on both engines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';
import { ROOT, spawnScript, startServer, type RunningServer } from '../helpers/server.ts';

describe('history, trends and alerts over HTTP', () => {
	let dataDir: string;
	let server: RunningServer;

	beforeAll(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'gpu-dash-history-'));
		server = await startServer({ DATA_DIR: dataDir, ARCHIVE_IMPORT: '1' });
	});
	afterAll(async () => {
		await server?.stop('SIGKILL');
		rmSync(dataDir, { recursive: true, force: true });
	});

	const get = (path: string) => fetch(server.url + path);

	it('imports the bundled archive on the first start and serves it as history', async () => {
		expect(server.output()).toMatch(
			/\[archive\] first start: imported the bundled archive — 17727 observations/
		);
		const res = await get('/api/history?gpu=h100-sxm&provider=lambda');
		expect(res.status).toBe(200);
		expect(res.headers.get('x-data-attribution')).toMatch(/cherielilili\/gpu-pricing-tracker/);
		const body = await res.json();
		expect(body).toMatchObject({ gpu: 'h100-sxm', from: '2026-05-08T00:00:00.000Z', archiveBucket: '1d' });
		expect(body.attribution.url).toBe('https://github.com/cherielilili/gpu-pricing-tracker');
		expect(body.series).toHaveLength(1);
		const s = body.series[0];
		expect(s).toMatchObject({ provider: 'lambda', pricing: 'on_demand', cloud: '', source: 'archive' });
		// archive CSV: 2026-07-20,lambda,H100_SXM,1,us,on_demand,3.99,4.19,4.29,4,…
		expect(s.points.at(-1)).toEqual({
			t: '2026-07-20T00:00:00.000Z',
			min: 3.99,
			median: 4.19,
			max: 4.29,
			n: 4
		});
	});

	it('exports the same points as CSV', async () => {
		const q = '/api/history?gpu=h100-sxm&from=2026-07-01&to=2026-07-21';
		const json = await (await get(q)).json();
		const res = await get(q + '&format=csv');
		expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const lines = (await res.text()).trim().split('\n');
		expect(lines[0]).toBe(
			'gpu,provider,pricing,cloud,source,t,min_usd_per_gpu_hour,median_usd_per_gpu_hour,max_usd_per_gpu_hour,n'
		);
		const total = json.series.reduce((a: number, s: { points: unknown[] }) => a + s.points.length, 0);
		expect(lines).toHaveLength(total + 1);
		expect(lines).toContain(
			'h100-sxm,runpod,on_demand,secure,archive,2026-07-20T00:00:00.000Z,2.99,2.99,2.99,1'
		);
	});

	it('answers 400 naming the parameter', async () => {
		for (const [q, field] of [
			['gpu=nope', 'gpu'],
			['', 'gpu'],
			['gpu=h100-sxm&bucket=7min', 'bucket'],
			['gpu=h100-sxm&from=yesterday', 'from'],
			['gpu=h100-sxm&from=2026-07-02&to=2026-07-01', 'from'],
			['gpu=h100-sxm&pricing=reserved', 'pricing'],
			['gpu=h100-sxm&provider=aws', 'provider']
		]) {
			const res = await get('/api/history?' + q);
			expect(res.status, q).toBe(400);
			expect((await res.json()).message, q).toMatch(new RegExp(`^${field}: `));
		}
	});

	it('renders the GPU page history as tables without JavaScript, labelled archive with attribution', async () => {
		const res = await get('/gpus/h100-sxm?range=all');
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain('H100 SXM 80GB');
		expect(html).toContain('Lambda · on-demand');
		expect(html).toMatch(/<td>2026-07-20<\/td>\s*<td class="num" title="\$3\.99">\$3\.99<\/td>/);
		expect(html).toContain('class="badge archive">archive</span>');
		expect(html).toContain('cherielilili/gpu-pricing-tracker');
		expect(html).toMatch(/aria-current="true"[^>]*>All</);
		// The server measures "7 days" back from its own clock: the archive's last day (2026-07-20) is in
		// that window only until 2026-07-27, so say which case today is instead of assuming it.
		const week = await (await get('/gpus/h100-sxm?range=7d')).text();
		if (Date.now() - 7 * 86_400_000 > Date.parse('2026-07-20T00:00:00Z')) {
			expect(week).toContain('No prices stored for this GPU in this range');
			expect(week).toContain('href="?range=all#history-heading"');
		} else expect(week).toMatch(/<td>2026-07-20<\/td>/);
		expect((await get('/gpus/no-such-gpu')).status).toBe(404);
	});

	it('renders /trends from the archive, dated and labelled', async () => {
		const html = await (await get('/trends')).text();
		expect(html).toContain('Archived prices, last archived day 2026-07-20');
		expect(html).toContain('Biggest 7-day movers');
		expect(html).toContain('80 GB datacenter');
		expect(html).toContain('How these figures are computed');
		expect(html).toMatch(/<svg class="spark[^"]*"/);
	});

	it('creates, lists and deletes watches through the JSON API, refusing private webhooks', async () => {
		const post = (body: unknown) =>
			fetch(server.url + '/api/alerts', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body)
			});
		const created = await post({
			gpu: 'h100-sxm',
			pricing: 'on_demand',
			thresholdUsd: 1.5,
			provider: 'vastai'
		});
		expect(created.status).toBe(201);
		const { watch, manageToken } = await created.json();
		expect(watch).toMatchObject({
			gpu: 'h100-sxm',
			pricing: 'on_demand',
			provider: 'vastai',
			thresholdUsd: 1.5,
			minGpuCount: 1,
			armed: true
		});

		const refused = await post({
			gpu: 'h100-sxm',
			pricing: 'spot',
			thresholdUsd: 1,
			webhookUrl: 'http://127.0.0.1:9/hook'
		});
		expect(refused.status).toBe(400);
		expect((await refused.json()).message).toMatch(/^webhookUrl: .*private/);
		const badScheme = await post({
			gpu: 'h100-sxm',
			pricing: 'spot',
			thresholdUsd: 1,
			webhookUrl: 'file:///etc/passwd'
		});
		expect((await badScheme.json()).message).toMatch(/^webhookUrl: /);
		expect((await post({ gpu: 'h100-sxm', pricing: 'spot', thresholdUsd: -1 })).status).toBe(400);
		const notJson = await fetch(server.url + '/api/alerts', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{'
		});
		expect(notJson.status).toBe(400);

		const list = await (await get('/api/alerts')).json();
		expect(list.watches.map((w: { id: number }) => w.id)).toContain(watch.id);
		const owner = { method: 'DELETE', headers: { authorization: `Bearer ${manageToken}` } };
		expect((await fetch(`${server.url}/api/alerts?id=${watch.id}`, { method: 'DELETE' })).status).toBe(401);
		expect((await fetch(`${server.url}/api/alerts?id=${watch.id}`, owner)).status).toBe(204);
		expect((await fetch(`${server.url}/api/alerts?id=${watch.id}`, owner)).status).toBe(404);
		expect((await fetch(`${server.url}/api/alerts?id=abc`, { method: 'DELETE' })).status).toBe(400);
	});

	it('takes the /alerts form without JavaScript and serves the Atom feed', async () => {
		const form = new URLSearchParams({
			gpu: 'a100-sxm-80gb',
			pricing: 'spot',
			provider: '',
			region: 'US',
			minGpuCount: '2',
			thresholdUsd: '0.9',
			webhookUrl: '',
			label: 'A100 <spot>'
		});
		const res = await fetch(server.url + '/alerts?/create', {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: server.url,
				accept: 'text/html'
			},
			body: form
		});
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toMatch(/Watch #\d+ saved/);
		expect(html).toContain('A100 &lt;spot>'); // escaped (Svelte leaves a lone > as is)
		const bad = await fetch(server.url + '/alerts?/create', {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: server.url,
				accept: 'text/html'
			},
			body: new URLSearchParams({ gpu: 'h100-sxm', pricing: 'on_demand', thresholdUsd: 'cheap' })
		});
		expect(bad.status).toBe(400);
		expect(await bad.text()).toContain('Threshold must be a price in USD per GPU-hour');
		const feed = await get('/alerts/feed.xml');
		expect(feed.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
		expect(await feed.text()).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
	});

	it('refuses cross-site form posts', async () => {
		const body = new URLSearchParams({ gpu: 'h100-sxm', pricing: 'on_demand', thresholdUsd: '1' });
		const headers = { 'content-type': 'application/x-www-form-urlencoded' };
		const evil = await fetch(server.url + '/alerts?/create', {
			method: 'POST',
			headers: { ...headers, origin: 'http://evil.example' },
			body
		});
		expect(evil.status).toBe(403);
		const none = await fetch(server.url + '/alerts?/create', { method: 'POST', headers, body });
		expect(none.status).toBe(403);
		const list = await (await get('/api/alerts')).json();
		expect(list.watches.filter((w: { gpu: string }) => w.gpu === 'h100-sxm')).toHaveLength(0);
	});

	it('does not import the archive again on the next start', async () => {
		await server.stop('SIGTERM');
		server = await startServer({ DATA_DIR: dataDir, ARCHIVE_IMPORT: '1' });
		expect(server.output()).not.toMatch(/first start/);
		const body = await (await get('/api/history?gpu=h100-sxm&provider=lambda')).json();
		expect(body.series[0].points.at(-1).t).toBe('2026-07-20T00:00:00.000Z');
	});
});

describe.each(ENGINES)('npm run import on %s', (engine) => {
	const fixture = join(ROOT, 'tests', 'fixtures', 'archive', 'skypilot-vast-v7-excerpt.csv');
	let env: Record<string, string>;
	let database: TestDatabase | undefined;
	let dir: string | undefined;
	beforeAll(async () => {
		if (engine === 'postgres') {
			database = await createTestDatabase('postgres');
			env = { DATABASE_URL: database.url! };
		} else {
			dir = mkdtempSync(join(tmpdir(), 'gpu-dash-import-'));
			env = { DATA_DIR: dir };
		}
	});
	afterAll(async () => {
		await database?.destroy();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	const run = async (args: string[]) => {
		const p = spawnScript('scripts/import.ts', args, env);
		const code = await p.exited;
		return { code, out: p.output() };
	};

	it('explains a missing --observed-at, a bad --format and a missing file', async () => {
		const noTime = await run([fixture]);
		expect(noTime.code).toBe(1);
		expect(noTime.out).toMatch(/pass --observed-at/);
		const badFormat = await run([fixture, '--format', 'xlsx']);
		expect(badFormat.code).toBe(1);
		expect(badFormat.out).toMatch(/--format must be one of tracker-csv, skypilot-vms/);
		const missing = await run(['/nonexistent.csv']);
		expect(missing.code).toBe(1);
		expect(missing.out).toMatch(/cannot read \/nonexistent\.csv/);
	});

	it('imports a SkyPilot snapshot, prints a summary, and adds nothing the second time', async () => {
		const first = await run([fixture, '--observed-at', '2025-06-01T12:00:00Z']);
		expect(first.code, first.out).toBe(0);
		expect(first.out).toMatch(/skypilot-vast-v7-excerpt\.csv \(skypilot-vms\)/);
		expect(first.out).toMatch(/rows in file\s+16/);
		expect(first.out).toMatch(/imported\s+15/);
		expect(first.out).toMatch(/unmapped GPU names\s+1 rows — RTX_4090 \(48 GB\) ×1/);
		// Not a terminal: no progress bar, only the summary.
		expect(first.out).not.toContain('█');
		const second = await run([fixture, '--observed-at', '2025-06-01T12:00:00Z']);
		expect(second.code).toBe(0);
		expect(second.out).toMatch(/already imported .* nothing added/);
	});
});
