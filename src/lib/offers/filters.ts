/**
 * The offer filters shared by the compare page, the GPU page and GET /api/offers, parsed from a query
 * string with zod. An empty value means "not set" (a plain HTML form submits empty fields); anything
 * invalid is reported with the parameter's name (→ 400).
 */
import { z } from 'zod';
import { PROVIDERS } from '#adapters/types.ts';
import { repeatedMessage, repeatedParam } from '../input/params.ts';
import { plainText } from '../input/text.ts';

// The query-string helpers live apart, without zod, for the pages that ship them to the browser.
export { filtersToParams, withoutEmptyParams } from './query-params.ts';

const empty = (v: unknown) => (v === '' || v === null ? undefined : v);

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
	z.preprocess(empty, z.enum(values).optional());

const optionalInt = (min: number, max: number) =>
	z.preprocess(
		empty,
		z
			.string()
			.regex(/^\d+$/, 'expected a whole number')
			.transform(Number)
			.pipe(z.number().int().min(min).max(max))
			.optional()
	);

const optionalNumber = (min: number, max: number) =>
	z.preprocess(
		empty,
		z
			.string()
			.regex(/^\d+(\.\d+)?$/, 'expected a number')
			.transform(Number)
			.pipe(z.number().min(min).max(max))
			.optional()
	);

const optionalBool = z.preprocess(
	empty,
	z
		.enum(['1', '0', 'true', 'false', 'on', 'yes', 'no'], { message: 'expected true or false' })
		.transform((v) => v === '1' || v === 'true' || v === 'on' || v === 'yes')
		.optional()
);

export const offerFilterSchema = z.object({
	gpu: z.preprocess(
		empty,
		z
			.string()
			.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a GPU slug such as h100-sxm')
			.max(40)
			.optional()
	),
	minVramGb: optionalNumber(0, 10_000),
	gpuCount: optionalInt(1, 64),
	pricing: optionalEnum(['on_demand', 'spot'] as const),
	cloud: optionalEnum(['secure', 'community'] as const),
	provider: optionalEnum(PROVIDERS),
	// Provider regions are capped at 64 characters (adapters/normalize.ts MAX_REGION_LENGTH).
	region: z.preprocess(empty, plainText(64).optional()),
	available: optionalBool
});

export type OfferFilters = z.infer<typeof offerFilterSchema>;

export const COMPARE_SORTS = ['catalog', 'gpu', 'vram', 'onDemand', 'spot', 'perf', 'offers'] as const;
export type CompareSort = (typeof COMPARE_SORTS)[number];

export const compareQuerySchema = offerFilterSchema.extend({
	sort: optionalEnum(COMPARE_SORTS),
	dir: optionalEnum(['asc', 'desc'] as const)
});

export const OFFER_SORTS = ['price', 'gpuCount', 'provider', 'region'] as const;

export const offersQuerySchema = offerFilterSchema.extend({
	limit: optionalInt(1, 5000),
	format: optionalEnum(['json', 'csv'] as const),
	sort: optionalEnum(OFFER_SORTS),
	dir: optionalEnum(['asc', 'desc'] as const),
	/** true: trusted offers only, false: untrusted only, unset: both (src/lib/trust.ts) */
	trusted: optionalBool
});

/** The GPU page's offer table: untrusted offers hidden unless `untrusted=show` (a plain link, no JavaScript). */
export const gpuOffersQuerySchema = offersQuerySchema.extend({
	untrusted: optionalEnum(['show', 'hide'] as const)
});

export type ParsedQuery<T> = { ok: true; value: T } | { ok: false; param: string; message: string };

/** Parses URL search params with one of the schemas above; the first problem names its parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, params: URLSearchParams): ParsedQuery<z.infer<S>> {
	const known = Object.keys((schema as unknown as z.ZodObject).shape);
	const repeated = repeatedParam(params, known);
	if (repeated) return { ok: false, param: repeated, message: repeatedMessage(repeated) };
	const raw: Record<string, string> = {};
	for (const key of known) {
		const v = params.get(key);
		if (v !== null) raw[key] = v.trim();
	}
	const parsed = schema.safeParse(raw);
	if (parsed.success) return { ok: true, value: parsed.data };
	const issue = parsed.error.issues[0]!;
	const param = String(issue.path[0] ?? 'query');
	const message =
		issue.code === 'invalid_value' || issue.code === 'invalid_type'
			? `invalid value ${JSON.stringify(raw[param] ?? '')}${'values' in issue ? ` (expected one of ${(issue.values as unknown[]).join(', ')})` : ''}`
			: issue.message;
	return { ok: false, param, message };
}
