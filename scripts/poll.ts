/**
 * `npm run poll [-- --json]`: one poll cycle over the enabled providers, then a per-provider summary
 * (offers stored, items skipped and why, unmapped names, duration). Exits 0 only when every enabled
 * provider succeeded (a provider disabled for want of a key is not a failure).
 */
import './lib/node-version.ts';
import { ConfigError, loadConfig } from '../src/lib/server/config.ts';
import { openDatabase } from '../src/lib/server/db/index.ts';
import { DataDirLockedError } from '../src/lib/server/db/lock.ts';
import { runAfterEveryPoll } from '../src/lib/server/history-jobs.ts';
import { pollOnce } from '../src/lib/server/poll/poller.ts';
import { type ProviderPollResult } from '../src/lib/server/poll/types.ts';

const asJson = process.argv.includes('--json');

function fail(message: string): never {
	console.error(`[poll] ${message}`);
	process.exit(2);
}

let config;
try {
	config = loadConfig(process.env);
} catch (err) {
	if (err instanceof ConfigError) fail(err.message);
	throw err;
}

let database;
try {
	database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolMax: 4 });
} catch (err) {
	if (err instanceof DataDirLockedError) {
		fail(`${err.message}\nThe running server polls by itself (POLL_INTERVAL_MINUTES).`);
	}
	throw err;
}

// Like the server's scheduler: roll the new points up and evaluate the alert watches after the cycle.
runAfterEveryPoll(asJson ? () => {} : console.log);

let cycle;
try {
	// Progress lines ("vastai: storing N offers") in the text summary; --json prints the document only.
	cycle = await pollOnce(database, config, { log: asJson ? undefined : (line) => console.log(line) });
} finally {
	await database.close();
}

function printText(r: ProviderPollResult): void {
	const head =
		r.status === 'ok'
			? `${r.provider}: ok — ${r.offersStored} offers stored (${
					r.source === 'skypilot-catalog'
						? "stock unknown: list prices from SkyPilot's public catalog"
						: `${r.availableStored} available`
				}) from ${r.offersSeen} items`
			: r.status === 'disabled'
				? `${r.provider}: disabled — ${r.disabledReason}`
				: `${r.provider}: FAILED — ${r.error}`;
	console.log(head);
	if (r.status === 'disabled') return;
	console.log(`  duration: ${(r.durationMs / 1000).toFixed(1)} s, ${r.requests} request(s)`);
	const skipped = Object.entries(r.skippedReasons).sort((a, b) => b[1] - a[1]);
	console.log(`  skipped: ${r.skipped}${skipped.length ? '' : ' (none)'}`);
	for (const [reason, n] of skipped) console.log(`    ${n} × ${reason}`);
	if (r.rejectedPrices) console.log(`  rejected prices (≤ 0 or > $100/GPU-h): ${r.rejectedPrices}`);
	const unmapped = Object.entries(r.unmapped).sort((a, b) => b[1] - a[1]);
	console.log(
		`  unmapped names: ${unmapped.length ? unmapped.map(([n, c]) => `${n} (${c})`).join(', ') : 'none'}`
	);
}

if (asJson) {
	console.log(JSON.stringify(cycle, null, 2));
} else {
	for (const r of cycle.results) printText(r);
}
process.exit(cycle.ok ? 0 : 1);
