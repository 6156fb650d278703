/** Alert test fixtures: what a poll leaves in the database, and a loopback webhook receiver. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../src/lib/server/db/index.ts';

export interface TestOffer {
	gpu?: string;
	price: number;
	pricing?: 'on_demand' | 'spot';
	gpuCount?: number;
	region?: string;
	available?: boolean;
}

/** What a poll leaves behind: a new snapshot for the provider, its offers, the older offers deleted. */
export async function poll(db: Db, provider: string, observedAt: Date, offers: TestOffer[]): Promise<number> {
	const [snap] = await rows<{ id: number }>(
		db,
		sql`insert into snapshots (provider, observed_at, offer_count, available_count)
		    values (${provider}, ${observedAt.toISOString()}::timestamptz, ${offers.length}, ${offers.filter((o) => o.available !== false).length})
		    returning id`
	);
	const id = Number(snap!.id);
	for (const o of offers) {
		const count = o.gpuCount ?? 1;
		await db.execute(sql`
			insert into offers (snapshot_id, provider, gpu, gpu_name, gpu_count, vram_gb, pricing, cloud, region,
			                    price_per_hour_usd, price_per_gpu_hour_usd, available, observed_at)
			values (${id}, ${provider}, ${o.gpu ?? 'h100-sxm'}, 'H100 SXM', ${count}, 80, ${o.pricing ?? 'on_demand'}, null,
			        ${o.region ?? 'Texas, US'}, ${o.price * count}, ${o.price}, ${o.available ?? true}, ${observedAt.toISOString()}::timestamptz)`);
	}
	await db.execute(sql`delete from offers where provider = ${provider} and snapshot_id <> ${id}`);
	return id;
}

/** A loopback webhook receiver answering with the scripted statuses, then 200. */
export function receiver(statuses: number[] = []) {
	const received: { body: unknown; headers: IncomingMessage['headers'] }[] = [];
	const server: Server = createServer((req, res) => {
		let body = '';
		req.on('data', (d) => (body += d));
		req.on('end', () => {
			received.push({ body: JSON.parse(body), headers: req.headers });
			res.statusCode = statuses.shift() ?? 200;
			res.end('ok');
		});
	});
	return {
		received,
		async start() {
			await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
			return (server.address() as AddressInfo).port;
		},
		close: () => new Promise<void>((ok) => server.close(() => ok()))
	};
}
