/**
 * The poller, history and alerts together on both engines: real poll cycles against the loopback fake
 * providers (real HTTP), with the after-poll listener registered the way the server and `npm run poll`
 * register it. A poll adds live points next to the archive, rolled up into hour/day points; a watch fires
 * once when a poll crosses its threshold, its webhook reaches a loopback receiver, and it re-arms.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWatch, listFirings, listWatches } from '../../src/lib/server/alerts/watches.ts';
import { importArchive } from '../../src/lib/server/archive.ts';
import { TRACKER_HEADER } from '../../src/lib/server/archive-parse.ts';
import { loadConfig, type Config } from '../../src/lib/server/config.ts';
import { rows } from '../../src/lib/server/db/index.ts';
import { queryHistory } from '../../src/lib/server/history/query.ts';
import { runAfterEveryPoll } from '../../src/lib/server/history-jobs.ts';
import { pollOnce } from '../../src/lib/server/poll/poller.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';
import { recordedPayloads, startFakeProviders, type FakeProviders } from '../helpers/fake-providers.ts';

/** The recorded vast.ai offer (an RTX 4090 box) at another whole-box price. */
function vastAt(dphTotal: number) {
	const payload = structuredClone(recordedPayloads().vastai) as { offers: Record<string, unknown>[] };
	for (const o of payload.offers) {
		o.dph_total = dphTotal;
		if (o.search && typeof o.search === 'object') (o.search as Record<string, unknown>).totalHour = dphTotal;
	}
	return payload;
}

describe.each(ENGINES)('poll → history and alerts on %s', (engine) => {
	let database: TestDatabase;
	let fake: FakeProviders;
	let config: Config;
	let receiver: Server;
	let hookUrl: string;
	const received: unknown[] = [];
	let unsubscribe: () => void;
	let clock = Date.parse('2026-11-27T09:00:00Z');
	const poll = () =>
		pollOnce(database, config, {
			http: { baseBackoffMs: 10, minIntervalMs: 0 },
			now: () => new Date((clock += 1000))
		});

	beforeAll(async () => {
		database = await createTestDatabase(engine);
		fake = await startFakeProviders();
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
		config = loadConfig({
			...fake.env(),
			PROVIDERS: 'vastai,runpod',
			ALERT_ALLOW_PRIVATE: '1',
			PROVIDER_TIMEOUT_MS: '2000'
		});
		unsubscribe = runAfterEveryPoll(() => {});
		// The archive has a day of RTX 4090 prices for vast.ai.
		await importArchive(database.db, {
			fileName: 'a.csv',
			content: [
				TRACKER_HEADER.join(','),
				'2026-07-20,vast.ai,RTX_4090,1,US,on_demand,0.3,0.35,0.5,12,https://console.vast.ai/api/v0/bundles/,2026-07-20T20:30:09+00:00'
			].join('\n')
		});
	});
	afterAll(async () => {
		unsubscribe?.();
		await fake?.close();
		await new Promise<void>((ok) => receiver?.close(() => ok()));
		await database?.destroy();
	});

	it('adds live points next to the archive, rolled up after the poll', async () => {
		const cycle = await poll();
		expect(cycle.results.find((r) => r.provider === 'vastai')?.status).toBe('ok');
		const hist = await queryHistory(
			database.db,
			{
				gpu: 'rtx-4090',
				provider: 'vastai',
				pricing: 'on_demand',
				from: new Date('2026-07-01T00:00:00Z'),
				to: new Date(clock + 3600_000)
			},
			new Date(clock)
		);
		expect(hist.series.map((s) => s.source).sort()).toEqual(['archive', 'live']);
		expect(hist.series.find((s) => s.source === 'archive')!.points).toEqual([
			{ t: '2026-07-20T00:00:00.000Z', min: 0.3, median: 0.35, max: 0.5, n: 12 }
		]);
		const live = hist.series.find((s) => s.source === 'live')!;
		expect(live.points).toHaveLength(1);
		expect(live.points[0]!.min).toBeGreaterThan(0);
		// The listener rolled the poll point up into hour and day points.
		const [res] = await rows<{ hours: number; days: number }>(
			database.db,
			sql`select count(*) filter (where resolution = 'hour')::int as hours, count(*) filter (where resolution = 'day')::int as days
			    from price_history where gpu = 'rtx-4090' and provider = 'vastai' and source = 'live'`
		);
		expect(res).toMatchObject({ hours: expect.any(Number), days: expect.any(Number) });
		expect(Number(res!.hours)).toBeGreaterThan(0);
		expect(Number(res!.days)).toBeGreaterThan(0);
	});

	it('fires a watch once when a poll crosses its threshold, delivers the webhook, and re-arms above it', async () => {
		const offerPrice = async () => {
			const w = (await listWatches(database.db))[0]!;
			return w.lastPriceUsd;
		};
		fake.set('vastai', { payload: vastAt(0.5) });
		await poll();
		const watch = await createWatch(
			database.db,
			{
				gpu: 'rtx-4090',
				pricing: 'on_demand',
				provider: 'vastai',
				minGpuCount: 1,
				thresholdUsd: 0.3,
				webhookUrl: hookUrl
			},
			{ allowPrivate: true }
		);
		await poll(); // $0.50 per GPU-hour: above the threshold
		expect(await offerPrice()).toBe(0.5);
		expect(await listFirings(database.db, 10, watch.id)).toHaveLength(0);

		fake.set('vastai', { payload: vastAt(0.25) });
		await poll(); // crosses below
		await poll(); // still below: no second firing
		const firings = await listFirings(database.db, 10, watch.id);
		expect(firings).toHaveLength(1);
		expect(firings[0]).toMatchObject({
			pricePerGpuHourUsd: 0.25,
			provider: 'vastai',
			webhookStatus: 'delivered',
			webhookAttempts: 1
		});
		expect(received).toHaveLength(1);
		expect(received[0]).toMatchObject({
			type: 'gpu-price-alert',
			watch: { id: watch.id },
			firing: { pricePerGpuHourUsd: 0.25 }
		});

		fake.set('vastai', { payload: vastAt(0.45) });
		await poll();
		expect((await listWatches(database.db))[0]).toMatchObject({ armed: true, lastPriceUsd: 0.45 });
		fake.set('vastai', { payload: vastAt(0.2) });
		await poll();
		expect(await listFirings(database.db, 10, watch.id)).toHaveLength(2);
		expect(received).toHaveLength(2);
	});
});
