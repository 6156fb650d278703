/**
 * "Is there a current build?" — a build is current when build/.build-stamp holds the hash of every input
 * of `vite build` (sources, static files, configs, the lockfile). Otherwise build, then write the stamp.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const INPUT_DIRS = ['src', 'adapters', 'static'];
const INPUT_FILES = ['svelte.config.js', 'vite.config.ts', 'tsconfig.json', 'package-lock.json'];
const STAMP = join(ROOT, 'build', '.build-stamp');

function walk(dir: string, out: string[]): void {
	if (!existsSync(dir)) return;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const p = join(dir, entry.name);
		if (entry.isDirectory()) walk(p, out);
		else if (entry.isFile()) out.push(p);
	}
}

export function inputHash(): string {
	const files: string[] = [];
	for (const d of INPUT_DIRS) walk(join(ROOT, d), files);
	for (const f of INPUT_FILES) if (existsSync(join(ROOT, f))) files.push(join(ROOT, f));
	files.sort();
	const hash = createHash('sha256');
	for (const f of files) {
		hash.update(relative(ROOT, f));
		hash.update('\0');
		hash.update(readFileSync(f));
		hash.update('\0');
	}
	return hash.digest('hex');
}

export function buildIsCurrent(): boolean {
	if (!existsSync(join(ROOT, 'build', 'index.js')) || !existsSync(STAMP)) return false;
	return readFileSync(STAMP, 'utf8').trim() === inputHash();
}

/** Builds when there is no current build. Returns true when it built. */
export function ensureBuild(log: (msg: string) => void = console.log): boolean {
	if (buildIsCurrent()) return false;
	const hash = inputHash();
	log('[start] no current build: running vite build (about a minute) …');
	const started = Date.now();
	const res = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
		cwd: ROOT,
		stdio: ['ignore', 'inherit', 'inherit'],
		env: { ...process.env, NODE_ENV: 'production' }
	});
	if (res.status !== 0) {
		throw new Error(`vite build failed (exit ${res.status ?? res.signal})`);
	}
	writeFileSync(STAMP, hash + '\n');
	log(`[start] built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return true;
}

export function buildMtime(): number {
	return existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
}
