/** Spawns the real built server (`node scripts/start.ts`) as a child process on a free loopback port. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

export async function freePort(): Promise<number> {
	return new Promise((ok, fail) => {
		const s = createServer();
		s.unref();
		s.on('error', fail);
		s.listen(0, '127.0.0.1', () => {
			const addr = s.address();
			s.close(() => (typeof addr === 'object' && addr ? ok(addr.port) : fail(new Error('no port'))));
		});
	});
}

export interface RunningServer {
	url: string;
	port: number;
	proc: ChildProcess;
	output(): string;
	/** resolves with the exit code once the process ended */
	exited: Promise<number | null>;
	stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface SpawnResult {
	proc: ChildProcess;
	output(): string;
	exited: Promise<number | null>;
}

/** Spawns `node <script>` with a clean environment plus `env`. */
export function spawnScript(script: string, args: string[], env: Record<string, string>): SpawnResult {
	const clean: Record<string, string> = {};
	for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[k]) clean[k] = process.env[k]!;
	const proc = spawn(process.execPath, [resolve(ROOT, script), ...args], {
		cwd: ROOT,
		env: { ...clean, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	proc.stdout!.on('data', (d) => (out += d));
	proc.stderr!.on('data', (d) => (out += d));
	const exited = new Promise<number | null>((ok) => proc.on('exit', (code) => ok(code)));
	return { proc, output: () => out, exited };
}

/**
 * Starts the server on env.PORT, or on a free port: a port found free can be taken by another process
 * before the server binds it, so on EADDRINUSE it starts again on another one (a few times).
 */
export async function startServer(env: Record<string, string>, timeoutMs = 90_000): Promise<RunningServer> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await startServerOn(env.PORT ? Number(env.PORT) : await freePort(), env, timeoutMs);
		} catch (err) {
			if (env.PORT || attempt >= 5 || !(err instanceof PortTakenError)) throw err;
		}
	}
}

class PortTakenError extends Error {}

async function startServerOn(
	port: number,
	env: Record<string, string>,
	timeoutMs: number
): Promise<RunningServer> {
	const child = spawnScript('scripts/start.ts', [], {
		HOST: '127.0.0.1',
		POLL_INTERVAL_MINUTES: '0',
		ARCHIVE_IMPORT: '0',
		...env,
		PORT: String(port)
	});
	const started = Date.now();
	for (;;) {
		if (/Listening on/.test(child.output())) break;
		if (child.proc.exitCode !== null) {
			if (/EADDRINUSE/.test(child.output())) throw new PortTakenError(`port ${port} taken`);
			throw new Error(`server exited (${child.proc.exitCode}) before listening:\n${child.output()}`);
		}
		if (Date.now() - started > timeoutMs) {
			child.proc.kill('SIGKILL');
			throw new Error(`server did not listen within ${timeoutMs} ms:\n${child.output()}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		proc: child.proc,
		output: child.output,
		exited: child.exited,
		async stop(signal = 'SIGTERM') {
			if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill(signal);
			return child.exited;
		}
	};
}
