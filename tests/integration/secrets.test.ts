/**
 * LAMBDA_API_KEY and RUNPOD_API_KEY never leave the requests they authorize. Recognisable keys are set,
 * then both keyed providers go through the succeeding path and every failing one — 401, 500, a timeout,
 * a connection reset, an HTML error page, plain text instead of JSON, a GraphQL error — with providers
 * that echo the key back in their error bodies (RunPod's key travels in the URL, `?api_key=`, which
 * undici may quote). Every output is searched for the keys: `npm run poll` (text and --json, stdout and
 * stderr), the server's stdout/stderr, every page and API answer, and every row of the database.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, rows } from '../../src/lib/server/db/index.ts';
import { sql } from 'drizzle-orm';
import { startFakeProviders, type Behaviour, type FakeProviders } from '../helpers/fake-providers.ts';
import { spawnScript, startServer } from '../helpers/server.ts';

const LAMBDA_KEY = 'lam_SECRET_7f3a9c2e1b5d8a40';
/** Characters that URL-encode differently, so the encoded form in `?api_key=` is searched too. */
const RUNPOD_KEY = 'rp_SECRET_4d8e6b0a93/c+1=';
/** Any of these in an output is a leak (whole keys, URL-encoded, or a distinctive piece of one). */
const NEEDLES = [
	LAMBDA_KEY,
	RUNPOD_KEY,
	encodeURIComponent(RUNPOD_KEY),
	'7f3a9c2e1b5d',
	'4d8e6b0a93',
	'SECRET_'
];

function leaks(text: string): string[] {
	return NEEDLES.filter((n) => text.includes(n));
}

/** Answers that echo the key back, as careless APIs do. */
const echo = {
	auth401: (key: string): Behaviour => ({
		payload: {
			error: { code: 'global/invalid-api-key', message: `API key ${key} was invalid, expired, or deleted.` }
		},
		status: 401
	}),
	error500: (key: string): Behaviour => ({
		raw: `internal error while checking key ${key}`,
		status: 500,
		headers: { 'retry-after': '0' }
	}),
	html503: (key: string): Behaviour => ({
		raw: `<!DOCTYPE html><html><body><h1>Service unavailable</h1><p>request for ${key}</p></body></html>`,
		status: 503,
		headers: { 'content-type': 'text/html', 'retry-after': '0' }
	}),
	text200: (key: string): Behaviour => ({ raw: `${key} is not allowed to read this`, status: 200 }),
	graphql: (key: string): Behaviour => ({
		payload: { errors: [{ message: `Invalid api_key ${key} for this operation` }] }
	})
};

/**
 * One poll round each: [Lambda's answer, RunPod's answer]; undefined = the recorded good payload. With
 * the server's own poll below, each keyed provider meets 401, 500, a timeout, a reset and an HTML page.
 */
const ROUNDS: { name: string; lambda?: Behaviour; runpod?: Behaviour; json: boolean }[] = [
	{ name: 'success', json: false },
	{
		name: 'echoing 401 / GraphQL error',
		lambda: echo.auth401(LAMBDA_KEY),
		runpod: echo.graphql(RUNPOD_KEY),
		json: true
	},
	{ name: 'echoing 500 / 401', lambda: echo.error500(LAMBDA_KEY), runpod: { fault: '401' }, json: false },
	{
		name: 'text instead of JSON / echoing 500',
		lambda: echo.text200(LAMBDA_KEY),
		runpod: echo.error500(RUNPOD_KEY),
		json: true
	},
	{
		name: 'HTML page / echoing HTML 503',
		lambda: { fault: 'html' },
		runpod: echo.html503(RUNPOD_KEY),
		json: false
	},
	{
		name: 'timeout / connection reset',
		lambda: { fault: 'timeout' },
		runpod: { fault: 'reset' },
		json: true
	},
	{ name: 'connection reset / HTML page', lambda: { fault: 'reset' }, runpod: { fault: 'html' }, json: false }
];

describe('API keys never leak (PGlite; key handling does not touch the engine)', () => {
	let fake: FakeProviders;
	let dataDir: string;
	const outputs: { what: string; text: string }[] = [];

	const env = () => ({
		DATA_DIR: dataDir,
		...fake.env(),
		LAMBDA_API_KEY: LAMBDA_KEY,
		RUNPOD_API_KEY: RUNPOD_KEY,
		PROVIDERS: 'lambda,runpod',
		PROVIDER_TIMEOUT_MS: '300',
		ARCHIVE_IMPORT: '0'
	});

	beforeAll(async () => {
		fake = await startFakeProviders({ lambdaKey: LAMBDA_KEY });
		dataDir = mkdtempSync(join(tmpdir(), 'gpu-dash-secrets-'));
		// start from the migrated template (a fresh initdb costs seconds)
		const db = await openDatabase({
			dataDir,
			loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))])
		});
		await db.close();
	});
	afterAll(async () => {
		await fake?.close();
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	});

	it(
		'npm run poll: the keys are sent, and no output of any path carries them',
		{ timeout: 120_000 },
		async () => {
			for (const round of ROUNDS) {
				fake.reset();
				if (round.lambda) fake.set('lambda', round.lambda);
				if (round.runpod) fake.set('runpod', round.runpod);
				const run = spawnScript('scripts/poll.ts', round.json ? ['--json'] : [], env());
				const code = await run.exited;
				outputs.push({ what: `npm run poll (${round.name})`, text: run.output() });
				expect(code, run.output()).toBe(round.name === 'success' ? 0 : 1);
				expect(leaks(run.output()), `${round.name}:\n${run.output()}`).toEqual([]);
			}
			// The keyed paths really ran: Lambda's Bearer key and RunPod's api_key query parameter were sent.
			const lambda = fake.requests.filter((r) => r.provider === 'lambda');
			const runpod = fake.requests.filter((r) => r.provider === 'runpod');
			expect(lambda.every((r) => r.headers.authorization === `Bearer ${LAMBDA_KEY}`)).toBe(true);
			expect(runpod.every((r) => new URLSearchParams(r.query).get('api_key') === RUNPOD_KEY)).toBe(true);
			expect(lambda.length).toBeGreaterThanOrEqual(ROUNDS.length);
		}
	);

	it(
		'the server: its logs, every page and API answer, while it polls failing providers',
		{ timeout: 120_000 },
		async () => {
			fake.reset();
			fake.set('lambda', echo.auth401(LAMBDA_KEY));
			fake.set('runpod', { fault: 'timeout' });
			const server = await startServer({ ...env(), POLL_INTERVAL_MINUTES: '60' });
			try {
				// the poll at start fails both (RunPod after 3 attempts with backoff): wait for its log lines
				for (
					let i = 0;
					i < 200 && (server.output().match(/\[poll\] (lambda|runpod): FAILED/g) ?? []).length < 2;
					i++
				) {
					await new Promise((r) => setTimeout(r, 100));
				}
				expect(server.output()).toMatch(/\[poll\] lambda: FAILED/);
				expect(server.output()).toMatch(/\[poll\] runpod: FAILED/);
				const paths = [
					'/',
					'/?provider=runpod',
					'/gpus/h100-sxm',
					'/gpus/rtx-4090',
					'/providers',
					'/trends',
					'/alerts',
					'/alerts/feed.xml',
					'/estimate?model=mistralai/Mistral-7B-v0.1&method=qlora&gpu=rtx-4090',
					'/models',
					'/models/mistralai/Mistral-7B-v0.1',
					'/papers',
					'/no-such-page',
					'/gpus/h100-sxm?limit=x&region=%00',
					'/api/offers',
					'/api/offers?format=csv',
					'/api/gpus',
					'/api/providers',
					'/api/alerts',
					'/api/history?gpu=rtx-4090',
					'/api/history?gpu=nope',
					'/api/estimate?model=mistralai/Mistral-7B-v0.1&method=qlora&gpu=rtx-4090',
					'/api/estimate?bad=1'
				];
				for (const path of paths) {
					const res = await fetch(server.url + path);
					const text = await res.text();
					expect(res.status, path).toBeLessThan(500);
					outputs.push({ what: `GET ${path}`, text });
					expect(leaks(text), path).toEqual([]);
				}
				// the failures are shown (so the failing paths' messages really reached the pages)
				const providers = outputs.find((o) => o.what === 'GET /providers')!.text;
				expect(providers).toMatch(/answered HTTP 401|timed out|ECONNRESET|HTML page|invalid JSON/);
			} finally {
				await server.stop('SIGTERM');
			}
			outputs.push({ what: 'server stdout/stderr', text: server.output() });
			expect(leaks(server.output()), server.output()).toEqual([]);
		}
	);

	it('the database: no row of any table carries a key', async () => {
		const db = await openDatabase({ dataDir });
		try {
			const tables = await rows<{ tablename: string }>(
				db.db,
				sql`select tablename from pg_tables where schemaname = 'public' order by 1`
			);
			expect(tables.map((t) => t.tablename)).toContain('poll_runs');
			for (const { tablename } of tables) {
				const all = await rows(db.db, sql.raw(`select * from "${tablename}"`));
				const text = JSON.stringify(all);
				expect(leaks(text), tablename).toEqual([]);
			}
			const runs = await rows<{ provider: string; status: string; error: string | null }>(
				db.db,
				sql`select provider, status, error from poll_runs order by id`
			);
			// every round's failure is on record, each with a useful message
			const errors = runs.filter((r) => r.status === 'failed').map((r) => r.error ?? '');
			expect(errors.length).toBeGreaterThanOrEqual(2 * (ROUNDS.length - 1));
			for (const pattern of [
				/HTTP 401/,
				/HTTP 500/,
				/HTTP 503/,
				/timed out/,
				/ECONNRESET|UND_ERR_SOCKET/,
				/HTML page/,
				/invalid JSON/,
				/GraphQL error/
			]) {
				expect(
					errors.some((e) => pattern.test(e)),
					String(pattern)
				).toBe(true);
			}
			// the echoed keys were replaced, not silently dropped with the message
			expect(errors.some((e) => e.includes('[redacted]'))).toBe(true);
		} finally {
			await db.close();
		}
		expect(outputs.length).toBeGreaterThan(20);
	});
});
