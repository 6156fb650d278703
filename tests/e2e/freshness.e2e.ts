/**
 * Every page that shows a current price says how old it is and when it is stale, the same way (issue 18):
 * the providers' snapshots here were polled three hours ago (with in-process polling off), older than two
 * poll intervals, so /estimate, /models, /papers, a model page, Compare and a GPU page all say "stale".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { loadConfig } from '../../src/lib/server/config.ts';
import { openDatabase } from '../../src/lib/server/db/index.ts';
import { pollOnce } from '../../src/lib/server/poll/poller.ts';
import { startFakeProviders, type FakeProviders } from '../helpers/fake-providers.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let fake: FakeProviders;
let server: RunningServer;
let dataDir: string;

test.beforeAll(async () => {
	test.setTimeout(180_000);
	fake = await startFakeProviders();
	dataDir = mkdtempSync(join(tmpdir(), 'gpu-dash-e2e-stale-'));
	const database = await openDatabase({ dataDir });
	const threeHoursAgo = new Date(Date.now() - 3 * 3600_000);
	const cycle = await pollOnce(database, loadConfig({ ...fake.env(), DATA_DIR: dataDir }), {
		now: () => threeHoursAgo,
		http: { minIntervalMs: 0, baseBackoffMs: 10 }
	});
	expect(cycle.results.some((r) => r.status === 'ok')).toBe(true);
	await database.close();
	// POLL_INTERVAL_MINUTES=0: no poll at start, so the three-hour-old snapshots stay current (and stale)
	server = await startServer({ DATA_DIR: dataDir, ...fake.env(), POLL_INTERVAL_MINUTES: '0' });
});

test.afterAll(async () => {
	await server?.stop();
	await fake?.close();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

for (const viewport of [
	{ width: 1280, height: 900 },
	{ width: 390, height: 844 }
]) {
	test(`stale prices are said on every page that shows one (${viewport.width}×${viewport.height})`, async ({
		browser
	}) => {
		const page = await browser.newPage({ viewport });
		for (const path of ['/estimate', '/models', '/papers', '/models/mistralai/Mistral-7B-v0.1']) {
			await page.goto(server.url + path);
			const warning = page.getByTestId('stale-warning');
			await expect(warning, path).toBeVisible();
			await expect(warning, path).toContainText('vast.ai');
			// the age, in the same freshness list as Compare and the GPU pages
			await expect(page.locator('ul.freshness [data-provider="vastai"]'), path).toContainText('3 h ago');
		}
		for (const path of ['/', '/gpus/rtx-4090']) {
			await page.goto(server.url + path);
			await expect(page.locator('ul.freshness [data-provider="vastai"] .badge.stale'), path).toBeVisible();
		}
		await page.close();
	});
}
