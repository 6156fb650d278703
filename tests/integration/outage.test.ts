/**
 * With DATABASE_URL pointing at a Postgres server that stops, pages answer a clear 503 (not a stack
 * trace), the poller's cycle fails and the next interval's succeeds, and everything recovers without a
 * restart when the server returns. A request stuck behind a lock gets a 503 when its time budget
 * (REQUEST_TIMEOUT_MS) runs out instead of hanging, and every connection carries a statement_timeout.
 * Uses a throwaway server of its own so stopping it does not disturb other tests. Runs wherever the
 * PostgreSQL binaries are installed; in CI their absence is a failure, not a skip.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { App } from '../../src/lib/server/app.ts';
import { loadConfig } from '../../src/lib/server/config.ts';
import { openDatabase, rows, STATEMENT_TIMEOUT_MS, type Database } from '../../src/lib/server/db/index.ts';
import { createPollerHook } from '../../src/lib/server/poll/scheduler.ts';
import { startFakeProviders, type FakeProviders } from '../helpers/fake-providers.ts';
import { createPgServer, findPgBin, type PgServer } from '../helpers/pg-server.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const available = Boolean(findPgBin());
const ci = Boolean(process.env.CI) && process.env.CI !== 'false';
const REQUEST_TIMEOUT_MS = 2000;

async function until(
	check: () => boolean | Promise<boolean>,
	timeoutMs: number,
	what: () => string
): Promise<void> {
	const t0 = Date.now();
	while (!(await check())) {
		if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what()}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

describe.skipIf(!available && !ci)('database outage on a real Postgres server', () => {
	let pg: PgServer;
	let app: RunningServer;
	let fake: FakeProviders;

	beforeAll(async () => {
		pg = await createPgServer();
		fake = await startFakeProviders();
		app = await startServer({ DATABASE_URL: pg.url, REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
	}, 120_000);
	afterAll(async () => {
		await app?.stop('SIGKILL');
		await fake?.close();
		pg?.destroy();
	});

	it('serves normally while the server is up', async () => {
		expect((await fetch(app.url + '/')).status).toBe(200);
	});

	it('answers a clear 503 page while the server is down, then recovers by itself', async () => {
		pg.stop();
		const down = await fetch(app.url + '/');
		expect(down.status).toBe(503);
		expect(down.headers.get('retry-after')).toBe('30');
		const html = await down.text();
		expect(html).toContain('Temporarily unavailable');
		expect(html).not.toMatch(/at .*\.js:\d+|ECONNREFUSED|stack/i);
		const api = await fetch(app.url + '/api/offers');
		expect(api.status).toBe(503);

		pg.start();
		let status = 0;
		for (let i = 0; i < 50 && status !== 200; i++) {
			status = (await fetch(app.url + '/')).status;
			if (status !== 200) await new Promise((r) => setTimeout(r, 200));
		}
		expect(status).toBe(200);
		expect(app.proc.exitCode).toBeNull();
	});

	it(
		'the poller fails its cycle while the database is down and succeeds at the next interval',
		{ timeout: 90_000 },
		async () => {
			// The server's own scheduler (createPollerHook, as hooks.server.ts runs it) on a 1.2 s interval,
			// so the test needs seconds rather than POLL_INTERVAL_MINUTES' minutes.
			const config = {
				...loadConfig({ DATABASE_URL: pg.url, ...fake.env(), PROVIDERS: 'vastai' }),
				pollIntervalMinutes: 0.02
			};
			const database: Database = await openDatabase({ url: pg.url, poolMax: 3 });
			const lines: string[] = [];
			const errors: unknown[] = [];
			const hook = createPollerHook({
				http: { minIntervalMs: 0, baseBackoffMs: 10 },
				log: (line) => lines.push(line),
				logError: (line, err) => {
					lines.push(line);
					if (err !== undefined) errors.push(err);
				}
			});
			const snapshots = async () =>
				Number(
					(
						await rows<{ n: number }>(
							database.db,
							sql`select count(*)::int as n from snapshots where provider = 'vastai'`
						)
					)[0]!.n
				);
			const stop = await hook({ config, database, startedAt: new Date(), stop: async () => {} } as App);
			try {
				await until(
					() => lines.some((l) => /\[poll\] vastai: ok/.test(l)),
					15_000,
					() => `the first cycle:\n${lines.join('\n')}`
				);
				const before = await snapshots();
				pg.stop();
				await until(
					() => lines.some((l) => /cycle failed: the database is unavailable/.test(l)),
					15_000,
					() => `a failed cycle:\n${lines.join('\n')}`
				);
				const failed = lines.length;
				pg.start();
				await until(
					() => lines.slice(failed).some((l) => /\[poll\] vastai: ok/.test(l)),
					20_000,
					() => `a cycle after the outage:\n${lines.join('\n')}`
				);
				expect(await snapshots()).toBeGreaterThan(before);
				// an outage is reported in one line, not as an unexpected error with a stack trace
				expect(errors).toEqual([]);
				expect(lines.find((l) => /cycle failed/.test(l))).toMatch(/retrying at the next interval/);
			} finally {
				await stop?.();
				await database.close();
			}
		}
	);

	it('bounds a request stuck behind a lock: 503 when its time budget runs out, then normal again', async () => {
		const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
		const lock = await admin.reserve();
		try {
			await lock`begin`;
			// Every page and API reads the current snapshots (and /api/offers the offers): both wait on this.
			await lock`lock table snapshots, offers in access exclusive mode`;
			const t0 = Date.now();
			const [page, api] = await Promise.all([fetch(app.url + '/'), fetch(app.url + '/api/offers')]);
			const elapsed = Date.now() - t0;
			expect(page.status).toBe(503);
			expect(await page.text()).toContain('took too long');
			expect(api.status).toBe(503);
			expect(await api.json()).toMatchObject({ code: 'timeout' });
			expect(elapsed).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
			expect(elapsed).toBeLessThan(REQUEST_TIMEOUT_MS + 5000);
		} finally {
			await lock`rollback`;
			lock.release();
			await admin.end({ timeout: 2 });
		}
		expect((await fetch(app.url + '/')).status).toBe(200);
		expect(app.output()).toMatch(/GET \/api\/offers took over 2000 ms: answered 503/);
	});

	it('sets statement_timeout on every connection', async () => {
		const database = await openDatabase({ url: pg.url, poolMax: 1, migrate: false });
		try {
			const [row] = await rows<{ statement_timeout: string }>(database.db, sql`show statement_timeout`);
			expect(row!.statement_timeout).toBe(`${STATEMENT_TIMEOUT_MS / 60_000}min`);
		} finally {
			await database.close();
		}
	});
});
