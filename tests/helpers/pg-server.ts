/**
 * A throwaway PostgreSQL server of our own (initdb in a temp dir, a free loopback port), for tests that
 * must stop and start the server. Uses the Debian binaries (/usr/lib/postgresql/N/bin); as root it runs
 * them as the `postgres` user (initdb refuses root).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server.ts';

export function findPgBin(): string | undefined {
	const base = '/usr/lib/postgresql';
	if (!existsSync(base)) return undefined;
	const versions = readdirSync(base)
		.filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions[0] ? join(base, versions[0], 'bin') : undefined;
}

export interface PgServer {
	url: string;
	port: number;
	start(): void;
	stop(): void;
	destroy(): void;
}

function pgUid(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
	const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
	return { uid, gid };
}

export async function createPgServer(): Promise<PgServer> {
	const bin = findPgBin();
	if (!bin) throw new Error('no PostgreSQL server binaries in /usr/lib/postgresql/*/bin');
	const dir = mkdtempSync(join(tmpdir(), 'gpu-dash-pg-'));
	const owner = pgUid();
	if (owner) chownSync(dir, owner.uid, owner.gid);
	const run = (cmd: string, args: string[]) =>
		execFileSync(join(bin, cmd), args, {
			stdio: 'pipe',
			...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
			env: { ...process.env, LC_ALL: 'C' }
		});
	run('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust']);
	const port = await freePort();
	const server: PgServer = {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		port,
		start() {
			run('pg_ctl', [
				'-D',
				join(dir, 'data'),
				'-w',
				'-l',
				join(dir, 'server.log'),
				'-o',
				`-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
				'start'
			]);
		},
		stop() {
			run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
		},
		destroy() {
			try {
				server.stop();
			} catch {
				/* not running */
			}
			rmSync(dir, { recursive: true, force: true });
		}
	};
	server.start();
	return server;
}
