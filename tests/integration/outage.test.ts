/**
 * With DATABASE_URL pointing at a Postgres server that stops, pages answer a clear 503 (not a stack
 * trace), and everything recovers without a restart when the server returns. Uses a throwaway server
 * of its own so stopping it does not disturb other tests. Runs wherever the PostgreSQL binaries are
 * installed; in CI their absence is a failure, not a skip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgServer, findPgBin, type PgServer } from '../helpers/pg-server.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const available = Boolean(findPgBin());
const ci = Boolean(process.env.CI) && process.env.CI !== 'false';

describe.skipIf(!available && !ci)('database outage on a real Postgres server', () => {
	let pg: PgServer;
	let app: RunningServer;

	beforeAll(async () => {
		pg = await createPgServer();
		app = await startServer({ DATABASE_URL: pg.url });
	}, 120_000);
	afterAll(async () => {
		await app?.stop('SIGKILL');
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

		pg.start();
		let status = 0;
		for (let i = 0; i < 50 && status !== 200; i++) {
			status = (await fetch(app.url + '/')).status;
			if (status !== 200) await new Promise((r) => setTimeout(r, 200));
		}
		expect(status).toBe(200);
		expect(app.proc.exitCode).toBeNull();
	});
});
