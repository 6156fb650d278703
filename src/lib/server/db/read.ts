/**
 * Reading raw SQL results the same way on both engines. Typed drizzle selects (db.select().from(table))
 * decode through the schema and need none of this; a hand-written query (`db.execute(sql`…`)`) does not,
 * and the two drivers answer differently:
 *  - the result: PGlite returns `{ rows }`, postgres.js an array;
 *  - bigint, numeric and count(*)::bigint: postgres.js returns a string, PGlite a number;
 *  - json/jsonb: an object from PGlite, an object or a string from postgres.js (a `::text` cast always
 *    gives a string — queries that build a JSON array in SQL cast to text and decode here);
 *  - text[]: an array, or Postgres' `{a,b}` literal where the driver has no parser for the type;
 *  - timestamptz: queries select `extract(epoch from t)::float8 * 1000` (a number on both) and turn it into
 *    an ISO string here, so no time goes through a driver's Date parsing or the session time zone.
 */
import type { SQL } from 'drizzle-orm';
import type { Db } from './types.ts';

/** Rows of a raw query on either engine. */
export async function rows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
	const result = (await db.execute(query)) as unknown;
	if (Array.isArray(result)) return result as T[];
	return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** A number column (int8 and numeric arrive as strings from postgres.js). */
export function num(v: number | string | bigint): number {
	return Number(v);
}

/** A nullable number column: null stays null (Number(null) would be 0). */
export function numOrNull(v: number | string | bigint | null | undefined): number | null {
	return v === null || v === undefined ? null : Number(v);
}

/** A json/jsonb value, whether the driver parsed it or handed over its text. */
export function json<T>(v: T | string): T;
export function json<T>(v: T | string | null | undefined): T | null;
export function json<T>(v: T | string | null | undefined): T | null {
	if (v === null || v === undefined) return null;
	return typeof v === 'string' ? (JSON.parse(v) as T) : v;
}

/** A text[] column: an array, or Postgres' '{a,b}' literal. */
export function textList<T extends string>(v: T[] | string | null | undefined): T[] {
	if (v === null || v === undefined) return [];
	if (Array.isArray(v)) return v;
	const inner = v.replace(/^\{|\}$/g, '');
	return (inner ? inner.split(',') : []) as T[];
}

/** ISO time of an `extract(epoch from …) * 1000` column; null for null. */
export function isoFromMs(ms: number | string | null | undefined): string | null {
	return ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString();
}
