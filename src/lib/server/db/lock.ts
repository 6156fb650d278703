/**
 * PGlite takes no lock on its data directory: two processes on one directory corrupt it silently
 * (docs/stack.md#pglite-lock). The app takes an exclusive lock file in DATA_DIR before opening it;
 * a second process stops with a clear message. A lock left by a killed process is detected (its pid
 * is gone) and taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'dashboard.lock';

export class DataDirLockedError extends Error {
	readonly dataDir: string;
	readonly pid: number;
	constructor(dataDir: string, pid: number) {
		super(
			`DATA_DIR ${dataDir} is already in use by process ${pid} on this machine. ` +
				`PGlite cannot share a data directory between processes: stop that process first, ` +
				`or set DATA_DIR to another directory (or DATABASE_URL to a Postgres server).`
		);
		this.name = 'DataDirLockedError';
		this.dataDir = dataDir;
		this.pid = pid;
	}
}

export interface DataDirLock {
	path: string;
	release(): void;
}

interface LockInfo {
	pid: number;
	host: string;
	startedAt: string;
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function readInfo(path: string): LockInfo | undefined {
	try {
		return JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
	} catch {
		return undefined;
	}
}

/** Lock files held by this process (a pid match alone may be a previous incarnation with a reused pid). */
const held = new Set<string>();

export function acquireDataDirLock(dataDir: string): DataDirLock {
	mkdirSync(dataDir, { recursive: true });
	const path = join(dataDir, LOCK_FILE);
	if (held.has(path)) throw new DataDirLockedError(dataDir, process.pid);
	const me: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			const fd = openSync(path, 'wx');
			writeSync(fd, JSON.stringify(me));
			closeSync(fd);
			held.add(path);
			let released = false;
			const release = () => {
				if (released) return;
				released = true;
				held.delete(path);
				process.off('exit', release);
				if (readInfo(path)?.pid === me.pid) {
					try {
						unlinkSync(path);
					} catch {
						/* already gone */
					}
				}
			};
			process.on('exit', release);
			return { path, release };
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
			const info = readInfo(path);
			// A half-written lock (the other process is between open and write) counts as held.
			if (!info) {
				if (attempt < 2) {
					Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
					continue;
				}
				throw new DataDirLockedError(dataDir, -1);
			}
			if (info.host === me.host && info.pid !== me.pid && isAlive(info.pid)) {
				throw new DataDirLockedError(dataDir, info.pid);
			}
			if (info.host !== me.host) {
				// Another machine on a shared disk: we cannot tell whether it still runs. Refuse.
				throw new DataDirLockedError(dataDir, info.pid);
			}
			// Stale: the process that wrote it is gone (or it is us, re-opening). Take it over.
			try {
				unlinkSync(path);
			} catch {
				/* raced with another taker: retry */
			}
		}
	}
	throw new DataDirLockedError(dataDir, readInfo(path)?.pid ?? -1);
}

/** Without taking it: the error a lock attempt would raise now, if the directory is held by a live process. */
export function checkDataDirLock(dataDir: string): DataDirLockedError | undefined {
	const info = readInfo(join(dataDir, LOCK_FILE));
	if (!info) return undefined;
	if (info.host !== hostname()) return new DataDirLockedError(dataDir, info.pid);
	if (info.pid !== process.pid && isAlive(info.pid)) return new DataDirLockedError(dataDir, info.pid);
	return undefined;
}
