/**
 * A user's first ten minutes (issue 18), at a desktop size and a phone size: a short /estimate link
 * works and keeps the user's other answers, Back steps through answers, memory in one unit, no cost for
 * a job that does not fit, no route scrolls sideways on a phone, Compare's GPU column stays while its
 * table scrolls, and every listed offer links to the provider's page to rent it. The shared e2e server
 * has polled the loopback fake providers (recorded payloads) at start.
 */
import { expect, test, type Page } from '@playwright/test';

const SIZES = [
	{ name: 'desktop', width: 1280, height: 900 },
	{ name: 'phone', width: 390, height: 844 }
] as const;

/** Every route a user reaches from the navigation, plus pages one click deeper and a 404. */
export const ROUTES = [
	'/',
	'/providers',
	'/estimate',
	'/estimate?method=full&gpu=rtx-3090',
	'/trends',
	'/alerts',
	'/models',
	'/models/mistralai/Mistral-7B-v0.1',
	'/papers',
	'/gpus/rtx-4090',
	'/gpus/h100-sxm',
	'/no-such-page'
];

async function waitForPrices(page: Page) {
	// the server's first poll of the fake providers lands within seconds of start
	for (let i = 0; i < 60; i++) {
		const res = await page.request.get('/api/offers?gpu=rtx-4090');
		const body = (await res.json()) as { offers: unknown[] };
		if (body.offers.length > 0) return;
		await page.waitForTimeout(500);
	}
	throw new Error('no offers after 30 s');
}

for (const size of SIZES) {
	test.describe(`${size.name} ${size.width}×${size.height}`, () => {
		test.use({ viewport: { width: size.width, height: size.height } });

		test('a short /estimate link fills in the rest and shows an estimate', async ({ page }) => {
			await page.goto('/estimate?gpu=h100-sxm');
			await expect(page).toHaveURL(/model=mistralai%2FMistral-7B-v0\.1/);
			await expect(page).toHaveURL(/method=qlora/);
			await expect(page.getByLabel('Model', { exact: true })).toHaveValue('mistralai/Mistral-7B-v0.1');
			await expect(page.getByLabel('Method')).toHaveValue('qlora');
			await expect(page.getByLabel('GPU', { exact: true })).toHaveValue('h100-sxm');
			await expect(page.getByTestId('fits')).toHaveText('fits');
			await expect(page.getByTestId('estimate-error')).toHaveCount(0);
			await expect(page).toHaveTitle(/Mistral-7B-v0\.1 qlora on 1× H100 SXM/);
		});

		test('one wrong field keeps the other answers and is named by its label', async ({ page }) => {
			await page.goto('/estimate?method=lora&gpu=l40s&seqLen=abc&gpuCount=2');
			await expect(page.getByLabel('Method')).toHaveValue('lora');
			await expect(page.getByLabel('GPU', { exact: true })).toHaveValue('l40s');
			await expect(page.getByLabel('GPUs', { exact: true })).toHaveValue('2');
			const error = page.getByTestId('estimate-error');
			await expect(error).toContainText('Sequence length');
			await expect(error).not.toContainText('seqLen');
			await expect(error).toContainText('uses 2048 instead');
			// the estimate of the other answers is still there
			await expect(page.getByTestId('fits')).toBeVisible();
			await expect(page.getByText('Fits 2× L40S 48GB?')).toBeVisible();
			await expect(error).toContainText('is not a number');
		});

		test('Back returns to the previous answer', async ({ page }) => {
			await page.goto('/estimate');
			await expect(page.getByTestId('fits')).toHaveText('fits');
			// hydrated (a choice made before that is the no-JS form's, which navigates)
			await expect(page.getByTestId('estimate-form')).toHaveAttribute('data-hydrated', 'yes');
			await page.getByLabel('Method').selectOption('lora');
			await expect(page).toHaveURL(/method=lora/);
			await page.getByLabel('GPU', { exact: true }).selectOption('a100-sxm-80gb');
			await expect(page).toHaveURL(/gpu=a100-sxm-80gb/);
			await page.goBack();
			await expect(page).toHaveURL(/gpu=rtx-4090/);
			await expect(page.getByLabel('GPU', { exact: true })).toHaveValue('rtx-4090');
			await expect(page.getByLabel('Method')).toHaveValue('lora');
			await page.goBack();
			await expect(page.getByLabel('Method')).toHaveValue('qlora');
			await expect(page).toHaveURL(/\/estimate/);
		});

		test('fits and capacity are in one unit, the card’s nominal size', async ({ page }) => {
			// V100 32GB: 32 GiB; the issue saw "32.4 GB / 32 GB — fits"
			await page.goto('/estimate?method=qlora&gpu=v100-32gb&model=meta-llama/Llama-2-13b-hf');
			const summary = page.getByTestId('estimate-summary');
			await expect(summary).toContainText('of 32.0 GiB per GPU');
			const perGpu = (await page.getByTestId('per-gpu-gb').textContent())!;
			expect(perGpu).toMatch(/^[0-9.]+ GiB$/);
			const fits = (await page.getByTestId('fits').textContent())!.trim();
			expect(fits === 'fits').toBe(parseFloat(perGpu) <= 32);
			// the results speak one unit (the calibration table below them quotes its sources' own units)
			for (const part of ['estimate-summary', 'assumptions'])
				await expect(page.getByTestId(part)).not.toContainText(/\d GB\b(?!\/s)/);
			await expect(page.locator('figure.memory')).not.toContainText(/\bGB\b/);
		});

		test('a job that does not fit gets no time or cost, and what would fit instead', async ({ page }) => {
			await waitForPrices(page);
			await page.goto('/estimate?method=full&gpu=rtx-3090');
			await expect(page.getByTestId('fits')).toHaveText('does not fit');
			await expect(page.getByTestId('hours')).toHaveCount(0);
			await expect(page.getByTestId('cheapest')).toHaveCount(0);
			await expect(page.getByTestId('cost-table')).toHaveCount(0);
			const instead = page.getByTestId('what-fits');
			await expect(instead).toContainText('No time or cost');
			await expect(instead).toContainText('QLoRA');
			await instead.getByRole('link', { name: /QLoRA/ }).click();
			await expect(page.getByTestId('fits')).toHaveText('fits');
			await expect(page.getByTestId('hours')).toBeVisible();
			await expect(page).toHaveURL(/method=qlora/);
		});

		test('every listed offer links to the provider’s page to rent it', async ({ page }) => {
			await waitForPrices(page);
			// (the shared e2e server has no Lambda key: Lambda's link is checked in tests/unit/rent-links.test.ts)
			const hosts = new Set<string>();
			for (const path of ['/gpus/rtx-4090', '/gpus/l4', '/estimate']) {
				await page.goto(path);
				const rows = page.locator('table.offers tbody tr, [data-testid="cost-table"] tbody tr');
				const n = await rows.count();
				expect(n, path).toBeGreaterThan(0);
				for (let i = 0; i < n; i++) {
					const link = rows.nth(i).getByTestId('rent-link');
					await expect(link, `${path} row ${i}`).toHaveCount(1);
					const href = (await link.getAttribute('href'))!;
					const url = new URL(href);
					expect(['cloud.vast.ai', 'console.runpod.io', 'cloud.lambda.ai']).toContain(url.host);
					hosts.add(url.host);
					expect(href).not.toMatch(/[?&](ref|ref_id|utm_[a-z]+|affiliate)=/);
					const rel = (await link.getAttribute('rel'))!.split(' ');
					expect(rel).toEqual(expect.arrayContaining(['noopener', 'noreferrer', 'external']));
					await expect(link).toContainText(/Rent on (vast\.ai|RunPod|Lambda)/);
				}
			}
			expect([...hosts].sort()).toEqual(['cloud.vast.ai', 'console.runpod.io']);
		});
	});
}

test('the GPU page’s history chart logs no warning in any range (Chart.js “ticks” included)', async ({
	page
}) => {
	const messages: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'warning' || m.type() === 'error') messages.push(m.text());
	});
	await waitForPrices(page);
	for (const range of ['', '?range=7d', '?range=30d', '?range=all']) {
		await page.goto(`/gpus/rtx-4090${range}`);
		await expect(page.locator('figure.chart canvas')).toBeVisible();
		await page.waitForLoadState('networkidle');
	}
	expect(messages).toEqual([]);
	// live data this young says so
	await expect(page.getByTestId('young-live')).toContainText('only since');
});

test('Compare’s filters apply on change and leave no empty parameter in the URL', async ({ page }) => {
	await waitForPrices(page);
	await page.goto('/');
	await page.getByLabel('Pricing').selectOption('on_demand');
	await expect(page).toHaveURL(/\?pricing=on_demand$/);
	// a hand-written URL with empty parameters is cleaned too
	await page.goto('/?gpu=&pricing=spot&cloud=');
	await expect(page).toHaveURL(/\/\?pricing=spot$/);
});

test.describe('phone 390×844', () => {
	test.use({ viewport: { width: 390, height: 844 } });

	test('no route scrolls sideways', async ({ page }) => {
		await waitForPrices(page);
		const wide: string[] = [];
		for (const path of ROUTES) {
			await page.goto(path);
			await page.waitForLoadState('networkidle');
			const { scrollWidth, innerWidth } = await page.evaluate(() => ({
				scrollWidth: document.scrollingElement!.scrollWidth,
				innerWidth: window.innerWidth
			}));
			if (scrollWidth > innerWidth) wide.push(`${path}: ${scrollWidth} > ${innerWidth}`);
		}
		expect(wide).toEqual([]);
	});

	test('Compare keeps the GPU column in view while its table scrolls sideways', async ({ page }) => {
		await waitForPrices(page);
		await page.goto('/');
		const wrap = page.locator('.table-wrap').filter({ has: page.locator('table.compare') });
		const firstGpu = page.locator('table.compare tbody th.gpu').first();
		const before = (await firstGpu.boundingBox())!;
		const scrolled = await wrap.evaluate((el) => {
			el.scrollLeft = 400;
			return el.scrollLeft;
		});
		expect(scrolled).toBeGreaterThan(100);
		const after = (await firstGpu.boundingBox())!;
		expect(Math.abs(after.x - before.x)).toBeLessThan(2);
		// and the price cells went under it
		const cell = page.locator('table.compare tbody tr').first().locator('td.price').first();
		expect((await cell.boundingBox())!.x).toBeLessThan(before.x + before.width + 400);
	});

	test('the model page’s “Reference job now” is on screen', async ({ page }) => {
		await waitForPrices(page);
		await page.goto('/models/mistralai/Mistral-7B-v0.1');
		// without scrolling any table sideways: the job's price is in view beside the GPUs
		const rects = await page
			.getByRole('columnheader', { name: /Reference job now/ })
			.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
		expect(rects.length).toBeGreaterThan(0);
		for (const right of rects) expect(right).toBeLessThanOrEqual(390);
		const firstPrice = page.getByTestId('picker-qlora').locator('tbody tr').first().locator('td').nth(1);
		await expect(firstPrice).toHaveText(/\$\d/);
		expect(await firstPrice.evaluate((e) => e.getBoundingClientRect().right)).toBeLessThanOrEqual(390);
	});
});
