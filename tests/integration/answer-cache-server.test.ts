/**
 * Kept answers over HTTP against the real server (src/lib/server/cache): ETag and 304, Cache-Control for
 * proxies on shared pages and APIs, no-store on per-user ones, gzip/br bodies that decode to the identity
 * body, and — with two instances on one Postgres — an answer kept by the server changes as soon as
 * another instance (this test process, its own connection) stores a snapshot.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ADAPTERS } from '#adapters/index.ts';
import { PROVIDERS, type ProviderId } from '#adapters/types.ts';
import { openDatabase, type Database } from '../../src/lib/server/db/index.ts';
import { storeSnapshot } from '../../src/lib/server/poll/snapshots.ts';
import { DEFAULT_TRUST } from '../../src/lib/trust.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';
import { recordedPayloads } from '../helpers/fake-providers.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const TRUST = { settings: DEFAULT_TRUST, scope: PROVIDERS };

function offersOf(provider: ProviderId, at: Date, factor = 1) {
	return ADAPTERS[provider].parse(recordedPayloads()[provider], at).offers.map((o) => ({
		...o,
		pricePerHourUsd: o.pricePerHourUsd * factor,
		pricePerGpuHourUsd: o.pricePerGpuHourUsd * factor
	}));
}

interface Raw {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
}

/** GET without any automatic decompression (fetch would undo the encoding under test). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<Raw> {
	return new Promise((ok, fail) => {
		const req = request(url, { headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () =>
				ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
			);
			res.on('error', fail);
		});
		req.on('error', fail);
		req.end();
	});
}

describe.each(ENGINES)('kept answers over HTTP on %s', (engine) => {
	let server: RunningServer;
	let pg: TestDatabase | undefined;
	let dataDir: string | undefined;
	let clock = Date.now() - 3600_000;
	const tick = () => new Date((clock += 60_000));

	beforeAll(async () => {
		let env: Record<string, string>;
		let database: Database;
		if (engine === 'postgres') {
			pg = await createTestDatabase('postgres');
			database = pg;
			env = { DATABASE_URL: pg.url! };
		} else {
			dataDir = mkdtempSync(join(tmpdir(), 'gpu-dash-answers-'));
			database = await openDatabase({
				dataDir,
				loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))])
			});
			env = { DATA_DIR: dataDir };
		}
		for (const p of ['vastai', 'runpod', 'lambda'] as const) {
			await storeSnapshot(database.db, p, null, tick(), offersOf(p, new Date(clock)), TRUST);
		}
		if (engine === 'pglite') await database.close();
		server = await startServer(env);
	});
	afterAll(async () => {
		await server?.stop('SIGKILL');
		await pg?.destroy();
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	});

	it('answers 304 to a matching If-None-Match, with the Cache-Control a proxy may keep', async () => {
		const paths = ['/', '/trends', '/gpus/rtx-4090', '/api/gpus', '/api/offers?gpu=rtx-4090'];
		// The first visit of /trends on a database without stored trends stores them, which is a data
		// change of its own (stored-trends.ts): the answer after it is the kept one.
		await rawGet(server.url + '/trends');
		for (const path of paths) {
			const first = await rawGet(server.url + path);
			expect(first.status, path).toBe(200);
			const etag = String(first.headers.etag);
			expect(etag, path).toMatch(/^W\/"[\w-]+"$/);
			expect(first.headers['cache-control'], path).toMatch(
				/public, max-age=0, s-maxage=\d+, stale-while-revalidate=\d+/
			);
			const again = await rawGet(server.url + path, { 'if-none-match': etag });
			expect(again.status, path).toBe(304);
			expect(again.body.length, path).toBe(0);
			const other = await rawGet(server.url + path, { 'if-none-match': '"not-this-one"' });
			expect(other.status, path).toBe(200);
			expect(other.body.equals(first.body), path).toBe(true);
		}
	});

	it('never lets a proxy keep a per-user answer', async () => {
		for (const path of ['/alerts', '/api/alerts', '/alerts/manage/not-a-real-token']) {
			const res = await rawGet(server.url + path, { 'accept-encoding': 'gzip' });
			expect(res.headers['cache-control'], path).toBe('no-store');
			expect(res.headers.etag === undefined || !String(res.headers.etag).startsWith('W/'), path).toBe(true);
		}
	});

	it('sends gzip and br that decode to the same bytes as the uncompressed answer', async () => {
		for (const path of ['/', '/trends', '/api/offers?limit=50', '/api/offers?format=csv', '/alerts']) {
			const plain = await rawGet(server.url + path);
			expect(plain.headers['content-encoding'], path).toBeUndefined();
			const br = await rawGet(server.url + path, { 'accept-encoding': 'gzip, deflate, br' });
			expect(br.headers['content-encoding'], path).toBe('br');
			expect(String(br.headers.vary), path).toContain('Accept-Encoding');
			const gz = await rawGet(server.url + path, { 'accept-encoding': 'gzip' });
			expect(gz.headers['content-encoding'], path).toBe('gzip');
			if (path === '/alerts') {
				// a per-user page is rendered per request: compare what it shows, not its bytes (a form token)
				expect(brotliDecompressSync(br.body).length).toBeGreaterThan(1000);
				expect(gunzipSync(gz.body).toString()).toContain('</html>');
				continue;
			}
			expect(brotliDecompressSync(br.body).equals(plain.body), path).toBe(true);
			expect(gunzipSync(gz.body).equals(plain.body), path).toBe(true);
			expect(br.body.length, path).toBeLessThan(plain.body.length);
		}
	});

	if (engine === 'postgres') {
		it('changes a kept answer as soon as another instance stores a snapshot', async () => {
			const path = '/api/offers?provider=runpod&limit=1&sort=price';
			const before = await rawGet(server.url + path);
			const priceOf = (r: Raw) =>
				(JSON.parse(r.body.toString()) as { offers: { pricePerGpuHourUsd: number }[] }).offers[0]!
					.pricePerGpuHourUsd;
			// kept: the same answer again
			expect((await rawGet(server.url + path)).headers.etag).toBe(before.headers.etag);
			const other = await openDatabase({ url: pg!.url!, poolMax: 2 });
			try {
				await storeSnapshot(other.db, 'runpod', null, tick(), offersOf('runpod', new Date(clock), 3), TRUST);
			} finally {
				await other.close();
			}
			const after = await rawGet(server.url + path);
			expect(after.headers.etag).not.toBe(before.headers.etag);
			expect(priceOf(after)).toBeCloseTo(priceOf(before) * 3, 6);
		});
	}
});
