/**
 * `npm run migrate`: apply the database migrations and exit — for a deploy step that migrates before the
 * new app instances start (they would also migrate at start, one at a time under an advisory lock).
 */
import './lib/node-version.ts';
import { ConfigError, loadConfig } from '../src/lib/server/config.ts';
import { openDatabase } from '../src/lib/server/db/index.ts';
import { DataDirLockedError } from '../src/lib/server/db/lock.ts';

try {
	const config = loadConfig(process.env);
	const t0 = Date.now();
	const database = await openDatabase({
		url: config.databaseUrl,
		dataDir: config.dataDir,
		poolMax: 1
	});
	await database.close();
	const where = config.databaseUrl ? 'Postgres (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
	console.log(`[migrate] ${where}: up to date (${Date.now() - t0} ms)`);
} catch (err) {
	if (err instanceof ConfigError || err instanceof DataDirLockedError) {
		console.error(`[migrate] ${err.message}`);
		process.exit(1);
	}
	throw err;
}
