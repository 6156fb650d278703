/**
 * Answers kept per data version (src/lib/server/cache): a kept answer is served again while nothing
 * changed, and changes as soon as a snapshot is stored — by this connection, or (Postgres) by another
 * instance's connection; the version moves at commit, never before; 304 on a matching ETag; compressed
 * bodies decode to the same bytes; per-user paths are never shared.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADAPTERS } from '#adapters/index.ts';
import { PROVIDERS, type NormalizedOffer, type ProviderId } from '#adapters/types.ts';
import { DEFAULT_TRUST } from '../../src/lib/trust.ts';
import { cachePolicy, clearAnswers, etagMatches, sharedAnswer } from '../../src/lib/server/cache/answers.ts';
import { negotiateEncoding } from '../../src/lib/server/cache/compress.ts';
import { readDataVersion } from '../../src/lib/server/cache/data-version.ts';
import { currentOffers } from '../../src/lib/server/offers/current.ts';
import { openDatabase, rows, type Database, type Db } from '../../src/lib/server/db/index.ts';
import { storeSnapshot } from '../../src/lib/server/poll/snapshots.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';
import { recordedPayloads } from '../helpers/fake-providers.ts';

const TRUST = { settings: DEFAULT_TRUST, scope: PROVIDERS };
const SCOPE: ProviderId[] = ['vastai', 'runpod', 'lambda'];
const OPTS = { cacheControl: 'public, max-age=0, s-maxage=600, stale-while-revalidate=600' };

/** The recorded offers of a provider with every price multiplied by `factor` (recognisable answers). */
function offersOf(provider: ProviderId, at: Date, factor = 1): NormalizedOffer[] {
	return ADAPTERS[provider].parse(recordedPayloads()[provider], at).offers.map((o) => ({
		...o,
		pricePerHourUsd: o.pricePerHourUsd * factor,
		pricePerGpuHourUsd: o.pricePerGpuHourUsd * factor
	}));
}

describe.each(ENGINES)('answers kept per data version on %s', (engine) => {
	let database: TestDatabase;
	let builds = 0;
	let clock = Date.parse('2026-11-27T09:00:00Z');
	const tick = () => new Date((clock += 60_000));

	/** A real answer: the cheapest current trusted price per provider, read from the database. */
	async function build(db: Db): Promise<Response> {
		builds++;
		const list = await rows<{ provider: string; p: number | string }>(
			db,
			sql`select provider, min(price_per_gpu_hour_usd) as p from ${currentOffers(SCOPE, { trusted: true })} o
			    group by provider order by provider`
		);
		// padded past the compression threshold, so the compressed variants are exercised
		const body = { cheapest: list.map((r) => [r.provider, Number(r.p)]), pad: 'x'.repeat(2000) };
		return Response.json(body);
	}

	async function ask(
		headers: Record<string, string> = {},
		url = 'http://app.test/api/offers'
	): Promise<Response> {
		const version = await readDataVersion(database.db);
		return sharedAnswer(new Request(url, { headers }), () => build(database.db), { ...OPTS, version });
	}

	beforeAll(async () => {
		database = await createTestDatabase(engine);
		for (const p of SCOPE)
			await storeSnapshot(database.db, p, null, tick(), offersOf(p, new Date(clock)), TRUST);
	});
	afterAll(async () => {
		await database?.destroy();
	});
	beforeEach(() => {
		clearAnswers();
		builds = 0;
	});

	it('builds once and serves the kept answer while no data changed', async () => {
		const first = await ask();
		const second = await ask();
		expect(builds).toBe(1);
		expect(first.headers.get('etag')).toMatch(/^W\/"[\w-]+"$/);
		expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
		expect(second.headers.get('cache-control')).toBe(OPTS.cacheControl);
		expect(await second.text()).toBe(await first.text());
	});

	it('changes as soon as a new snapshot is stored on this connection', async () => {
		const before = await ask();
		const beforeBody = (await before.json()) as { cheapest: [string, number][] };
		await storeSnapshot(database.db, 'vastai', null, tick(), offersOf('vastai', new Date(clock), 1.5), TRUST);
		const after = await ask();
		const afterBody = (await after.json()) as { cheapest: [string, number][] };
		expect(builds).toBe(2);
		expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
		const vast = (b: typeof beforeBody) => b.cheapest.find(([p]) => p === 'vastai')![1];
		expect(vast(afterBody)).toBeCloseTo(vast(beforeBody) * 1.5, 6);
	});

	it('answers 304 to a matching If-None-Match, and the full answer to another', async () => {
		const full = await ask();
		const etag = full.headers.get('etag')!;
		const notModified = await ask({ 'if-none-match': etag });
		expect(notModified.status).toBe(304);
		expect(await notModified.text()).toBe('');
		expect(notModified.headers.get('etag')).toBe(etag);
		// a list, and the strong form of the same tag, match too (weak comparison)
		expect((await ask({ 'if-none-match': `"nope", ${etag.slice(2)}` })).status).toBe(304);
		const other = await ask({ 'if-none-match': '"something-else"' });
		expect(other.status).toBe(200);
		expect(await other.text()).toBe(await full.text());
	});

	it('compresses with br and gzip, and the decoded bodies equal the uncompressed one', async () => {
		const plain = await ask({ 'accept-encoding': 'identity' });
		expect(plain.headers.get('content-encoding')).toBeNull();
		const identity = Buffer.from(await plain.arrayBuffer());
		const br = await ask({ 'accept-encoding': 'gzip, deflate, br' });
		expect(br.headers.get('content-encoding')).toBe('br');
		expect(br.headers.get('vary')).toBe('Accept-Encoding');
		const brBytes = Buffer.from(await br.arrayBuffer());
		expect(brBytes.length).toBeLessThan(identity.length);
		expect(brotliDecompressSync(brBytes).equals(identity)).toBe(true);
		const gz = await ask({ 'accept-encoding': 'gzip' });
		expect(gz.headers.get('content-encoding')).toBe('gzip');
		expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).equals(identity)).toBe(true);
		expect(builds).toBe(1);
	});

	it('moves the data version once per transaction, at commit', async () => {
		const v0 = await readDataVersion(database.db);
		await database.db.transaction(async (tx) => {
			await tx.execute(
				sql`insert into hub_configs (model_id, config) values ('t/one', '{}'), ('t/two', '{}')`
			);
			await tx.execute(sql`update hub_configs set config = '{"a":1}' where model_id like 't/%'`);
		});
		expect(await readDataVersion(database.db)).toBe(v0 + 1);
		// the history tables count too (rollups, imports), and a statement outside a transaction
		await database.db.execute(sql`delete from hub_configs where model_id like 't/%'`);
		expect(await readDataVersion(database.db)).toBe(v0 + 2);
	});

	it('does not move the data version for a rolled-back transaction', async () => {
		const v0 = await readDataVersion(database.db);
		await expect(
			database.db.transaction(async (tx) => {
				await tx.execute(sql`insert into hub_configs (model_id, config) values ('t/rolled-back', '{}')`);
				throw new Error('roll back');
			})
		).rejects.toThrow('roll back');
		expect(await readDataVersion(database.db)).toBe(v0);
	});

	if (engine === 'pglite') {
		it('knows the version without a read: never the uncommitted one, the committed one at once', async () => {
			// PGlite has one connection: a read of the version would wait behind this open transaction
			// (and this test would hang). The version is pushed at commit instead (data-version.ts).
			const v0 = await readDataVersion(database.db);
			const before = await ask();
			let release!: () => void;
			const held = new Promise<void>((ok) => (release = ok));
			let inserted!: () => void;
			const didInsert = new Promise<void>((ok) => (inserted = ok));
			const write = database.db.transaction(async (tx) => {
				await tx.execute(sql`insert into hub_configs (model_id, config) values ('t/held', '{}')`);
				inserted();
				await held;
			});
			await didInsert;
			expect(await readDataVersion(database.db)).toBe(v0);
			// a kept answer is served meanwhile without touching the database (whose connection is held)
			const kept = await ask();
			expect(kept.headers.get('etag')).toBe(before.headers.get('etag'));
			expect(builds).toBe(1);
			release();
			await write;
			expect(await readDataVersion(database.db)).toBe(v0 + 1);
			await database.db.execute(sql`delete from hub_configs where model_id = 't/held'`);
			expect(await readDataVersion(database.db)).toBe(v0 + 2);
		});
	}

	if (engine === 'postgres') {
		describe('another instance on the same Postgres', () => {
			let other: Database;
			beforeAll(async () => {
				other = await openDatabase({ url: database.url!, poolMax: 2 });
			});
			afterAll(async () => {
				await other?.close();
			});

			it('a snapshot stored by another connection changes the kept answer', async () => {
				const before = await ask();
				const beforeBody = (await before.json()) as { cheapest: [string, number][] };
				await storeSnapshot(other.db, 'runpod', null, tick(), offersOf('runpod', new Date(clock), 2), TRUST);
				const after = await ask();
				const afterBody = (await after.json()) as { cheapest: [string, number][] };
				const runpod = (b: typeof beforeBody) => b.cheapest.find(([p]) => p === 'runpod')![1];
				expect(runpod(afterBody)).toBeCloseTo(runpod(beforeBody) * 2, 6);
				expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
			});

			it('never shows the new version before the data is committed', async () => {
				const v0 = await readDataVersion(database.db);
				let insideVersion = -1;
				await other.db.transaction(async (tx) => {
					await tx.execute(sql`insert into hub_configs (model_id, config) values ('t/uncommitted', '{}')`);
					insideVersion = await readDataVersion(database.db);
				});
				expect(insideVersion).toBe(v0);
				expect(await readDataVersion(database.db)).toBe(v0 + 1);
			});
		});
	}
});

describe('what is shared', () => {
	it('shares data pages and their JSON, never alert watches, manage links or forms', () => {
		for (const path of [
			'/',
			'/trends',
			'/gpus/h100-sxm',
			'/gpus/h100-sxm/__data.json',
			'/__data.json',
			'/api/history',
			'/estimate',
			'/models/mistralai/Mistral-7B-v0.1'
		]) {
			expect(cachePolicy('GET', path), path).toBe('shared');
		}
		for (const path of [
			'/alerts',
			'/alerts/manage/secret-token',
			'/alerts/feed.xml',
			'/api/alerts',
			'/alerts/__data.json'
		]) {
			expect(cachePolicy('GET', path), path).toBe('private');
		}
		expect(cachePolicy('POST', '/api/estimate')).toBe('private');
		expect(cachePolicy('POST', '/estimate')).toBe('private');
		expect(cachePolicy('GET', '/api/hub-config')).toBe('pass');
	});

	it('reads Accept-Encoding as RFC 9110 says', () => {
		expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
		expect(negotiateEncoding('br;q=0, gzip')).toBe('gzip');
		expect(negotiateEncoding('gzip;q=0.5, br;q=0.2')).toBe('gzip');
		expect(negotiateEncoding('*')).toBe('br');
		expect(negotiateEncoding('*;q=0, identity')).toBeNull();
		expect(negotiateEncoding('identity')).toBeNull();
		expect(negotiateEncoding(null)).toBeNull();
	});

	it('matches ETags weakly', () => {
		expect(etagMatches('W/"a"', 'W/"a"')).toBe(true);
		expect(etagMatches('"a"', 'W/"a"')).toBe(true);
		expect(etagMatches('"b", W/"a"', 'W/"a"')).toBe(true);
		expect(etagMatches('*', 'W/"a"')).toBe(true);
		expect(etagMatches('"b"', 'W/"a"')).toBe(false);
		expect(etagMatches(null, 'W/"a"')).toBe(false);
	});
});
