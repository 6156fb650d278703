/**
 * The running app: configuration, the open database and the background jobs, created once per
 * server process by the `init` hook and closed on shutdown. Routes reach it through getApp().
 */
import { loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './db/index.ts';

export interface App {
	config: Config;
	database: Database;
	startedAt: Date;
	/** stop background jobs and close the database */
	stop(): Promise<void>;
}

/** Hooks run after the database is open (e.g. the archive bootstrap, the poller); each returns a stopper. */
export type StartHook = (app: App) => Promise<(() => Promise<void> | void) | void>;

let current: App | undefined;
let starting: Promise<App> | undefined;

export function getApp(): App {
	if (!current) throw new Error('[app] not started');
	return current;
}

export function startApp(
	env: Record<string, string | undefined> = process.env,
	hooks: StartHook[] = []
): Promise<App> {
	if (current) return Promise.resolve(current);
	starting ??= (async () => {
		const config = loadConfig(env);
		const database = await openDatabase({
			url: config.databaseUrl,
			dataDir: config.dataDir,
			poolMax: config.databasePoolMax
		});
		const stoppers: (() => Promise<void> | void)[] = [];
		let stopped = false;
		const app: App = {
			config,
			database,
			startedAt: new Date(),
			async stop() {
				if (stopped) return;
				stopped = true;
				for (const stop of stoppers.reverse()) {
					try {
						await stop();
					} catch (err) {
						console.error('[app] error while stopping:', err);
					}
				}
				await database.close();
				current = undefined;
				starting = undefined;
			}
		};
		try {
			for (const hook of hooks) {
				const stop = await hook(app);
				if (stop) stoppers.push(stop);
			}
		} catch (err) {
			await app.stop();
			throw err;
		}
		current = app;
		return app;
	})();
	return starting.catch((err) => {
		starting = undefined;
		throw err;
	});
}
