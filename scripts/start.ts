/**
 * `npm start`: validate the configuration, build when there is no current build, then serve the built
 * app in this process (no wrapper child, so SIGTERM reaches the server and it shuts down cleanly).
 */
import './lib/node-version.ts';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from '../src/lib/server/config.ts';
import { checkDataDirLock } from '../src/lib/server/db/lock.ts';
import { ensureBuild, ROOT } from './lib/build.ts';

let config;
try {
	config = loadConfig(process.env);
} catch (err) {
	if (err instanceof ConfigError) {
		console.error(`[start] ${err.message}`);
		process.exit(1);
	}
	throw err;
}

if (!config.databaseUrl) {
	// Fail before a (slow) build when another process already serves this data directory.
	const holder = checkDataDirLock(resolve(config.dataDir));
	if (holder) {
		console.error(`[start] ${holder.message}`);
		process.exit(1);
	}
}

try {
	ensureBuild();
} catch (err) {
	console.error(`[start] ${(err as Error).message}`);
	process.exit(1);
}

// adapter-node reads these; defaults chosen for this app (see README, Configuration).
process.env.PORT = String(config.port);
process.env.HOST = config.host;
process.env.SHUTDOWN_TIMEOUT ??= '3';
process.env.BODY_SIZE_LIMIT ??= '64K';

await import(pathToFileURL(join(ROOT, 'build', 'index.js')).href);
