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

/** A string, or a number turned into one (ids). */
export const str = z
	.union([
		z.string(),
		z.null(),
		z
			.number()
			.finite()
			.transform((v) => String(v))
	])
	.optional();

export function capText(value: string, max: number): string {
	// Control characters in provider text would garble logs and tables.
	// eslint-disable-next-line no-control-regex
	const clean = value.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
	return clean.length > max ? clean.slice(0, max - 1) + '…' : clean;
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
			const key = capText(name, MAX_NAME_LENGTH) || '(empty name)';
			unmapped[key] = (unmapped[key] ?? 0) + 1;
		},
		add(offer) {
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
			tally.offers.push(offer);
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
