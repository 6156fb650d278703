import { expect, test } from '@playwright/test';

test('the dashboard opens in a real browser, served from the database', async ({ page }) => {
	const response = await page.goto('/');
	expect(response?.status()).toBe(200);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('GPU rental prices');
	await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
});
