/**
 * Provider strings are data. The loopback fake providers answer with markup and script in every string
 * a page shows — a vast.ai place `<img … onerror>`, an unmapped vast.ai GPU name and RunPod id carrying
 * `<script>`/`<iframe>`, a Lambda region with `<img onerror>` — and a real poll stores them. Every page
 * that shows them (compare, GPU, providers, estimate, alerts, the Atom feed) renders them as text: in
 * the raw HTML they are escaped (no tag survives, not even inside the hydration data), in Chromium they
 * read as the literal text, no element is injected, no script runs (no dialog, no marker set) and the
 * Content-Security-Policy never had to block anything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createWatch } from '../../src/lib/server/alerts/watches.ts';
import { openDatabase } from '../../src/lib/server/db/index.ts';
import { recordedPayloads, startFakeProviders, type FakeProviders } from '../helpers/fake-providers.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/** Each sets window.__xss (and calls alert) if it ever runs. */
const VAST_PLACE = '<img src=x onerror="window.__xss=1;alert(1)">, Nowhere';
const VAST_PLACE_2 = 'Texas, <svg/onload=window.__xss=2>';
const VAST_GPU = '<script>window.__xss=3</script>RTX 9999';
const RUNPOD_ID = '<iframe src="javascript:window.__xss=4"></iframe> GPU';
const LAMBDA_REGION = '<img src=y onerror=window.__xss=5>';
const LAMBDA_KEY = 'hostile_e2e_key';

/** Tags that must never appear unescaped in any page's HTML. */
const RAW_TAGS = [
	'<img src=x',
	'<img src=y',
	'<svg/onload',
	'<script>window.__xss',
	'<iframe src="javascript'
];

function hostilePayloads() {
	const recorded = recordedPayloads() as {
		vastai: { offers: Record<string, unknown>[] };
		runpod: { data: { gpuTypes: Record<string, unknown>[] } };
		lambda: { data: Record<string, { regions_with_capacity_available: unknown[] }> };
	};
	const [offer] = recorded.vastai.offers;
	const vastai = {
		offers: [
			// the cheapest RTX 4090: the alert below fires on it, with its place as the region
			{ ...offer, id: 1, dph_total: 0.2, geolocation: VAST_PLACE },
			{ ...offer, id: 2, dph_total: 0.3, geolocation: VAST_PLACE_2 },
			{ ...offer, id: 3, gpu_name: VAST_GPU }
		]
	};
	const runpod = structuredClone(recorded.runpod);
	runpod.data.gpuTypes.push({ ...runpod.data.gpuTypes[0], id: RUNPOD_ID, displayName: RUNPOD_ID });
	const lambda = structuredClone(recorded.lambda);
	lambda.data.gpu_1x_a100_sxm4!.regions_with_capacity_available = [{ name: LAMBDA_REGION }];
	return { vastai, runpod, lambda };
}

let fake: FakeProviders;
let server: RunningServer;
let dataDir: string;

test.beforeAll(async () => {
	test.setTimeout(180_000);
	const payloads = hostilePayloads();
	fake = await startFakeProviders({ payloads, lambdaKey: LAMBDA_KEY });
	dataDir = mkdtempSync(join(tmpdir(), 'gpu-dash-e2e-hostile-'));
	// A watch that the first poll fires, so the hostile place reaches /alerts and the feed as well.
	const database = await openDatabase({ dataDir });
	await createWatch(
		database.db,
		{ gpu: 'rtx-4090', pricing: 'on_demand', provider: 'vastai', minGpuCount: 1, thresholdUsd: 50 },
		{ allowPrivate: false }
	);
	await database.close();
	server = await startServer({
		DATA_DIR: dataDir,
		...fake.env(),
		LAMBDA_API_KEY: LAMBDA_KEY,
		POLL_INTERVAL_MINUTES: '60'
	});
	// the poll at start stores all three providers' hostile answers
	for (let i = 0; i < 300; i++) {
		const body = (await (await fetch(`${server.url}/api/alerts`)).json()) as { firings: unknown[] };
		if (body.firings.length > 0) break;
		await new Promise((r) => setTimeout(r, 200));
	}
});

test.afterAll(async () => {
	await server?.stop();
	await fake?.close();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Pages, and the hostile strings each must show as text. */
const PAGES: { path: string; shows: string[] }[] = [
	{ path: '/', shows: [VAST_PLACE, LAMBDA_REGION] },
	{ path: '/gpus/rtx-4090', shows: [VAST_PLACE, VAST_PLACE_2] },
	{ path: '/gpus/a100-sxm-40gb', shows: [LAMBDA_REGION] },
	{ path: '/providers', shows: [VAST_GPU, RUNPOD_ID] },
	{ path: '/alerts', shows: [VAST_PLACE] },
	{ path: `/gpus/rtx-4090?region=${encodeURIComponent(VAST_PLACE)}`, shows: [VAST_PLACE] },
	{ path: '/estimate?model=mistralai/Mistral-7B-v0.1&method=qlora&gpu=rtx-4090', shows: [] }
];

test('the raw HTML of every page escapes the provider strings', async ({ request }) => {
	const offers = (await (await request.get(`${server.url}/api/offers`)).json()) as {
		offers: { region: string }[];
	};
	// the strings were stored as they came (data, not sanitised away) …
	expect(offers.offers.map((o) => o.region)).toEqual(
		expect.arrayContaining([VAST_PLACE, VAST_PLACE_2, LAMBDA_REGION])
	);
	for (const { path, shows } of PAGES) {
		const res = await request.get(server.url + path);
		expect(res.status(), path).toBe(200);
		const html = await res.text();
		// … and no page carries one of their tags unescaped, in markup or in the hydration data
		for (const tag of RAW_TAGS) expect(html, `${path} carries ${tag}`).not.toContain(tag);
		for (const s of shows)
			expect(html, `${path} shows ${s}`).toContain(s.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
	}
	const feed = await (await request.get(`${server.url}/alerts/feed.xml`)).text();
	expect(feed).toContain('&lt;img src=x onerror=&quot;window.__xss=1;alert(1)&quot;&gt;, Nowhere');
	for (const tag of RAW_TAGS) expect(feed).not.toContain(tag);
});

async function visit(page: Page, path: string): Promise<{ dialogs: string[]; cspViolations: string[] }> {
	const dialogs: string[] = [];
	const cspViolations: string[] = [];
	page.on('dialog', (d) => {
		dialogs.push(d.message());
		void d.dismiss();
	});
	page.on('console', (m) => {
		if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
	});
	await page.goto(server.url + path);
	await page.waitForLoadState('networkidle');
	return { dialogs, cspViolations };
}

for (const { path, shows } of PAGES) {
	test(`Chromium renders them as text and runs nothing: ${path}`, async ({ page }) => {
		const { dialogs, cspViolations } = await visit(page, path);
		for (const s of shows) await expect(page.getByText(s, { exact: false }).first()).toBeAttached();
		// nothing was injected: no such element exists, no script ran, CSP had nothing to refuse
		expect(await page.locator('img[src="x"], img[src="y"], svg[onload], iframe').count()).toBe(0);
		expect(
			await page
				.locator('script:not([src])')
				.evaluateAll((els) => els.some((e) => /^\s*window\.__xss/.test(e.textContent ?? '')))
		).toBe(false);
		expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
		expect(dialogs).toEqual([]);
		expect(cspViolations).toEqual([]);
	});
}

test('the region filter offers the hostile place as a plain option, and choosing it filters', async ({
	page
}) => {
	await visit(page, '/');
	const select = page.locator('select[name=region]');
	await expect(select.locator('option', { hasText: 'Nowhere' })).toHaveCount(1);
	await select.selectOption(VAST_PLACE);
	await page.getByRole('button', { name: 'Apply' }).click();
	await expect.poll(() => new URL(page.url()).searchParams.get('region')).toBe(VAST_PLACE);
	await expect(page.locator('select[name=region]')).toHaveValue(VAST_PLACE);
	expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
});
