/**
 * Range partitions of the time-series tables (native declarative partitioning, same SQL on PGlite and
 * on a Postgres server). Partitions are created ahead of the writes that need them; a DEFAULT
 * partition (created by the migration) catches anything else so a write never fails for want of a
 * partition. Retention drops whole partitions (cheap, returns the space at once) — see src/lib/server/history/retention.ts.
 *
 * Granularity follows retention: price_aggregates (per-poll, full key: thousands of rows per poll, kept
 * a few days) by DAY, so expired days are dropped whole and never leave deleted rows behind;
 * price_history (series-level, hour/day points kept for good) by MONTH.
 */
import { sql } from 'drizzle-orm';
import { rows } from './read.ts';
import type { Db } from './types.ts';

/** The partitioned tables, their partition key and partition size. */
export const PARTITIONED = {
	price_aggregates: { key: 'observed_at', by: 'day' },
	price_history: { key: 't', by: 'month' }
} as const;
export type PartitionedTable = keyof typeof PARTITIONED;

/** Partitions known to exist, per database handle. */
const createdByDb = new WeakMap<Db, Set<string>>();

type Unit = 'day' | 'month';

function unitStart(d: Date, by: Unit): Date {
	return by === 'day'
		? new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()))
		: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

function nextUnit(d: Date, by: Unit): Date {
	return by === 'day'
		? new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1))
		: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
}

/** price_history_2026_11 (month), price_aggregates_2026_11_27 (day) */
function partitionName(table: PartitionedTable, start: Date): string {
	const m = String(start.getUTCMonth() + 1).padStart(2, '0');
	const base = `${table}_${start.getUTCFullYear()}_${m}`;
	return PARTITIONED[table].by === 'day' ? `${base}_${String(start.getUTCDate()).padStart(2, '0')}` : base;
}

/**
 * Ensures a partition exists for every month (or day) touching [from, to] in each partitioned table.
 * Idempotent and safe to race (another instance creating the same partition is fine).
 */
export async function ensurePartitions(
	db: Db,
	from: Date,
	to: Date,
	tables: PartitionedTable[] = Object.keys(PARTITIONED) as PartitionedTable[]
): Promise<void> {
	if (to < from) return;
	let created = createdByDb.get(db);
	if (!created) createdByDb.set(db, (created = new Set()));
	for (const table of tables) {
		const by = PARTITIONED[table].by;
		for (let m = unitStart(from, by); m <= to; m = nextUnit(m, by)) {
			const name = partitionName(table, m);
			if (created.has(name)) continue;
			const next = nextUnit(m, by);
			const exists = await rows<{ n: number }>(
				db,
				sql`select count(*)::int as n from pg_class where relname = ${name}`
			);
			if ((exists[0]?.n ?? 0) === 0) {
				try {
					await createPartition(db, table, name, m, next);
				} catch (err) {
					// Raced with another instance, or rows for that month already sit in the default partition.
					const again = await rows<{ n: number }>(
						db,
						sql`select count(*)::int as n from pg_class where relname = ${name}`
					);
					if ((again[0]?.n ?? 0) === 0) {
						await movePartitionFromDefault(db, table, name, m, next).catch(() => {
							throw err;
						});
					}
				}
			}
			created.add(name);
		}
	}
}

async function createPartition(db: Db, table: PartitionedTable, name: string, from: Date, to: Date) {
	await db.execute(
		sql.raw(
			`create table if not exists "${name}" partition of "${table}" ` +
				`for values from ('${from.toISOString()}') to ('${to.toISOString()}')`
		)
	);
}

/** Rows of that month already in the default partition: move them into a new monthly partition. */
async function movePartitionFromDefault(db: Db, table: PartitionedTable, name: string, from: Date, to: Date) {
	const key = PARTITIONED[table].key;
	const f = from.toISOString();
	const t = to.toISOString();
	await db.transaction(async (tx) => {
		await tx.execute(
			sql.raw(
				`create temp table _move on commit drop as select * from "${table}_default" where "${key}" >= '${f}' and "${key}" < '${t}'`
			)
		);
		await tx.execute(
			sql.raw(`delete from "${table}_default" where "${key}" >= '${f}' and "${key}" < '${t}'`)
		);
		await tx.execute(
			sql.raw(`create table "${name}" partition of "${table}" for values from ('${f}') to ('${t}')`)
		);
		await tx.execute(sql.raw(`insert into "${table}" select * from _move`));
	});
}

/** Partitions of a table whose whole range ends before `before` (candidates for dropping), oldest first. */
export async function partitionsEndingBefore(
	db: Db,
	table: PartitionedTable,
	before: Date
): Promise<string[]> {
	const list = await rows<{ name: string }>(
		db,
		sql`select c.relname as name from pg_inherits i
		    join pg_class c on c.oid = i.inhrelid
		    join pg_class p on p.oid = i.inhparent
		    where p.relname = ${table} and c.relname <> ${table + '_default'}`
	);
	return list
		.map((r) => r.name)
		.filter((name) => {
			const m = /_(\d{4})_(\d{2})(?:_(\d{2}))?$/.exec(name);
			if (!m) return false;
			const end = m[3]
				? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1))
				: new Date(Date.UTC(Number(m[1]), Number(m[2]), 1));
			return end <= before;
		})
		.sort();
}
