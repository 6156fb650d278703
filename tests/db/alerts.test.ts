/**
 * Alerts on both engines: a watch fires once when the cheapest matching offer crosses to or below its
 * threshold, re-arms above it, matches by provider/region/GPU count on the newest snapshot's available
 * offers only; webhooks reach a loopback receiver with bounded retries, private addresses are refused,
 * and firings appear in the Atom feed.
 */
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '#adapters/types.ts';
import { atomFeed } from '../../src/lib/server/alerts/feed.ts';
import {
	createWatch,
	deleteWatch,
	listFirings,
	listWatches,
	WatchError
} from '../../src/lib/server/alerts/watches.ts';
import { evaluateAlerts } from '../../src/lib/server/alerts/evaluate.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';

import { poll, receiver } from '../helpers/alert-fixtures.ts';

const FAST = { attempts: 3, backoffMs: [20, 20], timeoutMs: 2000 };

describe.each(ENGINES)('alerts on %s', (engine) => {
	let database: TestDatabase;
	let t = Date.parse('2026-11-27T10:00:00Z');
	const tick = () => new Date((t += 10 * 60_000));
	beforeAll(async () => {
		database = await createTestDatabase(engine);
	});
	afterAll(async () => {
		await database?.destroy();
	});
	afterEach(async () => {
		await database.db.execute(sql`delete from alert_watches`);
		await database.db.execute(sql`delete from offers`);
		await database.db.execute(sql`delete from snapshots`);
	});

	it('fires once below the threshold, not again while below, and re-arms above it', async () => {
		const db = database.db;
		const w = await createWatch(
			db,
			{ gpu: 'h100-sxm', pricing: 'on_demand', minGpuCount: 1, thresholdUsd: 2 },
			{ allowPrivate: false }
		);
		await poll(db, 'vastai', tick(), [{ price: 2.5 }, { price: 2.2 }]);
		let res = await evaluateAlerts(db, new Date(t), { allowPrivate: false, scope: PROVIDERS });
		expect(res.fired).toHaveLength(0);
		expect((await listWatches(db))[0]).toMatchObject({ armed: true, lastPriceUsd: 2.2 });

		await poll(db, 'vastai', tick(), [{ price: 2.5 }, { price: 1.95 }]);
		res = await evaluateAlerts(db, new Date(t), { allowPrivate: false, scope: PROVIDERS });
		expect(res.fired).toHaveLength(1);
		expect(res.fired[0]).toMatchObject({
			watchId: w.id,
			pricePerGpuHourUsd: 1.95,
			provider: 'vastai',
			region: 'Texas, US',
			webhookStatus: 'none'
		});

		for (const price of [1.9, 1.8, 2]) {
			await poll(db, 'vastai', tick(), [{ price }]);
			res = await evaluateAlerts(db, new Date(t), { allowPrivate: false, scope: PROVIDERS });
			expect(res.fired, `price ${price}`).toHaveLength(0);
		}
		expect((await listWatches(db))[0]).toMatchObject({ armed: false, lastPriceUsd: 2 });

		await poll(db, 'vastai', tick(), [{ price: 2.01 }]);
		res = await evaluateAlerts(db, new Date(t), { allowPrivate: false, scope: PROVIDERS });
		expect(res.rearmed).toEqual([w.id]);
		await poll(db, 'vastai', tick(), [{ price: 1.5 }]);
		res = await evaluateAlerts(db, new Date(t), { allowPrivate: false, scope: PROVIDERS });
		expect(res.fired).toHaveLength(1);
		expect((await listFirings(db, 10, w.id)).map((f) => f.pricePerGpuHourUsd)).toEqual([1.5, 1.95]);
	});

	it('matches provider, region, GPU count and pricing on the newest snapshot, available offers only', async () => {
		const db = database.db;
		await poll(db, 'vastai', tick(), [
			{ price: 0.5, available: false },
			{ price: 0.6, pricing: 'spot' },
			{ price: 0.7, gpu: 'h100-pcie' },
			{ price: 0.8, region: 'Ontario, CA' },
			{ price: 0.9, gpuCount: 8 },
			{ price: 1.4 }
		]);
		await poll(db, 'runpod', tick(), [{ price: 1.2, region: 'US-TX-3' }]);
		const mk = (over: object) =>
			createWatch(
				db,
				{ gpu: 'h100-sxm', pricing: 'on_demand', minGpuCount: 1, thresholdUsd: 100, ...over },
				{ allowPrivate: false }
			);
		const any = await mk({});
		const us = await mk({ region: 'us' });
		const ca = await mk({ region: 'CA' });
		const eight = await mk({ minGpuCount: 4 });
		const runpod = await mk({ provider: 'runpod' });
		const dc = await mk({ region: 'US-TX-3' });
		const spot = await mk({ pricing: 'spot' });
		const none = await mk({ provider: 'lambda' });
		const res = await evaluateAlerts(db, new Date(t), { allowPrivate: false, scope: PROVIDERS });
		const price = (id: number) => res.fired.find((f) => f.watchId === id)?.pricePerGpuHourUsd;
		expect(price(any.id)).toBe(0.8);
		expect(price(us.id)).toBe(0.9);
		expect(price(ca.id)).toBe(0.8);
		expect(price(eight.id)).toBe(0.9);
		expect(price(runpod.id)).toBe(1.2);
		expect(price(dc.id)).toBe(1.2);
		expect(price(spot.id)).toBe(0.6);
		expect(res.noOffer).toEqual([none.id]);
		// A newer vast.ai snapshot without the cheap offers: the old snapshot's prices no longer count.
		await poll(db, 'vastai', tick(), [{ price: 3 }]);
		await database.db.execute(sql`update alert_watches set armed = true`);
		const later = await evaluateAlerts(db, new Date(t), { allowPrivate: false, scope: PROVIDERS });
		expect(later.fired.find((f) => f.watchId === any.id)?.pricePerGpuHourUsd).toBe(1.2);
		expect(await deleteWatch(db, any.id)).toBe(true);
		expect(await deleteWatch(db, any.id)).toBe(false);
	});

	it('POSTs the firing to a loopback webhook, retrying a failing receiver a bounded number of times', async () => {
		const db = database.db;
		const flaky = receiver([500, 503]);
		const dead = receiver([500, 500, 500, 500]);
		const port = await flaky.start();
		const deadPort = await dead.start();
		try {
			const w = await createWatch(
				db,
				{
					gpu: 'h100-sxm',
					pricing: 'on_demand',
					minGpuCount: 1,
					thresholdUsd: 2,
					webhookUrl: `http://127.0.0.1:${port}/hook`,
					label: 'cheap H100'
				},
				{ allowPrivate: true }
			);
			const w2 = await createWatch(
				db,
				{
					gpu: 'h100-sxm',
					pricing: 'on_demand',
					minGpuCount: 1,
					thresholdUsd: 2,
					webhookUrl: `http://localhost:${deadPort}/`
				},
				{ allowPrivate: true }
			);
			await poll(db, 'vastai', tick(), [{ price: 1.75 }]);
			const res = await evaluateAlerts(db, new Date(t), { allowPrivate: true, scope: PROVIDERS, ...FAST });
			expect(res.fired).toHaveLength(2);
			expect(flaky.received).toHaveLength(3);
			expect(flaky.received[2]!.headers['content-type']).toBe('application/json');
			expect(flaky.received[2]!.body).toMatchObject({
				type: 'gpu-price-alert',
				watch: {
					id: w.id,
					gpu: 'h100-sxm',
					gpuName: 'H100 SXM 80GB',
					thresholdUsdPerGpuHour: 2,
					label: 'cheap H100'
				},
				firing: { pricePerGpuHourUsd: 1.75, provider: 'vastai', offer: { gpuCount: 1, region: 'Texas, US' } }
			});
			expect(dead.received).toHaveLength(3);
			const firings = await listFirings(db, 10);
			expect(firings.find((f) => f.watchId === w.id)).toMatchObject({
				webhookStatus: 'delivered',
				webhookAttempts: 3,
				webhookError: null
			});
			expect(firings.find((f) => f.watchId === w2.id)).toMatchObject({
				webhookStatus: 'failed',
				webhookAttempts: 3,
				// The host only, never the URL (it is the receiver's credential).
				webhookError: expect.stringMatching(/^localhost:\d+: HTTP 500$/)
			});
			// Still below: no second POST.
			await poll(db, 'vastai', tick(), [{ price: 1.7 }]);
			await evaluateAlerts(db, new Date(t), { allowPrivate: true, scope: PROVIDERS, ...FAST });
			expect(flaky.received).toHaveLength(3);
		} finally {
			await flaky.close();
			await dead.close();
		}
	});

	it('refuses loopback and private webhook URLs unless ALERT_ALLOW_PRIVATE, also at delivery time', async () => {
		const db = database.db;
		const r = receiver();
		const port = await r.start();
		try {
			for (const url of [
				`http://127.0.0.1:${port}/`,
				`http://localhost:${port}/`,
				'http://10.1.2.3/',
				'http://169.254.169.254/'
			]) {
				const err = await createWatch(
					db,
					{ gpu: 'h100-sxm', pricing: 'on_demand', minGpuCount: 1, thresholdUsd: 2, webhookUrl: url },
					{ allowPrivate: false }
				).catch((e) => e);
				expect(err, url).toBeInstanceOf(WatchError);
				expect(err.field).toBe('webhookUrl');
			}
			// Saved while private addresses were allowed, delivered after they no longer are: refused, nothing sent.
			await createWatch(
				db,
				{
					gpu: 'h100-sxm',
					pricing: 'on_demand',
					minGpuCount: 1,
					thresholdUsd: 2,
					webhookUrl: `http://127.0.0.1:${port}/`
				},
				{ allowPrivate: true }
			);
			await createWatch(
				db,
				{
					gpu: 'h100-sxm',
					pricing: 'on_demand',
					minGpuCount: 1,
					thresholdUsd: 2,
					webhookUrl: `http://localhost:${port}/`
				},
				{ allowPrivate: true }
			);
			await poll(db, 'vastai', tick(), [{ price: 1 }]);
			const res = await evaluateAlerts(db, new Date(t), { allowPrivate: false, scope: PROVIDERS, ...FAST });
			expect(res.fired.map((f) => f.webhookStatus)).toEqual(['failed', 'failed']);
			// The IP literal is refused before connecting; the name by the connection's guarded DNS lookup.
			expect(res.fired.map((f) => f.webhookError).sort()).toEqual([
				`127.0.0.1:${port}: webhook URL points to a private address`,
				`localhost:${port}: EPRIVATEADDR: localhost resolves only to private addresses`
			]);
			expect(r.received).toHaveLength(0);
		} finally {
			await r.close();
		}
	});

	it('publishes firings in the Atom feed, escaped', async () => {
		const db = database.db;
		await createWatch(
			db,
			{ gpu: 'h100-sxm', pricing: 'spot', minGpuCount: 1, thresholdUsd: 3, label: '<b>mine</b> & yours' },
			{ allowPrivate: false }
		);
		await poll(db, 'vastai', tick(), [{ price: 0.95, pricing: 'spot' }]);
		await evaluateAlerts(db, new Date(t), { allowPrivate: false, scope: PROVIDERS });
		const xml = await atomFeed(db, 'http://127.0.0.1:3000');
		expect(xml).toMatch(
			/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/
		);
		expect(xml).toContain('<title>H100 SXM 80GB spot at $0.95/GPU-h on vast.ai (threshold $3.00)</title>');
		expect(xml).toContain('&lt;b&gt;mine&lt;/b&gt; &amp; yours');
		expect(xml).not.toContain('<b>mine');
		expect(xml).toContain('<link rel="alternate" href="http://127.0.0.1:3000/gpus/h100-sxm"/>');
	});
});
