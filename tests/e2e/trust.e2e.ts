/**
 * A planted near-zero offer, as a marketplace really sends them: the loopback fake vast.ai answers with
 * its recorded RTX 4090 offer at real prices plus one copy at $0.0000093 an hour (CONSTRUCTED from the
 * recorded object: the price a user met as "Best now: $0.000"). A real poll stores it. Then no page shows
 * a price taken from it — the compare page, the GPU page's "Cheapest now", /models, a model's page,
 * /papers and the estimator all price from the real offers — while the GPU page lists it, hidden by
 * default behind a toggle that says how many are hidden, with its reason once shown (also without
 * JavaScript: the toggle is a plain link).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { recordedPayloads, startFakeProviders, type FakeProviders } from '../helpers/fake-providers.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const LAMBDA_KEY = 'trust_e2e_key';
const PLANTED_ID = 7_777_777;
/** Any figure priced from the planted offer reads "$0.000…" (the compare page's "$0.000", /models' "$0.0000081"). */
const NEAR_ZERO = /\$0\.000/;

function plantedPayloads() {
	const recorded = recordedPayloads() as { vastai: { offers: Record<string, unknown>[] } };
	const [offer] = recorded.vastai.offers;
	const at = (id: number, usd: number) => ({ ...offer, id, dph_total: usd, dph_base: usd, min_bid: 0 });
	return {
		vastai: { offers: [at(1, 0.3), at(2, 0.32), at(3, 0.35), at(PLANTED_ID, 0.0000093)] }
	};
}

let fake: FakeProviders;
let server: RunningServer;
let dataDir: string;

test.beforeAll(async () => {
	test.setTimeout(180_000);
	fake = await startFakeProviders({
		payloads: plantedPayloads(),
		lambdaKey: LAMBDA_KEY
	});
	dataDir = mkdtempSync(join(tmpdir(), 'gpu-dash-e2e-trust-'));
	server = await startServer({
		DATA_DIR: dataDir,
		...fake.env(),
		LAMBDA_API_KEY: LAMBDA_KEY,
		POLL_INTERVAL_MINUTES: '60'
	});
	// The poll at start stores the three providers' answers.
	for (let i = 0; i < 300; i++) {
		const body = (await (await fetch(`${server.url}/api/providers`)).json()) as {
			providers: { snapshotId: number | null }[];
		};
		if (body.providers.every((p) => p.snapshotId !== null)) break;
		await new Promise((r) => setTimeout(r, 200));
	}
});

test.afterAll(async () => {
	await server?.stop();
	await fake?.close();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('the planted offer is stored, flagged and explained', async ({ request }) => {
	const body = (await (
		await request.get(`${server.url}/api/offers?gpu=rtx-4090&provider=vastai`)
	).json()) as {
		untrusted: number;
		offers: { offerRef: string; trusted: boolean; flags: string[]; trustReason: string | null }[];
	};
	expect(body.untrusted).toBe(1);
	const planted = body.offers.find((o) => o.offerRef === String(PLANTED_ID));
	expect(planted).toMatchObject({ trusted: false, flags: expect.arrayContaining(['implausible-price']) });
	expect(planted!.trustReason).toMatch(/^implausible price/);
	const trusted = (await (
		await request.get(`${server.url}/api/offers?gpu=rtx-4090&trusted=true`)
	).json()) as {
		offers: { offerRef: string }[];
	};
	expect(trusted.offers.map((o) => o.offerRef)).not.toContain(String(PLANTED_ID));
	// The CSV carries the trust columns; a bad filter value is a 400 naming it.
	const csv = await (await request.get(`${server.url}/api/offers?gpu=rtx-4090&format=csv`)).text();
	const [header, ...lines] = csv.trim().split('\r\n');
	expect(header!.split(',').slice(-4)).toEqual(['trusted', 'flags', 'trustReason', 'source']);
	const plantedLine = lines.find((l) => l.includes(`,${PLANTED_ID},`));
	expect(plantedLine).toContain(',false,implausible-price;price-outlier,');
	const bad = await request.get(`${server.url}/api/offers?trusted=maybe`);
	expect(bad.status()).toBe(400);
	expect(((await bad.json()) as { param: string }).param).toBe('trusted');
	const health = await (await request.get(`${server.url}/providers`)).text();
	expect(health).toContain('1 × implausible-price');
});

const PRICED_PAGES = [
	'/',
	'/gpus/rtx-4090',
	'/models',
	'/models/TokenBender/evolvedSeeker_1_3',
	'/papers',
	'/estimate?model=TokenBender/evolvedSeeker_1_3&method=qlora&gpu=rtx-4090'
];

for (const path of PRICED_PAGES) {
	test(`no best or reference price comes from the planted offer: ${path}`, async ({ page }) => {
		await page.goto(server.url + path);
		await page.waitForLoadState('networkidle');
		const text = await page.locator('main, body').first().innerText();
		expect(text).not.toMatch(NEAR_ZERO);
	});
}

test('the compare page shows the real cheapest RTX 4090 as its best price', async ({ page }) => {
	await page.goto(server.url + '/');
	const row = page
		.locator('tr', { has: page.getByRole('link', { name: 'RTX 4090 24GB', exact: true }) })
		.first();
	await expect(row).toContainText('$0.300');
});

test('the GPU page hides the planted offer behind a toggle, and shows it with its reason', async ({
	page
}) => {
	await page.goto(server.url + '/gpus/rtx-4090');
	const toggle = page.getByTestId('untrusted-toggle');
	await expect(toggle).toContainText('1 untrusted offer hidden');
	const table = page.locator('table.offers');
	await expect(table).not.toContainText('untrusted');
	await expect(table).not.toContainText(NEAR_ZERO);
	await toggle.getByRole('link', { name: 'Show it' }).click();
	await expect.poll(() => new URL(page.url()).searchParams.get('untrusted')).toBe('show');
	const row = page.locator('table.offers tr.untrusted');
	await expect(row).toHaveCount(1);
	await expect(row).toContainText('$0.000');
	await expect(row).toContainText('implausible price');
	// "Cheapest now" still shows the real price.
	await expect(page.locator('.summary')).toContainText('$0.300');
	await expect(page.locator('.summary')).not.toContainText(NEAR_ZERO);
	await page.getByTestId('untrusted-toggle').getByRole('link', { name: 'Hide untrusted offers' }).click();
	await expect(page.locator('table.offers tr.untrusted')).toHaveCount(0);
});

test('the toggle works without JavaScript: a plain link to ?untrusted=show', async ({ request }) => {
	const hidden = await (await request.get(`${server.url}/gpus/rtx-4090`)).text();
	expect(hidden).toMatch(/href="\?[^"]*untrusted=show#offers"/);
	expect(hidden).not.toContain('implausible price');
	const shown = await (await request.get(`${server.url}/gpus/rtx-4090?untrusted=show`)).text();
	expect(shown).toContain('implausible price: $0.0000093 per GPU-hour is under the $0.01 floor');
});

test('a GPU page cites the datasheet its specs come from, by title and URL', async ({ page }) => {
	await page.goto(server.url + '/gpus/h100-sxm');
	const link = page.getByRole('link', { name: 'NVIDIA H100 Tensor Core GPU datasheet' });
	await expect(link).toHaveAttribute('href', /^https:\/\/resources\.nvidia\.com\//);
	await expect(page.locator('dl.specs')).not.toContainText('estimation.md');
});
