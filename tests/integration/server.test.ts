/**
 * The real server process: starts on PGlite in a fresh DATA_DIR, serves /, refuses a second process on
 * the same DATA_DIR with a clear message (the first keeps serving), stops cleanly on SIGTERM, and
 * refuses a bad configuration naming the variable.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnScript, startServer, type RunningServer } from '../helpers/server.ts';

describe('server process on PGlite', () => {
	let dataDir: string;
	let server: RunningServer;

	beforeAll(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'gpu-dash-server-'));
		server = await startServer({ DATA_DIR: dataDir });
	});
	afterAll(async () => {
		await server?.stop('SIGKILL');
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('serves the dashboard from the database', async () => {
		const res = await fetch(server.url + '/');
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain('GPU rental prices');
		expect(existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);
	});

	it('sends the security headers on every page', async () => {
		for (const path of ['/', '/no-such-page']) {
			const res = await fetch(server.url + path);
			const csp = res.headers.get('content-security-policy') ?? '';
			// Scripts only from self plus SvelteKit's hashed inline bootstrap; never framed.
			expect(csp).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')*;/);
			const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
			expect(scriptSrc).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
			expect(csp).toContain("frame-ancestors 'none'");
			expect(csp).toContain("object-src 'none'");
			expect(res.headers.get('x-content-type-options')).toBe('nosniff');
			expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		}
	});

	it('refuses a second server on the same DATA_DIR and leaves the first one working', async () => {
		const second = spawnScript('scripts/start.ts', [], {
			DATA_DIR: dataDir,
			PORT: String(server.port + 1),
			HOST: '127.0.0.1',
			POLL_INTERVAL_MINUTES: '0',
			ARCHIVE_IMPORT: '0'
		});
		const code = await second.exited;
		expect(code).toBe(1);
		expect(second.output()).toMatch(/DATA_DIR .* is already in use by process \d+/);
		const res = await fetch(server.url + '/');
		expect(res.status).toBe(200);
	});

	it('stops cleanly within a few seconds on SIGTERM and releases the data directory', async () => {
		const t0 = Date.now();
		const code = await server.stop('SIGTERM');
		expect(code).toBe(0);
		expect(Date.now() - t0).toBeLessThan(5000);
		expect(existsSync(join(dataDir, 'dashboard.lock'))).toBe(false);
		// …and the directory opens again (nothing corrupted).
		server = await startServer({ DATA_DIR: dataDir });
		expect((await fetch(server.url + '/')).status).toBe(200);
	});

	it('refuses to start with a bad variable and names it', async () => {
		const bad = spawnScript('scripts/start.ts', [], { PORT: 'eighty', DATA_DIR: dataDir + '-unused' });
		expect(await bad.exited).toBe(1);
		expect(bad.output()).toContain('PORT');
		expect(bad.output()).toMatch(/expected a whole number/);
	});
});
