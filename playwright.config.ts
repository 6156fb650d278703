import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './tests/helpers/server.ts';

// Debian's Chromium (apt-get install -y chromium); never a downloaded browser.
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Ports: E2E_PORT / E2E_FAKE_PROVIDERS_PORT when set, else free ones picked now (no fixed port another
// run or program may hold). Written back to the environment so Playwright's workers, which load this
// file again, use the same ones.
const port = Number(process.env.E2E_PORT || (await freePort()));
// The loopback fake providers (tests/helpers/fake-providers.ts) the app polls instead of the real APIs.
let fakePort = Number(process.env.E2E_FAKE_PROVIDERS_PORT || (await freePort()));
while (!process.env.E2E_FAKE_PROVIDERS_PORT && fakePort === port) fakePort = await freePort();
process.env.E2E_PORT = String(port);
process.env.E2E_FAKE_PROVIDERS_PORT = String(fakePort);
const fakeUrl = `http://127.0.0.1:${fakePort}`;
process.env.E2E_FAKE_PROVIDERS_URL = fakeUrl;
// A fresh embedded database per run: the e2e suite sees exactly what a new user sees.
const dataDir = process.env.E2E_DATA_DIR || mkdtempSync(join(tmpdir(), 'gpu-dash-e2e-'));
process.env.E2E_DATA_DIR = dataDir;

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.e2e.ts',
	workers: 1,
	fullyParallel: false,
	retries: 0,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: [['list']],
	use: {
		baseURL: `http://127.0.0.1:${port}`,
		launchOptions: {
			executablePath,
			args: [
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-component-update',
				'--disable-sync'
			]
		},
		trace: 'off'
	},
	webServer: [
		{
			command: `node tests/helpers/fake-providers-server.ts ${fakePort}`,
			url: `${fakeUrl}/__fake/health`,
			timeout: 30_000,
			reuseExistingServer: false,
			stdout: 'pipe',
			stderr: 'pipe'
		},
		{
			command: 'node scripts/start.ts',
			url: `http://127.0.0.1:${port}/`,
			timeout: 180_000,
			reuseExistingServer: false,
			stdout: 'pipe',
			stderr: 'pipe',
			gracefulShutdown: { signal: 'SIGTERM', timeout: 5000 },
			env: {
				PORT: String(port),
				HOST: '127.0.0.1',
				DATA_DIR: dataDir,
				// The server polls the fake providers once at start (then every 10 min).
				POLL_INTERVAL_MINUTES: '10',
				VASTAI_API_URL: fakeUrl,
				RUNPOD_API_URL: fakeUrl,
				LAMBDA_API_URL: fakeUrl,
				// the fake providers also serve a tiny Hugging Face Hub (recorded config.json files)
				HF_ENDPOINT: fakeUrl,
				// A new user's first start: the bundled archive is imported before the first poll.
				ARCHIVE_IMPORT: '1',
				// Unset on purpose: a new user's start, Lambda's list prices from SkyPilot's catalog (on the fake).
				LAMBDA_API_KEY: '',
				LAMBDA_CATALOG_URL: `${fakeUrl}/skypilot/catalogs/v9/lambda/vms.csv`
			}
		}
	]
});
