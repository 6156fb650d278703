/**
 * `npm test`: unit + database suites (vitest; the database suite runs on PGlite, and also on a real
 * Postgres server when TEST_DATABASE_URL is set), then the browser suite (Playwright driving Debian
 * Chromium). Without Chromium the browser suite is skipped loudly — unless CI is set, where a missing
 * browser is a failure. Ends with a plain "N passed, N failed" line.
 */
import './lib/node-version.ts';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/build.ts';
import { countReports } from './lib/reports.ts';

const reports = join(ROOT, '.test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const ci = Boolean(process.env.CI) && process.env.CI !== '0' && process.env.CI !== 'false';
const extra = process.argv.slice(2);

function run(cmd: string[], env: Record<string, string> = {}): number {
	const res = spawnSync(process.execPath, cmd, {
		cwd: ROOT,
		stdio: 'inherit',
		env: { ...process.env, ...env }
	});
	return res.status ?? 1;
}

console.log(
	`\n== unit + database tests (engines: PGlite${process.env.TEST_DATABASE_URL ? ' + Postgres (TEST_DATABASE_URL)' : ''}) ==`
);
const vitestCode = run([
	join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
	'run',
	'--reporter=default',
	'--reporter=json',
	`--outputFile.json=${join(reports, 'vitest.json')}`,
	...extra
]);

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
let browserCode = 0;
let browserSkipped = false;
if (!existsSync(chromium)) {
	if (ci) {
		console.error(`\n!! CI is set and no Chromium was found at ${chromium}: the browser tests cannot run.`);
		console.error('!! Install it (apt-get install -y chromium) or point CHROMIUM_PATH at a Chromium binary.');
		browserCode = 1;
	} else {
		browserSkipped = true;
		const bar = '#'.repeat(78);
		console.warn(`\n${bar}\n#  BROWSER TESTS SKIPPED: no Chromium at ${chromium}.`);
		console.warn('#  Enable them: apt-get install -y chromium   (or set CHROMIUM_PATH=/path/to/chromium)');
		console.warn(`#  With CI set, a missing browser fails the run instead.\n${bar}\n`);
	}
} else {
	console.log('\n== browser tests (Playwright + Chromium) ==');
	browserCode = run(
		[join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', '--reporter=list,json'],
		{
			PLAYWRIGHT_JSON_OUTPUT_NAME: join(reports, 'playwright.json')
		}
	);
}

const { passed, failed } = countReports(reports);
if (browserSkipped) console.warn('(browser tests skipped — see above)');
console.log(`${passed} passed, ${failed} failed`);
process.exit(vitestCode !== 0 || browserCode !== 0 || failed > 0 ? 1 : 0);
