/**
 * Two people on one dashboard: the first creates a watch with a webhook (its URL is the receiver's
 * credential); a second browser context — with and without JavaScript — sees only its scheme and host,
 * has no way to delete it (no button, a guessed manage link is refused, the API wants the token); the
 * first sees it in full and deletes it through the manage link it was shown once.
 */
import { expect, test, type Browser } from '@playwright/test';

// An IP literal of a public address: accepted without a DNS lookup (the test server refuses private
// addresses), and never called — the threshold is below any price.
const HOOK = 'https://93.184.215.14/hooks/T000/SECRETPATH?token=SECRETQUERY';

async function secondUser(browser: Browser, javaScriptEnabled: boolean, baseURL: string) {
	const context = await browser.newContext({ javaScriptEnabled, baseURL });
	return { context, page: await context.newPage() };
}

test('a second browser cannot see the webhook URL nor delete the watch; its manage link can', async ({
	browser,
	baseURL
}) => {
	const first = await browser.newContext({ baseURL });
	const page = await first.newPage();
	await page.goto('/alerts');
	await page.locator('select[name=gpu]').selectOption('any-a100');
	await page.getByLabel('Threshold, USD per GPU-hour').fill('0.001');
	await page.getByLabel('Webhook URL (optional)').fill(HOOK);
	await page.getByLabel('Label (optional)').fill('ownership e2e');
	await page.getByRole('button', { name: 'Add watch' }).click();
	await expect(page.getByRole('status')).toContainText('shown once');
	const link = page.getByTestId('manage-link');
	const managePath = (await link.getAttribute('href'))!;
	expect(managePath).toMatch(/^\/alerts\/manage\/[A-Za-z0-9_-]{43}$/);
	const row = page.getByRole('row', { name: /ownership e2e/ });
	await expect(row).toContainText('Any A100');
	await expect(row.getByTestId('webhook')).toHaveText('https://93.184.215.14/…');
	const id = Number(await row.getAttribute('data-watch-id'));

	for (const js of [true, false]) {
		const other = await secondUser(browser, js, baseURL!);
		await other.page.goto('/alerts');
		const theirs = other.page.locator(`tr[data-watch-id="${id}"]`);
		await expect(theirs).toContainText('https://93.184.215.14/…');
		expect(await other.page.content()).not.toMatch(/SECRETPATH|SECRETQUERY/);
		await expect(theirs.getByRole('button')).toHaveCount(0);
		// A manage link with one character changed: refused, the watch stays.
		const last = managePath.at(-1) === 'A' ? 'B' : 'A';
		const guessed = await other.page.goto(managePath.slice(0, -1) + last);
		expect(guessed?.status()).toBe(403);
		await expect(other.page.getByText('does not belong to any watch')).toBeVisible();
		expect(await other.page.content()).not.toMatch(/SECRETPATH/);
		// The API: no credential 401, no webhook URL in the answer for ?id=.
		const del = await other.context.request.delete(`/api/alerts?id=${id}`);
		expect(del.status()).toBe(401);
		const shown = await other.context.request.get(`/api/alerts?id=${id}`);
		expect(await shown.text()).not.toMatch(/SECRETPATH|SECRETQUERY/);
		await other.context.close();
	}

	// The owner, through the manage link: the URL in full, pause, then delete.
	await page.goto(managePath);
	await expect(page.getByTestId('webhook-url')).toHaveText(HOOK);
	await page.getByRole('button', { name: 'Pause' }).click();
	await expect(page.getByTestId('state')).toHaveText('paused');
	await page.getByRole('button', { name: `Delete watch #${id}` }).click();
	await expect(page).toHaveURL(new RegExp(`/alerts\\?deleted=${id}$`));
	await expect(page.getByRole('status')).toHaveText(`Watch #${id} deleted.`);
	await expect(page.locator(`tr[data-watch-id="${id}"]`)).toHaveCount(0);
	expect((await page.goto(managePath))?.status()).toBe(403);
	await first.close();
});

test('the alerts page says when prices are checked and shows the cheapest price beside a watch', async ({
	page
}) => {
	await page.goto('/alerts');
	await expect(page.getByTestId('check-schedule')).toContainText(/checked every 10 minutes; next check at/);
	await page.locator('select[name=gpu]').selectOption('rtx-4090');
	await page.getByLabel('Threshold, USD per GPU-hour').fill('0.001');
	await page.getByLabel('Label (optional)').fill('cheapest e2e');
	await page.getByRole('button', { name: 'Add watch' }).click();
	const row = page.getByRole('row', { name: /cheapest e2e/ });
	// Before any check of this watch, the price the next check will read (the fake vast.ai RTX 4090).
	await expect(row.getByTestId('cheapest-now')).toContainText(/\$\d/);
	await expect(row).toContainText('not yet');
});
