/**
 * `node scripts/screenshots.ts [--url http://127.0.0.1:PORT]`: full-page screenshots of every route at a
 * desktop size (1280×900) and a phone size (390×844) into docs/screenshots/, so a change of layout is
 * seen, not guessed. Without --url it starts the loopback fake providers (recorded payloads, on
 * SCREENSHOT_PORT + 100) and the built app on a fresh data directory (on SCREENSHOT_PORT, default 6150),
 * waits for the first poll, then shoots. Chromium: CHROMIUM_PATH or Debian's /usr/bin/chromium.
 */
import './lib/node-version.ts';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { startFakeProviders } from '../tests/helpers/fake-providers.ts';
import { startServer } from '../tests/helpers/server.ts';
import { ROOT } from './lib/build.ts';

const PAGES: [name: string, path: string][] = [
	['compare', '/'],
	['providers', '/providers'],
	['estimate', '/estimate'],
	['estimate-no-fit', '/estimate?method=full&gpu=rtx-3090'],
	[
		'estimate-serving',
		'/estimate?method=inference&gpu=rtx-4090&concurrency=64&promptTokens=1024&outputTokens=256'
	],
	['trends', '/trends'],
	['alerts', '/alerts'],
	['models', '/models'],
	['model', '/models/mistralai/Mistral-7B-v0.1'],
	['papers', '/papers'],
	['gpu-rtx-4090', '/gpus/rtx-4090'],
	['gpu-h100-sxm', '/gpus/h100-sxm'],
	['not-found', '/no-such-page']
];
const SIZES = [
	{ name: 'desktop', width: 1280, height: 900 },
	{ name: 'phone', width: 390, height: 844 }
];

const urlArg = process.argv.indexOf('--url');
let baseUrl = urlArg > 0 ? process.argv[urlArg + 1] : undefined;
const cleanup: (() => Promise<unknown>)[] = [];

try {
	if (!baseUrl) {
		const port = Number(process.env.SCREENSHOT_PORT || 6150);
		const fake = await startFakeProviders({ port: port + 100 });
		cleanup.push(() => fake.close());
		const dataDir = mkdtempSync(join(tmpdir(), 'gpu-dash-screens-'));
		cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
		const server = await startServer(
			{
				DATA_DIR: dataDir,
				...fake.env(),
				// the fake Lambda accepts any key: all three providers' offers appear
				LAMBDA_API_KEY: 'screenshots',
				PORT: String(port),
				POLL_INTERVAL_MINUTES: '10',
				ARCHIVE_IMPORT: '1'
			},
			240_000
		);
		cleanup.unshift(() => server.stop());
		baseUrl = server.url;
	}
	// the first poll (and the archive import) land within seconds of start
	for (let i = 0; i < 120; i++) {
		const body = (await (await fetch(`${baseUrl}/api/offers?gpu=rtx-4090`)).json()) as { offers: unknown[] };
		if (body.offers.length > 0) break;
		await new Promise((r) => setTimeout(r, 500));
	}
	const out = join(ROOT, 'docs', 'screenshots');
	mkdirSync(out, { recursive: true });
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
		args: ['--disable-gpu', '--no-first-run']
	});
	cleanup.unshift(() => browser.close());
	for (const size of SIZES) {
		const page = await browser.newPage({ viewport: { width: size.width, height: size.height } });
		for (const [name, path] of PAGES) {
			await page.goto(baseUrl + path, { waitUntil: 'networkidle' });
			const file = join(out, `${name}-${size.name}.png`);
			await page.screenshot({ path: file, fullPage: true });
			console.log(`[screenshots] ${file}`);
		}
		await page.close();
	}
} finally {
	for (const c of cleanup) await c().catch(() => {});
}
