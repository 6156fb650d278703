/**
 * The estimator and the papers cards show the price itself, from data this file arranges: its own server
 * polls its own loopback fake vast.ai, which answers with two offers at prices chosen here. The test waits
 * for that poll before it looks, so "no provider polled yet" can never stand in for a price.
 * Expected figures are worked out by hand below (price × hours), not by the app's code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { recordedPayloads, startFakeProviders, type FakeProviders } from '../helpers/fake-providers.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/** The recorded vast.ai offer (1 GPU) as `gpuName` at `usdPerHour`, every price field agreeing. */
function vastOffer(id: number, gpuName: string, gpuRamMb: number, usdPerHour: number) {
	const [recorded] = (recordedPayloads().vastai as { offers: Record<string, unknown>[] }).offers;
	return {
		...structuredClone(recorded),
		id,
		gpu_name: gpuName,
		gpu_ram: gpuRamMb,
		num_gpus: 1,
		dph_total: usdPerHour,
		min_bid: usdPerHour / 2,
		search: {
			totalHour: usdPerHour,
			discountedTotalPerHour: usdPerHour,
			gpuCostPerHour: usdPerHour,
			diskHour: 0,
			discountTotalHour: 0
		}
	};
}

let fake: FakeProviders;
let server: RunningServer;
let dataDir: string;

test.beforeAll(async () => {
	test.setTimeout(180_000);
	fake = await startFakeProviders();
	fake.set('vastai', {
		payload: {
			offers: [vastOffer(901, 'RTX 4090', 24_564, 0.5), vastOffer(902, 'RTX A6000', 49_140, 0.4)]
		}
	});
	dataDir = mkdtempSync(join(tmpdir(), 'gpu-dash-e2e-prices-'));
	server = await startServer({
		DATA_DIR: dataDir,
		...fake.env(),
		PROVIDERS: 'vastai',
		// one poll at start, the next not within this test
		POLL_INTERVAL_MINUTES: '60'
	});
});

test.afterAll(async () => {
	await server?.stop();
	await fake?.close();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test.beforeEach(async ({ request }) => {
	// Arrange, then look: the server's poll at start has stored the planted offers.
	await expect
		.poll(
			async () => {
				const body = (await (await request.get(`${server.url}/api/providers`)).json()) as {
					providers: { provider: string; offers: number }[];
				};
				return body.providers.find((p) => p.provider === 'vastai')?.offers ?? 0;
			},
			{ timeout: 60_000 }
		)
		.toBeGreaterThan(0);
});

test('the estimate prices the job at the planted offer: $0.500 per GPU-hour on one RTX 4090', async ({
	page
}) => {
	await page.goto(
		`${server.url}/estimate?model=mistralai/Mistral-7B-v0.1&method=qlora&gpu=rtx-4090&gpuCount=1`
	);
	await expect(page.getByTestId('fits')).toHaveText('fits');
	const row = page.getByTestId('cost-table').locator('tbody tr', { hasText: 'on-demand' });
	await expect(row).toHaveCount(1);
	await expect(row).toContainText('vast.ai');
	const cells = row.getByRole('cell');
	await expect(cells.nth(3)).toHaveText('$0.500'); // per GPU-hour: $0.50 / 1 GPU
	await expect(cells.nth(4)).toHaveText('$0.500'); // the job's hour: 1 GPU
	// The total is the hours the page states × $0.50, worked out here from the shown hours.
	const hoursText = (await page.getByTestId('hours').textContent())!;
	const hours = hoursFrom(hoursText);
	const total = Number((await cells.nth(5).textContent())!.replace(/[$,]/g, ''));
	expect(total).toBeGreaterThan(0);
	// the shown hours are rounded: allow that rounding, nothing more
	expect(Math.abs(total - hours * 0.5)).toBeLessThanOrEqual(0.5 * hoursRounding(hoursText) + 0.01);
	await expect(page.getByTestId('cheapest')).toHaveText((await cells.nth(5).textContent())!);
	await expect(page.getByTestId('no-prices')).toHaveCount(0);
});

test('the papers card prices Guanaco-65B (24 GPU-hours on a 48 GB GPU) at the planted RTX A6000: $9.60', async ({
	page
}) => {
	await page.goto(`${server.url}/papers`);
	const card = page.getByTestId('paper-qlora').getByTestId('reproduce-card').first();
	await expect(card).toContainText('Guanaco-65B');
	// 24 h × 1 GPU × $0.40 = $9.60 (the RTX 4090 is not a 48 GB card, so it is not a candidate)
	await expect(card.getByTestId('card-current')).toHaveText('$9.60');
	await expect(card).toContainText('$0.400/GPU-h, RTX A6000');
	await expect(card.getByTestId('card-no-offer')).toHaveCount(0);
});

/** "3.2 h", "45 min", "1.5 days" → hours. */
function hoursFrom(text: string): number {
	const m = /([\d.,]+)\s*(min|h|days?)/.exec(text);
	if (!m) throw new Error(`no duration in "${text}"`);
	const n = Number(m[1]!.replace(/,/g, ''));
	return m[2] === 'min' ? n / 60 : m[2]!.startsWith('day') ? n * 24 : n;
}

/** Half the last shown digit of a duration, in hours. */
function hoursRounding(text: string): number {
	const m = /([\d.,]+)\s*(min|h|days?)/.exec(text)!;
	const decimals = m[1]!.split('.')[1]?.length ?? 0;
	const unit = m[2] === 'min' ? 1 / 60 : m[2]!.startsWith('day') ? 24 : 1;
	return 0.5 * 10 ** -decimals * unit;
}
