/**
 * The scripts (`npm run poll`, `npm run import`, `npm start`) run the server modules with plain Node, not
 * Vite: the `#adapters/*` and `#catalog/*` imports must resolve there through package.json "imports"
 * (https://nodejs.org/api/packages.html#subpath-imports). A SvelteKit-only alias (`$lib/…`) in a module
 * the scripts load passes every vitest run and breaks these commands; this runs them as Node does.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

describe('plain Node resolves the import aliases', () => {
	it('loads the adapters registry and the GPU catalog through #adapters and #catalog', async () => {
		const code =
			"const a = await import('#adapters/index.ts'); const c = await import('#catalog/gpus.ts');" +
			"console.log(Object.keys(a.ADAPTERS).join(','), c.gpuBySlug('h100-sxm').name)";
		const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT });
		expect(stdout.trim()).toBe('vastai,runpod,lambda H100 SXM 80GB');
	});

	it('starts the archive importer script (server modules, the archive parser, adapters, catalog)', async () => {
		const { stdout } = await run(process.execPath, ['scripts/import.ts', '--help'], { cwd: ROOT });
		expect(stdout).toMatch(/usage: npm run import -- FILE/);
	});
});
