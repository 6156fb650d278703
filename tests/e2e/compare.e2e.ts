/**
 * The compare page in Chromium, on prices the server polled at start from the loopback fake providers
 * (playwright.config.ts): filter it, sort it, follow a GPU link — with and without JavaScript — and see
 * Lambda shown as needing its key (LAMBDA_API_KEY is unset for this server).
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
		.toEqual(['runpod', 'vastai']);
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

test('starts without LAMBDA_API_KEY and shows Lambda as needing it', async ({ page }) => {
	await page.goto('/');
	// users read "not included"; the setting behind it is in the title and on /providers
	const badge = page.locator('li[data-provider="lambda"] .badge');
	await expect(badge).toHaveText('not included');
	await expect(badge).toHaveAttribute('title', /needs LAMBDA_API_KEY/);
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Providers' }).click();
	const lambda = page.locator('section[data-provider="lambda"]');
	await expect(lambda).toContainText('disabled');
	await expect(lambda).toContainText('no — needs LAMBDA_API_KEY');
	await expect(page.locator('section[data-provider="vastai"]')).toContainText('ok');
	await expect(page.locator('section[data-provider="vastai"]')).toContainText('2 stored, 2 available now');
});
