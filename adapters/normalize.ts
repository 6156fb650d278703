/**
 * Helpers shared by the adapters' pure parsers: lenient number coercion, the price sanity rule, and the
 * tally of what was skipped and why.
 */
import { z } from 'zod';
import type { NormalizedOffer, ParseResult } from './types.ts';

/** Issue 3 sanity rule: a price that is not positive, or above $100 per GPU-hour, is rejected and counted. */
export const MAX_PRICE_PER_GPU_HOUR_USD = 100;

/** Provider strings are data: stored and shown length-capped. */
export const MAX_NAME_LENGTH = 80;
export const MAX_REGION_LENGTH = 64;
/** Provider ids (offer, machine and instance-type ids) and short status words. */
export const MAX_REF_LENGTH = 64;

/*
 * Lenient field schemas. Each is a union whose first branch is the common case (a JSON number, a
 * boolean, a string), so a well-formed field costs one check: z.preprocess on every field made parsing a
 * 10,000-offer vast.ai answer ~8× slower (npm run bench). Semantics are those of the preprocessors
 * they replace: numeric strings coerced, '' → null, anything else an issue naming the field.
 */

/** A number that may arrive as a numeric string ("0.25"); null/absent stay null/absent. */
const numericString = z
	.string()
	.trim()
	.transform((s, ctx) => {
		if (s === '') return null;
		const n = Number(s);
		if (!Number.isFinite(n)) {
			ctx.addIssue({ code: 'custom', message: 'expected a number' });
			return z.NEVER;
		}
		return n;
	});
export const num = z.union([z.number().finite(), z.null(), numericString]).optional();

/** A boolean that may arrive as 0/1 or "true"/"false". */
export const bool = z
	.union([
		z.boolean(),
		z.null(),
		z.union([z.literal(0), z.literal(1)]).transform((v) => v === 1),
		z.enum(['true', 'false']).transform((v) => v === 'true')
	])
	.optional();

/** A string, or a number turned into one (ids — vast.ai's are numbers, so that branch comes first). */
export const str = z
	.union([
		z
			.number()
			.finite()
			.transform((v) => String(v)),
		z.string(),
		z.null()
	])
	.optional();

/** Control characters, or any surrogate half (paired or not): the slow path of capText looks closer. */
// eslint-disable-next-line no-control-regex
const NEEDS_CLEANING = /[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/;

/**
 * Provider text as stored and shown: control characters (C0, DEL, C1 — they garble logs and tables, and
 * Postgres refuses NUL) become spaces, a lone UTF-16 surrogate becomes U+FFFD, and the result is cut at
 * `max` characters (never inside a surrogate pair). Markup is left as it is: it is data, and every page
 * renders it escaped.
 */
export function capText(value: string, max: number): string {
	// The common case (a short, clean id or name): one scan, no copies.
	if (value.length <= max && !NEEDS_CLEANING.test(value)) {
		const c0 = value.charCodeAt(0);
		const cN = value.charCodeAt(value.length - 1);
		// trim() would change nothing unless the string starts or ends with whitespace
		if (c0 > 32 && c0 !== 160 && cN > 32 && cN !== 160 && c0 < 0x1680 && cN < 0x1680) return value;
	}
	const clean = value
		// eslint-disable-next-line no-control-regex
		.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
		.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
		.trim();
	if (clean.length <= max) return clean;
	let cut = max - 1;
	if (/[\ud800-\udbff]/.test(clean[cut - 1] ?? '')) cut--;
	return clean.slice(0, cut) + '…';
}

/** An optional provider string, capped; anything empty → null. */
export function capOptional(value: string | null | undefined, max: number): string | null {
	if (value === null || value === undefined) return null;
	return capText(value, max) || null;
}

/**
 * GPUs in one offer. The largest boxes listed are 16 GPUs (vast.ai; the archive's maximum too); the
 * column is a smallint. A count that is not a whole number in 1…64 is a broken item, skipped.
 */
export const MAX_GPUS_PER_OFFER = 64;
/** Distinct unmapped names kept per poll (the rest are counted together): they are stored and shown. */
export const MAX_UNMAPPED_NAMES = 50;
export const OTHER_UNMAPPED = '(other unmapped names)';
/**
 * Spec figures beyond this (GB of RAM or disk, Mbit/s, vCPUs) are not real: stored as unknown rather
 * than as a number that overflows its `real` column and fails the whole snapshot.
 */
const MAX_SPEC_VALUE = 1e9;

const SPEC_FIELDS = ['reliability', 'vcpus', 'ramGb', 'diskGb', 'inetDownMbps', 'inetUpMbps'] as const;

/**
 * Under this a figure is zero: Postgres' `real` cannot hold a subnormal such as 5e-324 (a reliability a host
 * can send) and would refuse the whole snapshot insert ("value out of range: underflow").
 */
const MIN_SPEC_VALUE = 1e-30;

function spec(v: number | null | undefined): number | null {
	if (v === null || v === undefined || !Number.isFinite(v) || v < 0 || v > MAX_SPEC_VALUE) return null;
	return v < MIN_SPEC_VALUE ? 0 : v;
}

export interface Tally {
	offers: NormalizedOffer[];
	itemsSeen: number;
	skip(reason: string, count?: number): void;
	unmapped(name: string): void;
	/** Adds the offer unless its price fails the sanity rule (then counts it as rejected). */
	add(offer: NormalizedOffer): boolean;
	result(): ParseResult;
}

export function createTally(): Tally {
	const skippedReasons: Record<string, number> = {};
	const unmapped: Record<string, number> = {};
	let rejectedPrices = 0;
	const tally: Tally = {
		offers: [],
		itemsSeen: 0,
		skip(reason, count = 1) {
			skippedReasons[reason] = (skippedReasons[reason] ?? 0) + count;
		},
		unmapped(name) {
			let key = capText(name, MAX_NAME_LENGTH) || '(empty name)';
			if (!(key in unmapped) && Object.keys(unmapped).length >= MAX_UNMAPPED_NAMES) key = OTHER_UNMAPPED;
			unmapped[key] = (unmapped[key] ?? 0) + 1;
		},
		add(offer) {
			if (!Number.isInteger(offer.gpuCount) || offer.gpuCount < 1 || offer.gpuCount > MAX_GPUS_PER_OFFER) {
				tally.skip('invalid GPU count');
				return false;
			}
			const ok =
				Number.isFinite(offer.pricePerGpuHourUsd) &&
				Number.isFinite(offer.pricePerHourUsd) &&
				offer.pricePerGpuHourUsd > 0 &&
				offer.pricePerHourUsd > 0 &&
				offer.pricePerGpuHourUsd <= MAX_PRICE_PER_GPU_HOUR_USD;
			if (!ok) {
				rejectedPrices++;
				return false;
			}
			// Spec figures that are not real become unknown (on a copy: the caller's object is left as it is).
			let clean = offer;
			for (const k of SPEC_FIELDS) {
				const v = offer[k];
				if (v === undefined || v === null) continue;
				const fixed = spec(v);
				if (fixed === v) continue;
				if (clean === offer) clean = { ...offer };
				clean[k] = fixed;
			}
			tally.offers.push(clean);
			return true;
		},
		result() {
			return {
				offers: tally.offers,
				itemsSeen: tally.itemsSeen,
				skippedReasons,
				unmapped,
				rejectedPrices
			};
		}
	};
	return tally;
}

/** A short description of why zod refused an item, for the skip reason. */
export function zodReason(error: z.ZodError): string {
	const issue = error.issues[0];
	if (!issue) return 'invalid item';
	const path = issue.path.length ? issue.path.join('.') : 'item';
	return `invalid ${path}`;
}
