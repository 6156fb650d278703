/**
 * The estimator in a real browser: live updates with JavaScript (and a URL that reproduces the estimate),
 * the same form without JavaScript through the form action, a model page and the papers page, once the
 * e2e server's first poll of the loopback fake providers is stored (tests/e2e/estimate-prices.e2e.ts
 * checks the prices themselves against planted offers).
 */
import { expect, test, type Page } from '@playwright/test';

/** Prices from the providers' snapshots are shown (beforeEach made sure the server has polled). */
async function expectPricesOrHonesty(page: Page) {
	await expect(page.getByText(/Current prices from each provider’s latest snapshot/).first()).toBeVisible();
	await expect(page.getByTestId('no-prices')).toHaveCount(0);
}

// Arrange before looking: the shared e2e server polls the loopback fake providers once at start; wait
// for that snapshot so "no provider polled yet" never stands in for a price
// (tests/e2e/estimate-prices.e2e.ts checks the figures themselves against planted offers).
test.beforeEach(async ({ request }) => {
	await expect
		.poll(
			async () => {
				const body = (await (await request.get('/api/providers')).json()) as {
					providers: { provider: string; offers: number }[];
				};
				return body.providers.find((p) => p.provider === 'vastai')?.offers ?? 0;
			},
			{ timeout: 60_000 }
		)
		.toBeGreaterThan(0);
});

test('with JavaScript the estimate updates as you type and the URL reproduces it', async ({ page }) => {
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	await page.goto('/estimate');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('What will it cost');
	// the example question: Mistral-7B QLoRA on one RTX 4090 fits
	await expect(page.getByTestId('fits')).toHaveText('fits');
	// the memory chart (HTML bars): the job's parts, then the GPU's memory
	await expect(page.getByTestId('memory-chart')).toBeVisible();
	const chartWidth = await page.getByTestId('memory-chart').evaluate((c) => c.getBoundingClientRect().width);
	expect(chartWidth).toBeGreaterThan(100);
	expect(await page.getByTestId('memory-chart').locator('[data-part]').count()).toBeGreaterThan(2);

	// full fine-tuning of Mistral-7B needs ~124 GB: no single 24 GB card
	await page.getByLabel('Method').selectOption('full');
	await expect(page.getByTestId('fits')).toHaveText('does not fit');
	await expect(page).toHaveURL(/method=full/);
	// 8 × H100 with automatic sharding fits
	await page.getByLabel('GPU', { exact: true }).selectOption('h100-sxm');
	await page.getByLabel('GPUs', { exact: true }).fill('8');
	await expect(page.getByTestId('fits')).toHaveText('fits');
	await expect(page.getByTestId('assumptions')).toContainText('Data parallel over 8 GPUs');
	const perGpu = await page.getByTestId('per-gpu-gb').textContent();
	await expect(page).toHaveURL(/gpu=h100-sxm/);
	await expect(page).toHaveURL(/gpuCount=8/);

	// a typo names the field by its label and keeps the last good URL
	await page.getByLabel('Sequence length').fill('0');
	await expect(page.getByTestId('estimate-error')).toContainText('Sequence length');
	await page.getByLabel('Sequence length').fill('2048');
	await expect(page.getByTestId('fits')).toHaveText('fits');

	// the URL alone reproduces the estimate
	await page.reload();
	await expect(page.getByLabel('Method')).toHaveValue('full');
	await expect(page.getByTestId('per-gpu-gb')).toHaveText(perGpu!);
	await expectPricesOrHonesty(page);
	expect(errors).toEqual([]);
});

test('without JavaScript the form submits to /estimate and lands on the URL that reproduces the estimate', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/estimate');
	await page.getByLabel('Model', { exact: true }).selectOption('meta-llama/Llama-2-13b-hf');
	await page.getByLabel('Method').selectOption('lora');
	await page.getByLabel('GPU', { exact: true }).selectOption('a100-sxm-80gb');
	await page.getByLabel('Sequence length').fill('4096');
	await page.getByRole('button', { name: 'Estimate' }).click();
	await expect(page).toHaveURL(/\/estimate\?model=meta-llama%2FLlama-2-13b-hf&method=lora/);
	await expect(page).toHaveURL(/seqLen=4096/);
	await expect(page.getByTestId('estimate-summary')).toBeVisible();
	await expect(page.getByTestId('fits')).toHaveText('fits');
	// the chart's table fallback carries the numbers
	await expect(page.getByRole('table').filter({ hasText: 'Total per GPU' })).toBeVisible();
	await expect(page.getByTestId('fit-matrix')).toBeVisible();
	await expectPricesOrHonesty(page);

	// invalid input comes back with the field named, values kept
	await page.getByLabel('Micro-batch per GPU').fill('-3');
	await page.getByRole('button', { name: 'Estimate' }).click();
	await expect(page.getByTestId('estimate-error')).toContainText('Micro-batch per GPU');
	await expect(page.getByLabel('Sequence length')).toHaveValue('4096');
	await context.close();
});

test('a model page shows memory per use and the hardware picker', async ({ page }) => {
	await page.goto('/models');
	await page.getByRole('link', { name: 'mistralai/Mixtral-8x7B-v0.1' }).click();
	await expect(page).toHaveURL(/\/models\/mistralai\/Mixtral-8x7B-v0.1$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('mistralai/Mixtral-8x7B-v0.1');
	await expect(page.getByTestId('model-facts')).toContainText('12.9 B active per token');
	await expect(page.getByTestId('model-facts')).toContainText('apache-2.0');
	const memory = page.getByTestId('model-memory');
	for (const use of [
		'Serving, bf16',
		'Serving, int8',
		'Serving, 4-bit (NF4)',
		'QLoRA fine-tune',
		'LoRA fine-tune',
		'Full fine-tune'
	]) {
		await expect(memory).toContainText(use);
	}
	// 93 GB of bf16 weights: the serving picker starts at 2 GPUs for 80 GB cards
	await expect(page.getByTestId('picker-serve-bf16')).toContainText('2× H100 SXM 80GB');
	await expectPricesOrHonesty(page);
	const rows = page.getByTestId('picker-qlora').locator('tbody tr');
	expect(await rows.count()).toBeGreaterThan(0);
	const first = rows.first();
	// each row has a current price per hour or says there is none
	await expect(first).toContainText(/\$\d|no current offer/);
	await first.getByRole('link', { name: 'estimate' }).click();
	await expect(page).toHaveURL(/\/estimate\?model=mistralai%2FMixtral-8x7B-v0.1&method=qlora/);
	await expect(page.getByTestId('fits')).toHaveText('fits');
});

test('the papers page lists the papers with reproduce-it-today cards, priced or plainly unpriced', async ({
	page
}) => {
	await page.goto('/papers');
	for (const id of [
		'lora',
		'qlora',
		'kbit-scaling',
		'quantization-white-paper',
		'llm-pruner',
		'zephyr',
		'wizardmath',
		'star',
		'dpo',
		'continual-pretraining'
	]) {
		await expect(page.getByTestId(`paper-${id}`)).toBeVisible();
	}
	const card = page.getByTestId('paper-qlora').getByTestId('reproduce-card').first();
	await expect(card).toContainText('Guanaco-65B');
	await expect(card).toContainText('24 GPU-hours');
	const current = card.getByTestId('card-current');
	if (await current.count()) await expect(current).toHaveText(/^\$\d/);
	else await expect(card.getByTestId('card-no-offer')).toContainText('no current offer');
	await expectPricesOrHonesty(page);
});

test('serving: concurrent sequences and tokens per request are fields of their own, and a crowd that does not fit is offered the most that does', async ({
	page
}) => {
	await page.goto('/estimate?model=mistralai%2FMistral-7B-v0.1&method=inference&gpu=rtx-4090');
	await expect(page.locator('form[data-hydrated="yes"]')).toHaveCount(1);
	// training's micro-batch is not shown for serving; the concurrency field is
	await expect(page.getByLabel('Micro-batch per GPU')).toHaveCount(0);
	const concurrency = page.getByLabel('Concurrent sequences');
	await expect(concurrency).toHaveValue('1');
	await page.getByLabel('Prompt tokens per request').fill('1024');
	await page.getByLabel('Output tokens per request').fill('256');
	await concurrency.fill('8');
	await expect(page).toHaveURL(/concurrency=8/);
	await expect(page).not.toHaveURL(/microBatch=/);
	await expect(page).toHaveURL(/promptTokens=1024/);
	// the context of each sequence is now prompt + output, and the context field says it is not used
	await expect(page.getByText('Context length (not used: prompt + output = 1,280)')).toBeVisible();
	await expect(page.getByTestId('fits')).toHaveText('fits');
	const serving = page.getByTestId('serving');
	await expect(serving).toContainText(/up to \d+ concurrent sequences fit/);
	const most = Number((await serving.textContent())!.match(/up to (\d+)/)![1]);
	expect(most).toBeGreaterThan(8);
	// one more than fits: no cost, and the offer is exactly the most that fits
	await concurrency.fill(String(most + 1));
	await expect(page.getByTestId('fits')).toHaveText('does not fit');
	const offer = page.getByTestId('what-fits').getByRole('link', { name: `${most} concurrent sequences` });
	await expect(offer).toBeVisible();
	await offer.click();
	await expect(concurrency).toHaveValue(String(most));
	await expect(page).toHaveURL(new RegExp(`concurrency=${most}(&|$)`));
	await expect(page.getByTestId('fits')).not.toHaveText('does not fit');
	// an older serving link that carried the concurrency as microBatch still opens with it
	await page.goto('/estimate?model=mistralai%2FMistral-7B-v0.1&method=inference&gpu=rtx-4090&microBatch=4');
	await expect(page.getByLabel('Concurrent sequences')).toHaveValue('4');
	await expect(page.getByTestId('serving')).toBeVisible();
});
