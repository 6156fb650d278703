import { expect, test, type Page } from '@playwright/test';

/** Pixels of the chart canvas that something was drawn on. */
async function drawnPixels(page: Page): Promise<number> {
	return page.locator('figure.chart canvas').evaluate((c: HTMLCanvasElement) => {
		const ctx = c.getContext('2d')!;
		const data = ctx.getImageData(0, 0, c.width, c.height).data;
		let n = 0;
		for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
		return n;
	});
}

test('the GPU page draws the archived history, switches range in the URL, and shows it as a table', async ({
	page
}) => {
	await page.goto('/gpus/h100-sxm');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('H100 SXM 80GB');
	const chart = page.locator('figure.chart');
	await expect(chart.locator('canvas')).toBeVisible();
	await expect.poll(() => drawnPixels(page)).toBeGreaterThan(5000);
	await expect(chart.getByRole('button', { name: /vast\.ai · on-demand\s*archive/ })).toBeVisible();

	// Range buttons are links kept in the URL.
	await page.getByRole('link', { name: '7 days' }).click();
	await expect(page).toHaveURL(/\?range=7d#history-heading$/);
	// Lambda's keyless list prices were polled in this run (the fake providers list no H100 at vast.ai or
	// RunPod). "7 days" is measured from the server's clock: the archive (last day 2026-07-20) is outside it
	// from 2026-07-27 on — said here instead of assumed.
	await expect(page.locator('details', { hasText: 'Lambda · on-demand' })).toHaveCount(1);
	if (Date.now() - 7 * 86_400_000 > Date.parse('2026-07-20T00:00:00Z'))
		await expect(page.locator('details', { hasText: 'vast.ai · on-demand' })).toHaveCount(0);
	await page.getByRole('link', { name: 'All', exact: true }).click();
	await expect(page).toHaveURL(/\?range=all#history-heading$/);
	await expect(page.getByRole('link', { name: 'All', exact: true })).toHaveAttribute('aria-current', 'true');
	await expect.poll(() => drawnPixels(page)).toBeGreaterThan(5000);

	// Only the cheapest lines, then both again.
	await chart.getByRole('button', { name: 'Cheapest', exact: true }).click();
	await expect(chart.getByRole('button', { name: 'Cheapest', exact: true })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	await chart.getByRole('button', { name: 'Median + cheapest' }).click();

	// The same data as tables, one per series (closed until opened); Lambda's newest archived day is 2026-07-20.
	// (Its live series, from the keyless poll at start, is a table of its own.)
	const lambda = page.locator('details', { hasText: /Lambda · on-demand\s*archive/ });
	await expect(lambda.locator('summary')).toContainText(
		'last archived 2026-07-20: cheapest $3.99, median $4.19'
	);
	await lambda.locator('summary').click();
	await expect(lambda.getByRole('table')).toBeVisible();
	const row = lambda.getByRole('row').nth(1);
	await expect(row.getByRole('cell').nth(0)).toHaveText('2026-07-20');
	await expect(row.getByRole('cell').nth(1)).toHaveText('$3.99');
	await expect(row.getByRole('cell').nth(2)).toHaveText('$4.19');
	await page.locator('summary', { hasText: 'vast.ai · spot' }).click();
	await expect(page.locator('details', { hasText: 'vast.ai · spot' }).getByRole('table')).toBeVisible();
	await expect(page.getByText(/cherielilili\/gpu-pricing-tracker \(data\/observations\.csv/)).toBeVisible();
});

test('without JavaScript the GPU page still shows the history table (and no chart)', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/gpus/h100-sxm?range=all');
	await expect(page.locator('figure.chart')).toHaveCount(0);
	await expect(
		page.locator('details', { hasText: 'RunPod secure cloud · on-demand' }).locator('summary')
	).toContainText('$2.99');
	await context.close();
});

test('/trends shows the archive movers and class index, dated', async ({ page }) => {
	const scripts: string[] = [];
	page.on('request', (r) => {
		if (r.resourceType() === 'script') scripts.push(r.url());
	});
	const response = await page.goto('/trends');
	// Nothing on /trends runs in the browser (csr = false): no JavaScript, and the trends are in the HTML
	// once, not a second time as a hydration payload.
	expect(await response!.text()).not.toContain('<script');
	expect(scripts).toEqual([]);
	await expect(
		page.getByRole('heading', { name: /Archived prices, last archived day 2026-07-20/ })
	).toBeVisible();
	const up = page.getByRole('list', { name: 'Up' }).first();
	const down = page.getByRole('list', { name: 'Down' }).first();
	await expect(up.getByRole('listitem').first()).toContainText(/\+\d+\.\d%/);
	await expect(down.getByRole('listitem').first()).toContainText(/-\d+\.\d%/);
	// Shown for the archive and (Lambda's list prices polled at start) for the live days.
	await expect(page.getByRole('rowheader', { name: '80 GB datacenter', exact: true }).first()).toBeVisible();
	await expect(page.locator('svg.spark').first()).toBeVisible();
	await page.getByRole('link', { name: 'H100 SXM 80GB' }).first().click();
	await expect(page).toHaveURL(/\/gpus\/h100-sxm$/);
	// and back to it from a page that does run in the browser: the main menu's link loads it whole
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trends' }).click();
	await expect(page).toHaveURL(/\/trends$/);
	await expect(page.getByRole('heading', { name: 'Price trends', level: 1 })).toBeVisible();
	await expect(page.locator('svg.spark').first()).toBeVisible();
});

test('the alerts form creates a watch, refuses a private webhook, and its manage link deletes it', async ({
	page
}) => {
	await page.goto('/alerts');
	await page.locator('select[name=gpu]').selectOption('h200');
	await page.locator('select[name=pricing]').selectOption('spot');
	await page.getByLabel('Threshold, USD per GPU-hour').fill('1.23');
	await page.getByLabel('Label (optional)').fill('cheap H200');
	await page.getByRole('button', { name: 'Add watch' }).click();
	await expect(page.getByRole('status')).toContainText(/Watch #\d+ saved\./);
	const manage = page.getByTestId('manage-link');
	await expect(manage).toHaveText(/^http:\/\/[^/]+\/alerts\/manage\/[A-Za-z0-9_-]{43}$/);
	const manageHref = (await manage.getAttribute('href'))!;
	const row = page.getByRole('row', { name: /H200 SXM 141GB spot/ });
	await expect(row).toContainText('cheap H200');
	await expect(row).toContainText('$1.23');
	await expect(row).toContainText('armed');

	await page.getByLabel('Threshold, USD per GPU-hour').fill('2');
	await page.getByLabel('Webhook URL (optional)').fill('http://127.0.0.1:9/hook');
	await page.getByRole('button', { name: 'Add watch' }).click();
	// In the user's words: no setting name the user could not change anyway.
	await expect(page.getByRole('alert')).toContainText(
		'The webhook URL points to a local or private network address'
	);
	await expect(page.getByRole('alert')).not.toContainText('ALERT_');

	await page.goto(manageHref);
	await page.getByRole('button', { name: /Delete watch/ }).click();
	await expect(page).toHaveURL(/\/alerts\?deleted=\d+$/);
	await expect(page.getByRole('status')).toHaveText(/Watch #\d+ deleted\./);
	await expect(page.getByRole('row', { name: /H200 SXM 141GB spot/ })).toHaveCount(0);
});
