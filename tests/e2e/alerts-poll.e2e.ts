/**
 * An alert created in the /alerts form fires after a poll that crosses its threshold — once — and its
 * webhook reaches a loopback receiver. Its own server (polling every minute, ALERT_ALLOW_PRIVATE=1 for the
 * loopback receiver) against in-test fake providers, so the shared e2e server's data stays as it is.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { recordedPayloads, startFakeProviders, type FakeProviders } from '../helpers/fake-providers.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/** The recorded vast.ai offer (one RTX 4090) at another price per hour. */
function vastAt(dphTotal: number) {
	const payload = structuredClone(recordedPayloads().vastai) as { offers: Record<string, unknown>[] };
	for (const o of payload.offers) {
		o.dph_total = dphTotal;
		if (o.search && typeof o.search === 'object') (o.search as Record<string, unknown>).totalHour = dphTotal;
	}
	return payload;
}

let fake: FakeProviders;
let server: RunningServer;
let receiver: Server;
let hookUrl: string;
let dataDir: string;
const received: unknown[] = [];

test.beforeAll(async () => {
	test.setTimeout(180_000);
	fake = await startFakeProviders();
	fake.set('vastai', { payload: vastAt(0.5) });
	receiver = createServer((req, res) => {
		let body = '';
		req.on('data', (d) => (body += d));
		req.on('end', () => {
			received.push(JSON.parse(body));
			res.end('ok');
		});
	});
	await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
	hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
	dataDir = mkdtempSync(join(tmpdir(), 'gpu-dash-e2e-alerts-'));
	server = await startServer({
		DATA_DIR: dataDir,
		...fake.env(),
		PROVIDERS: 'vastai',
		POLL_INTERVAL_MINUTES: '1',
		ALERT_ALLOW_PRIVATE: '1'
	});
});

test.afterAll(async () => {
	await server?.stop();
	await fake?.close();
	await new Promise<void>((ok) => receiver?.close(() => ok()));
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function vastObservedAt(request: import('@playwright/test').APIRequestContext): Promise<string | null> {
	const body = (await (await request.get(`${server.url}/api/providers`)).json()) as {
		providers: { provider: string; observedAt: string | null }[];
	};
	return body.providers.find((p) => p.provider === 'vastai')?.observedAt ?? null;
}

test('a watch made in the form fires once after a poll crosses its threshold, and calls its webhook', async ({
	page,
	request
}) => {
	test.setTimeout(240_000);
	// The poll at start has stored vast.ai's RTX 4090 at $0.50 per GPU-hour.
	await expect.poll(() => vastObservedAt(request), { timeout: 30_000 }).not.toBeNull();

	await page.goto(`${server.url}/alerts`);
	await page.locator('select[name=gpu]').selectOption('rtx-4090');
	await page.locator('select[name=provider]').selectOption('vastai');
	await page.getByLabel('Threshold, USD per GPU-hour').fill('0.3');
	await page.getByLabel('Webhook URL (optional)').fill(hookUrl);
	await page.getByRole('button', { name: 'Add watch' }).click();
	await expect(page.getByRole('status')).toContainText(/Watch #\d+ saved\./);
	await expect(page.locator('tr[data-watch-id]')).toContainText('armed');

	// The market drops to $0.25: the next poll (at the next minute) crosses the threshold.
	fake.set('vastai', { payload: vastAt(0.25) });
	const firings = async () =>
		(
			(await (await request.get(`${server.url}/api/alerts`)).json()) as {
				firings: { webhookStatus: string }[];
			}
		).firings;
	await expect.poll(async () => (await firings()).length, { timeout: 90_000, intervals: [1000] }).toBe(1);
	await expect.poll(async () => (await firings())[0]?.webhookStatus, { timeout: 20_000 }).toBe('delivered');
	expect(received).toHaveLength(1);
	expect(received[0]).toMatchObject({
		type: 'gpu-price-alert',
		firing: { pricePerGpuHourUsd: 0.25, provider: 'vastai' }
	});

	await page.reload();
	const row = page.locator('tr[data-firing-id]');
	await expect(row).toHaveCount(1);
	await expect(row).toContainText('$0.25');
	await expect(row).toContainText('delivered');
	await expect(page.locator('tr[data-watch-id]')).toContainText('fired');

	// One more poll, still below the threshold: no second firing, no second POST.
	const firedPoll = await vastObservedAt(request);
	await expect
		.poll(() => vastObservedAt(request), { timeout: 90_000, intervals: [1000] })
		.not.toBe(firedPoll);
	const evaluatedAfter = async () => {
		const body = (await (await request.get(`${server.url}/api/alerts`)).json()) as {
			watches: { lastEvaluatedAt: string | null }[];
		};
		return body.watches[0]?.lastEvaluatedAt ?? '';
	};
	const secondPoll = (await vastObservedAt(request))!;
	await expect.poll(async () => (await evaluatedAfter()) >= secondPoll, { timeout: 20_000 }).toBe(true);
	expect(await firings()).toHaveLength(1);
	expect(received).toHaveLength(1);
});
