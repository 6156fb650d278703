import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/lib/server/db/index.ts';
import { schema } from '../../src/lib/server/db/index.ts';
import { ensurePartitions, partitionsEndingBefore } from '../../src/lib/server/db/partitions.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/db.ts';

describe.each(ENGINES)('database on %s', (engine) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(engine);
	});
	afterAll(async () => {
		await database?.destroy();
	});

	it('applies every migration and creates the tables', async () => {
		const tables = await rows<{ name: string }>(
			database.db,
			sql`select tablename as name from pg_tables where schemaname = 'public'`
		);
		const names = tables.map((t) => t.name);
		for (const t of ['poll_runs', 'snapshots', 'offers', 'archive_imports', 'alert_watches', 'meta']) {
			expect(names).toContain(t);
		}
		const journal = await rows<{ n: number }>(
			database.db,
			sql`select count(*)::int as n from drizzle.__drizzle_migrations`
		);
		expect(journal[0]?.n).toBeGreaterThan(0);
	});

	it('reports the engine it runs on', async () => {
		expect(database.engine).toBe(engine);
		const [v] = await rows<{ v: string }>(database.db, sql`select version() as v`);
		expect(v?.v).toMatch(/PostgreSQL/);
	});

	it('partitions the time-series tables by month and routes rows to the right partition', async () => {
		const t = new Date('2031-03-15T12:00:00Z');
		await ensurePartitions(database.db, t, t);
		await database.db.insert(schema.priceHistory).values({
			gpu: 'h100-sxm',
			resolution: 'day',
			provider: 'vastai',
			pricing: 'on_demand',
			cloud: '',
			source: 'live',
			t,
			minUsd: 1.5,
			medianUsd: 2,
			maxUsd: 2.5,
			n: 3
		});
		const [row] = await rows<{ part: string }>(
			database.db,
			sql`select tableoid::regclass::text as part from price_history where t = ${t.toISOString()}::timestamptz`
		);
		expect(row?.part).toBe('price_history_2031_03');
		const old = await partitionsEndingBefore(database.db, 'price_history', new Date('2031-04-01T00:00:00Z'));
		expect(old).toContain('price_history_2031_03');
		expect(old).not.toContain('price_history_default');
	});

	it('moves rows that landed in the default partition when their month gets a partition', async () => {
		const t = new Date('2032-07-02T00:00:00Z');
		await database.db.insert(schema.priceHistory).values({
			gpu: 'a100-sxm-80gb',
			resolution: 'day',
			provider: 'runpod',
			pricing: 'spot',
			cloud: 'secure',
			source: 'archive',
			t,
			minUsd: 1,
			medianUsd: 1,
			maxUsd: 1,
			n: 1
		});
		await ensurePartitions(database.db, t, t);
		const [row] = await rows<{ part: string; n: number }>(
			database.db,
			sql`select tableoid::regclass::text as part, count(*) over ()::int as n from price_history where t = ${t.toISOString()}::timestamptz`
		);
		expect(row).toEqual({ part: 'price_history_2032_07', n: 1 });
	});

	it('returns plain numbers for counts and doubles on both engines', async () => {
		const [r] = await rows<{ n: number; d: number }>(database.db, sql`select 3::int as n, 1.25::float8 as d`);
		expect(r).toEqual({ n: 3, d: 1.25 });
	});

	it('gives an advisory lock to one holder at a time', async () => {
		const outer = await database.tryWithLock(424242, async () => {
			// On Postgres a second session must be refused; PGlite is a single session (re-entrant lock).
			if (engine === 'postgres') {
				const inner = await database.tryWithLock(424242, async () => 'inner');
				return inner.acquired;
			}
			return false;
		});
		expect(outer).toEqual({ acquired: true, value: false });
		const again = await database.tryWithLock(424242, async () => 'again');
		expect(again).toEqual({ acquired: true, value: 'again' });
	});
});
