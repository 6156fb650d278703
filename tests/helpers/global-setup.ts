/**
 * Once per `vitest run` of the db project: build a migrated PGlite template (tests load it instead of
 * paying for initdb per file) and make sure the production build is current (integration tests spawn
 * the real server).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/lib/server/db/index.ts';
import { ensureBuild } from '../../scripts/lib/build.ts';

export default async function setup(project: TestProject) {
	const dir = mkdtempSync(join(tmpdir(), 'gpu-dash-template-'));
	const database = await openDatabase({ memory: true });
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	const client = (database.db as any).$client as { dumpDataDir(c: 'none'): Promise<Blob> };
	const dump = await client.dumpDataDir('none');
	await database.close();
	const path = join(dir, 'template.tar');
	writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
	project.provide('pgliteTemplate', path);
	ensureBuild((m) => console.log(m));
	return () => rmSync(dir, { recursive: true, force: true });
}
