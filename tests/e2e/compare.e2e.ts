/**
 * The compare page in Chromium, on prices the server polled at start from the loopback fake providers
 * (playwright.config.ts): filter it, sort it, follow a GPU link — with and without JavaScript — and see
 * Lambda's keyless list prices marked "stock unknown" (LAMBDA_API_KEY is unset for this server).
 */
import { expect, test, type Page } from '@playwright/test';

const select = (page: Page, name: string) => page.locator(`form.filters select[name="${name}"]`);

/** The server polls at start; wait for the first snapshots to land. */
async function waitForPrices(page: Page) {
	await expect
		.poll(
			async () => {
				const res = await page.request.get('/api/providers');
				const body = (await res.json()) as { providers: { provider: string; observedAt: string | null }[] };
				return body.providers
					.filter((p) => p.observedAt)
					.map((p) => p.provider)
					.sort();
			},
			{ timeout: 30_000 }
		)
		.toEqual(['lambda', 'runpod', 'vastai']);
}

const rowNames = (page: Page) => page.locator('table.compare tbody th[scope="row"]').allInnerTexts();

test.beforeEach(async ({ page }) => {
	await waitForPrices(page);
});

test('filters the compare page, keeps the filters in the URL, sorts, and follows a GPU link', async ({
	page
}) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('GPU rental prices, per GPU-hour');
	const all = await rowNames(page);
	expect(all).toContain('RTX 4090 24GB');
	expect(all).toContain('RTX A4000 16GB');
	// The 4090 row: vast.ai's real offer ($0.247) is the best on-demand price, RunPod's community $0.340.
	const row4090 = page.locator('tr', { has: page.getByRole('link', { name: 'RTX 4090 24GB' }) });
	await expect(row4090.locator('td.price[data-provider="vastai"][data-pricing="on_demand"]')).toContainText(
		'$0.247'
	);
	await expect(row4090.locator('td.price[data-provider="runpod"][data-pricing="on_demand"]')).toContainText(
		'$0.340'
	);

	await select(page, 'provider').selectOption('runpod');
	await select(page, 'minVramGb').selectOption('24');
	await page.getByLabel('Available now only').check();
	await page.getByRole('button', { name: 'Apply' }).click();
	await expect(page).toHaveURL(/provider=runpod/);
	await expect(page).toHaveURL(/minVramGb=24/);
	await expect(page).toHaveURL(/available=1/);
	const filtered = await rowNames(page);
	// ≥ 24 GB, rentable now, at RunPod: the 16 GB A4000 and the sold-out A5000 are gone.
	expect(filtered).toEqual(expect.arrayContaining(['RTX 4090 24GB', 'RTX 3090 24GB', 'L4 24GB']));
	expect(filtered).not.toContain('RTX A4000 16GB');
	expect(filtered).not.toContain('RTX A5000 24GB');
	await expect(page.locator('table.compare thead')).not.toContainText('vast.ai');
	// The form shows the filters it applied.
	await expect(select(page, 'provider')).toHaveValue('runpod');
	await expect(page.getByLabel('Available now only')).toBeChecked();

	await page
		.getByRole('link', { name: /^on-demand/ })
		.first()
		.click();
	await expect(page).toHaveURL(/sort=onDemand&dir=asc/);
	await expect(page).toHaveURL(/provider=runpod/);
	const sorted = await page.locator('table.compare tbody td.best').first().innerText();
	expect(sorted).toBe('$0.220');

	await page.getByRole('link', { name: 'RTX 4090 24GB' }).click();
	await expect(page).toHaveURL(/\/gpus\/rtx-4090$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('RTX 4090 24GB');
	const offers = page.locator('table.offers tbody tr');
	await expect(offers).toHaveCount(4);
	await expect(offers.first()).toContainText('vast.ai');
	await expect(offers.first()).toContainText('$0.200');
});

test('a family filter (any A100, any H100) narrows Compare and the offers API to that family’s variants', async ({
	page
}) => {
	await page.goto('/?gpu=any-a100');
	const names = await rowNames(page);
	expect(names.length).toBeGreaterThan(1);
	for (const n of names) expect(n).toMatch(/^A100 /);
	const api = (await (await page.request.get('/api/offers?gpu=any-h100&limit=500')).json()) as {
		offers: { gpu: string }[];
	};
	const gpus = new Set(api.offers.map((o) => o.gpu));
	expect(gpus.size).toBeGreaterThan(1);
	for (const g of gpus) expect(['h100-sxm', 'h100-pcie', 'h100-nvl']).toContain(g);
});

test('filters without JavaScript: the form and the links are plain HTML', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/');
	await select(page, 'pricing').selectOption('spot');
	await page.getByRole('button', { name: 'Apply' }).click();
	await expect(page).toHaveURL(/pricing=spot/);
	expect(await rowNames(page)).toEqual(['RTX 4090 24GB']);
	await page.getByRole('link', { name: 'RTX 4090 24GB' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('RTX 4090 24GB');
	await context.close();
});

test('starts without LAMBDA_API_KEY and shows Lambda’s list prices as "stock unknown"', async ({ page }) => {
	await page.goto('/');
	const note =
		"list prices from SkyPilot's public catalog, stock unknown — set LAMBDA_API_KEY for live availability";
	await expect(page.locator('li[data-provider="lambda"]')).toContainText('stock unknown');
	await expect(page.locator('p.source-note[data-provider="lambda"]')).toContainText(note);
	// The compare cell: Lambda's 8x H100 SXM list price per GPU-hour ($31.92 / 8), stock unknown.
	const h100 = page.locator('table.compare tbody tr', { has: page.getByRole('link', { name: /H100 SXM/ }) });
	const cell = h100.locator('td[data-provider="lambda"][data-pricing="on_demand"]');
	await expect(cell).toContainText('$3.99');
	await expect(cell).toContainText('stock unknown');
	await expect(cell).not.toContainText('sold out');
	// "Available now only" leaves them out, and says so.
	await page.goto('/?available=1');
	await expect(page.locator('p.source-note[data-provider="lambda"]')).toContainText(
		'left out by "Available now only"'
	);
	// A GPU page: every Lambda offer row says stock unknown, never yes or sold out.
	await page.goto('/gpus/h100-sxm?provider=lambda');
	await expect(page.locator('li[data-provider="lambda"]')).toContainText('stock unknown');
	const rows = page.locator('table.offers tbody tr');
	await expect(rows.first()).toContainText('stock unknown');
	const n = await rows.count();
	expect(n).toBeGreaterThan(0);
	for (let i = 0; i < n; i++) {
		await expect(rows.nth(i)).toContainText('Lambda');
		await expect(rows.nth(i)).toContainText('stock unknown');
		await expect(rows.nth(i)).not.toContainText('sold out');
	}
	// The API and its CSV: unknown, never true/false; available=true leaves them out and says so.
	const api = (await (await page.request.get('/api/offers?provider=lambda&limit=1')).json()) as {
		offers: { available: unknown; source: string }[];
	};
	expect(api.offers[0]).toMatchObject({ available: null, source: 'skypilot-catalog' });
	const only = (await (await page.request.get('/api/offers?provider=lambda&available=true')).json()) as {
		total: number;
		notes: string[];
	};
	expect(only.total).toBe(0);
	expect(only.notes).toEqual([`Lambda left out by available=true: ${note}`]);
	const csv = await (await page.request.get('/api/offers?provider=lambda&limit=1&format=csv')).text();
	expect(csv.split('\r\n')[1]).toMatch(/,unknown,.*,skypilot-catalog$/);
	// The estimator prices a job at them, labelled as list prices.
	await page.goto('/estimate?model=mistralai/Mistral-7B-v0.1&method=qlora&gpu=h100-sxm');
	const costRow = page.getByTestId('cost-table').locator('tr', { hasText: 'Lambda' });
	await expect(costRow.first()).toContainText('list price');
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Providers' }).click();
	const lambda = page.locator('section[data-provider="lambda"]');
	await expect(lambda).toContainText(note);
	await expect(lambda).toContainText('374 stored, stock unknown');
	await expect(page.locator('section[data-provider="vastai"]')).toContainText('2 stored, 2 available now');
});
