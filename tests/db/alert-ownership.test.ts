/**
 * Owned watches on both engines: only a hash of the manage token is stored, the token (or ADMIN_TOKEN)
 * gives access and nothing else does — a wrong-length token, another watch's token, an empty Bearer;
 * the per-client creation limit is counted in the database (two handles on one Postgres share it);
 * family watches ("any A100") match every variant; a paused watch is not evaluated; the cheapest price
 * now is shown before the first check; delivery errors and lists never carry the webhook URL.
 */
import { sql } from 'drizzle-orm';
import { PROVIDERS } from '#adapters/types.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
	accessTo,
	authorizeWatch,
	hashManageToken,
	publicWatch,
	watchIdByToken
} from '../../src/lib/server/alerts/access.ts';
import { withCreateSlot } from '../../src/lib/server/alerts/limit.ts';
import {
	cheapestNowByWatch,
	checkSchedule,
	createOwnedWatch,
	updateWatch
} from '../../src/lib/server/alerts/manage.ts';
import { evaluateAlerts } from '../../src/lib/server/alerts/evaluate.ts';
import { listWatches, type WatchInput } from '../../src/lib/server/alerts/watches.ts';
import { openDatabase, rows } from '../../src/lib/server/db/index.ts';
import { poll, receiver } from '../helpers/alert-fixtures.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';

const ADMIN = 'admin-token-0123456789abcdef';
const base: WatchInput = { gpu: 'h100-sxm', pricing: 'on_demand', minGpuCount: 1, thresholdUsd: 2 };
const ctx = (client = '203.0.113.7', limitPerHour = 20) => ({ allowPrivate: true, client, limitPerHour });

describe.each(ENGINES)('owned watches on %s', (engine) => {
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
		for (const table of ['alert_watches', 'alert_creations', 'offers', 'snapshots'])
			await database.db.execute(sql.raw(`delete from ${table}`));
	});

	async function create(input: Partial<WatchInput> = {}, client?: string) {
		const res = await createOwnedWatch(database.db, { ...base, ...input }, ctx(client));
		if (!res.ok) throw new Error('limited');
		return res;
	}

	it('stores only the hash of the manage token, and only it or ADMIN_TOKEN gives access', async () => {
		const db = database.db;
		const a = await create({ webhookUrl: 'https://hooks.slack.com/services/T0/B0/secret?token=abc' });
		const b = await create();
		expect(a.manageToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const stored = await rows<{ manage_token_hash: string }>(
			db,
			sql`select manage_token_hash from alert_watches where id = ${a.watch.id}`
		);
		expect(stored[0]!.manage_token_hash).toBe(hashManageToken(a.manageToken));
		const dump = JSON.stringify(await rows(db, sql`select * from alert_watches`));
		expect(dump).not.toContain(a.manageToken);

		const auth = (id: number, token: string | null, admin?: string) => authorizeWatch(db, id, token, admin);
		expect(await auth(a.watch.id, a.manageToken)).toEqual({ ok: true, access: 'owner' });
		expect(await auth(a.watch.id, null)).toMatchObject({ ok: false, status: 401 });
		// Another watch's token, a wrong-length token, an empty one, a megabyte: all 403.
		expect(await auth(a.watch.id, b.manageToken)).toMatchObject({ ok: false, status: 403 });
		expect(await auth(a.watch.id, a.manageToken.slice(0, 20))).toMatchObject({ ok: false, status: 403 });
		expect(await auth(a.watch.id, a.manageToken + 'x')).toMatchObject({ ok: false, status: 403 });
		expect(await auth(a.watch.id, '')).toMatchObject({ ok: false, status: 403 });
		expect(await auth(a.watch.id, 'x'.repeat(1_000_000))).toMatchObject({ ok: false, status: 403 });
		// ADMIN_TOKEN: every watch, only when set; the admin token is not a manage token of anything.
		expect(await auth(b.watch.id, ADMIN, ADMIN)).toEqual({ ok: true, access: 'admin' });
		expect(await auth(b.watch.id, ADMIN, undefined)).toMatchObject({ ok: false, status: 403 });
		expect(await auth(b.watch.id, ADMIN.slice(0, -1), ADMIN)).toMatchObject({ ok: false, status: 403 });
		expect(await auth(999_999, a.manageToken)).toMatchObject({ ok: false, status: 404 });
		// A watch from before tokens (hash null) is the admin's only.
		await db.execute(sql`update alert_watches set manage_token_hash = null where id = ${b.watch.id}`);
		expect(accessTo(null, b.manageToken, ADMIN)).toBe('wrong');
		expect(accessTo(null, ADMIN, ADMIN)).toBe('admin');

		// The manage link finds its own watch and no other.
		expect(await watchIdByToken(db, a.manageToken)).toBe(a.watch.id);
		expect(await watchIdByToken(db, b.manageToken)).toBeUndefined();
		expect(await watchIdByToken(db, a.manageToken.toUpperCase())).toBeUndefined();
		expect(await watchIdByToken(db, '')).toBeUndefined();

		// The public view: scheme and host only, never the path, query or token in it.
		const shown = publicWatch((await listWatches(db)).find((w) => w.id === a.watch.id)!);
		expect(shown.webhook).toBe('https://hooks.slack.com/…');
		expect(JSON.stringify(shown)).not.toMatch(/secret|token=|services/);
		expect('webhookUrl' in shown).toBe(false);
	});

	it('limits creations per client per hour in the database, with the time until a slot frees', async () => {
		const db = database.db;
		const now = new Date('2026-11-27T12:00:00Z');
		const slot = (client: string, at: Date, limit = 3) =>
			withCreateSlot(db, client, limit, at, async () => 1);
		for (let i = 0; i < 3; i++)
			expect((await slot('198.51.100.1', new Date(now.getTime() + i * 60_000))).ok).toBe(true);
		const refused = await slot('198.51.100.1', new Date(now.getTime() + 10 * 60_000));
		// The oldest of the three frees at 13:00, 50 minutes after 12:10.
		expect(refused).toEqual({ ok: false, limit: 3, retryAfterSeconds: 50 * 60 });
		expect((await slot('198.51.100.2', now)).ok).toBe(true);
		expect((await slot('198.51.100.1', new Date(now.getTime() + 3600_000 + 1))).ok).toBe(true);
		// A create that fails takes no slot.
		await expect(
			withCreateSlot(db, '198.51.100.3', 1, now, async () => {
				throw new Error('boom');
			})
		).rejects.toThrow('boom');
		expect((await slot('198.51.100.3', now, 1)).ok).toBe(true);
	});

	it.runIf(engine === 'postgres')('shares the limit across instances and races no slot twice', async () => {
		// A second app instance: its own connection pool on the same database.
		const other = await openDatabase({ url: database.url!, poolMax: 4 });
		try {
			const now = new Date();
			const attempts = Array.from({ length: 10 }, (_, i) =>
				withCreateSlot(i % 2 ? other.db : database.db, '192.0.2.50', 4, now, async () => i)
			);
			const results = await Promise.all(attempts);
			expect(results.filter((r) => r.ok)).toHaveLength(4);
		} finally {
			await other.close();
		}
	});

	it('createOwnedWatch answers the limit after ALERT_CREATE_LIMIT_PER_HOUR watches of one client', async () => {
		for (let i = 0; i < 2; i++)
			expect((await createOwnedWatch(database.db, base, ctx('a', 2))).ok).toBe(true);
		const third = await createOwnedWatch(database.db, base, ctx('a', 2));
		expect(third.ok).toBe(false);
		expect((await createOwnedWatch(database.db, base, ctx('b', 2))).ok).toBe(true);
		expect(await listWatches(database.db)).toHaveLength(3);
	});

	it('a family watch matches every variant; the cheapest now shows before the first check', async () => {
		const db = database.db;
		const a100 = await create({ gpu: 'any-a100', thresholdUsd: 1 });
		const h100 = await create({ gpu: 'any-h100', thresholdUsd: 1 });
		const one = await create({ gpu: 'a100-sxm-80gb', thresholdUsd: 1 });
		await poll(db, 'vastai', tick(), [
			{ gpu: 'a100-pcie-40gb', price: 0.9 },
			{ gpu: 'a100-sxm-80gb', price: 1.3 },
			{ gpu: 'h100-nvl', price: 2.1 },
			{ gpu: 'a10', price: 0.2 }
		]);
		const now = await cheapestNowByWatch(db, PROVIDERS);
		expect(now.get(a100.watch.id)).toEqual({
			pricePerGpuHourUsd: 0.9,
			provider: 'vastai',
			gpu: 'a100-pcie-40gb'
		});
		expect(now.get(h100.watch.id)?.pricePerGpuHourUsd).toBe(2.1);
		expect(now.get(one.watch.id)?.pricePerGpuHourUsd).toBe(1.3);
		expect((await listWatches(db)).every((w) => w.lastPriceUsd === null)).toBe(true);
		const res = await evaluateAlerts(db, new Date(t), { allowPrivate: true, scope: PROVIDERS });
		expect(res.fired.map((f) => [f.watchId, f.pricePerGpuHourUsd])).toEqual([[a100.watch.id, 0.9]]);
	});

	it('a paused watch is not evaluated until resumed; an edit of what is watched re-arms it', async () => {
		const db = database.db;
		const w = await create({ thresholdUsd: 1 });
		await updateWatch(db, w.watch.id, { paused: true }, { allowPrivate: true });
		await poll(db, 'vastai', tick(), [{ price: 0.5 }]);
		let res = await evaluateAlerts(db, new Date(t), { allowPrivate: true, scope: PROVIDERS });
		expect(res.fired).toHaveLength(0);
		expect(res.evaluated).toBe(0);
		await updateWatch(db, w.watch.id, { paused: false }, { allowPrivate: true });
		res = await evaluateAlerts(db, new Date(t), { allowPrivate: true, scope: PROVIDERS });
		expect(res.fired).toHaveLength(1);
		const edited = await updateWatch(
			db,
			w.watch.id,
			{ thresholdUsd: 0.4, label: null },
			{ allowPrivate: true }
		);
		expect(edited).toMatchObject({ armed: true, thresholdUsd: 0.4, lastPriceUsd: null, label: null });
		expect(await updateWatch(db, 999_999, { paused: true }, { allowPrivate: true })).toBeUndefined();
	});

	it('delivery errors name the host only, never a token in the path, query or user info', async () => {
		const db = database.db;
		const dead = receiver([500, 500, 500]);
		const port = await dead.start();
		try {
			await create({
				thresholdUsd: 5,
				webhookUrl: `http://127.0.0.1:${port}/hooks/SECRETPATH?key=SECRETKEY`
			});
			await poll(db, 'vastai', tick(), [{ price: 1 }]);
			const res = await evaluateAlerts(db, new Date(t), {
				allowPrivate: true,
				scope: PROVIDERS,
				attempts: 1
			});
			expect(res.fired[0]!.webhookError).toBe(`127.0.0.1:${port}: HTTP 500`);
			const stored = JSON.stringify(await rows(db, sql`select * from alert_firings`));
			expect(stored).not.toMatch(/SECRET/);
		} finally {
			await dead.close();
		}
		// A URL whose host does not answer: the network error names the host, not the URL.
		await database.db.execute(sql`delete from alert_watches`);
		await create({ thresholdUsd: 5, webhookUrl: `http://127.0.0.1:1/x/SECRETPATH?sig=SECRETSIG` });
		await poll(db, 'vastai', tick(), [{ price: 1 }]);
		const res = await evaluateAlerts(db, new Date(t), { allowPrivate: true, scope: PROVIDERS, attempts: 1 });
		expect(res.fired[0]!.webhookError).toMatch(/^127\.0\.0\.1:1: /);
		expect(res.fired[0]!.webhookError).not.toMatch(/SECRET/);
	});

	it('says when the next check is, and that there is none when polling is off', async () => {
		const now = new Date('2026-11-27T10:03:00Z');
		const run = (provider: string, finished: string | null) =>
			database.db.execute(
				sql`insert into poll_runs (cycle_id, provider, started_at, finished_at, status)
				    values ('c', ${provider}, ${finished ?? '2026-11-27T10:02:00Z'}::timestamptz - interval '5 seconds',
				            ${finished}::timestamptz, ${finished ? 'ok' : 'running'})`
			);
		await run('vastai', '2026-11-27T09:50:00Z');
		await run('runpod', '2026-11-27T10:00:00Z');
		await run('vastai', null); // still running: not a finished check
		expect(await checkSchedule(database.db, 10, now)).toEqual({
			intervalMinutes: 10,
			lastCycleAt: '2026-11-27T10:00:00.000Z',
			nextCheckAt: '2026-11-27T10:10:00.000Z'
		});
		expect((await checkSchedule(database.db, 0, now)).nextCheckAt).toBeNull();
		await database.db.execute(sql`delete from poll_runs`);
	});
});
