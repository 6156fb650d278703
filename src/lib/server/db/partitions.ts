/**
 * Monthly range partitions of the time-series tables (native declarative partitioning, same SQL on
 * PGlite and on a Postgres server). Partitions are created ahead of the writes that need them; a
 * DEFAULT partition (created by the migration) catches anything else so a write never fails for
 * want of a partition. Retention drops whole partitions (cheap) — see retention in the poller.
 */
import { sql } from 'drizzle-orm';
import type { Db } from './index.ts';
import { rows } from './index.ts';

/** The partitioned tables and their partition key. */
export const PARTITIONED = { price_aggregates: 'observed_at', price_history: 't' } as const;
export type PartitionedTable = keyof typeof PARTITIONED;

/** Partitions known to exist, per database handle. */
const createdByDb = new WeakMap<Db, Set<string>>();

function monthStart(d: Date): Date {
	return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

function partitionName(table: PartitionedTable, month: Date): string {
	const m = String(month.getUTCMonth() + 1).padStart(2, '0');
	return `${table}_${month.getUTCFullYear()}_${m}`;
}

/**
 * Ensures a partition exists for every month touching [from, to] in each partitioned table.
 * Idempotent and safe to race (another instance creating the same partition is fine).
 */
export async function ensureMonthlyPartitions(
	db: Db,
	from: Date,
	to: Date,
	tables: PartitionedTable[] = Object.keys(PARTITIONED) as PartitionedTable[]
): Promise<void> {
	if (to < from) return;
	let created = createdByDb.get(db);
	if (!created) createdByDb.set(db, (created = new Set()));
	for (const table of tables) {
		for (
			let m = monthStart(from);
			m <= to;
			m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))
		) {
			const name = partitionName(table, m);
			if (created.has(name)) continue;
			const next = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1));
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
	const key = PARTITIONED[table];
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

/** Monthly partitions of a table whose whole range ends before `before` (candidates for dropping). */
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
			const m = /_(\d{4})_(\d{2})$/.exec(name);
			if (!m) return false;
			const end = new Date(Date.UTC(Number(m[1]), Number(m[2]), 1));
			return end <= before;
		})
		.sort();
}
