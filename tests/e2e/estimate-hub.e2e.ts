/**
 * A Hugging Face model by id and a training stack on /estimate, in a real browser: the page fetches the
 * model's config.json through the server (HF_ENDPOINT = the loopback fake Hub serving recorded files),
 * says so while it does, and shows `tight` where the calibration band crosses the card — here Qwen3-8B
 * QLoRA at 4,096 tokens on a 24 GB RTX 4090 under hf-peft (fp32 upcast of the non-quantized weights),
 * which fits plainly under Unsloth. An unknown id and a gated one fail with their reasons.
 */
import { expect, test } from '@playwright/test';

test('a Hub model id and a framework: tight under hf-peft, fits under unsloth, errors named', async ({
	page
}) => {
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	await page.goto('/estimate?model=mistralai/Mistral-7B-v0.1&method=qlora&gpu=rtx-4090&seqLen=4096');
	await expect(page.getByTestId('fits')).toHaveText('fits');

	await page.getByLabel('Hugging Face model id').fill('Qwen/Qwen3-8B');
	await expect(page.getByLabel('Model', { exact: true })).toHaveValue('hub');
	await expect(page.getByTestId('fits')).toHaveText('tight');
	await expect(page.getByTestId('memory-range')).toContainText('the high end does not fit');
	// tight is not "cannot run": the time and the cost are shown, with the caveat
	await expect(page.getByTestId('hours')).toBeVisible();
	await expect(page.getByTestId('tight-note')).toContainText('may run out of memory');
	await expect(page.getByTestId('what-fits')).toHaveCount(0);
	await expect(page).toHaveURL(/model=Qwen%2FQwen3-8B/);
	// the fit matrix marks the same cell tight
	await expect(page.getByTestId('fit-matrix').locator('td.current')).toHaveAttribute('data-fit', 'tight');

	await page.getByLabel('Training stack').selectOption('unsloth');
	await expect(page.getByTestId('fits')).toHaveText('fits');
	await expect(page.getByTestId('tight-note')).toHaveCount(0);
	await expect(page).toHaveURL(/framework=unsloth/);

	// the URL alone reproduces it (the server fetches the config for the first render)
	await page.reload();
	await expect(page.getByLabel('Hugging Face model id')).toHaveValue('Qwen/Qwen3-8B');
	await expect(page.getByLabel('Training stack')).toHaveValue('unsloth');
	await expect(page.getByTestId('fits')).toHaveText('fits');

	// failures name the model and the reason
	await page.getByLabel('Hugging Face model id').fill('acme/no-such-model');
	await expect(page.getByTestId('estimate-error')).toContainText('"acme/no-such-model": not found');
	await page.getByLabel('Hugging Face model id').fill('gated-org/secret');
	await expect(page.getByTestId('estimate-error')).toContainText('HF_TOKEN');
	expect(errors).toEqual([]);
});

test('without JavaScript a Hub id submits and the server estimates it', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/estimate');
	await page.getByLabel('Model', { exact: true }).selectOption('hub');
	await page.getByLabel('Hugging Face model id').fill('Qwen/Qwen3-8B');
	await page.getByLabel('Sequence length').fill('4096');
	await page.getByRole('button', { name: 'Estimate' }).click();
	await expect(page).toHaveURL(/model=Qwen%2FQwen3-8B/);
	await expect(page.getByTestId('fits')).toHaveText('tight');
	await context.close();
});
