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

/** A number that may arrive as a numeric string ("0.25"); null/absent stay null. */
export const num = z.preprocess((v) => {
	if (typeof v === 'string') {
		const t = v.trim();
		return t === '' ? null : Number(t);
	}
	return v;
}, z.number().finite().nullish());

/** A boolean that may arrive as 0/1 or "true"/"false". */
export const bool = z.preprocess((v) => {
	if (v === 0 || v === 1) return v === 1;
	if (v === 'true' || v === 'false') return v === 'true';
	return v;
}, z.boolean().nullish());

/** A string, or a number turned into one (ids); anything else → null. */
export const str = z.preprocess(
	(v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v),
	z.string().nullish()
);

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
