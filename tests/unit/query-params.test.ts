/**
 * The one rule for a repeated query parameter (src/lib/input/params.ts) as each parser applies it: the
 * offer filters (/api/offers, compare, GPU pages) and the estimate request (/estimate, /api/estimate)
 * name the parameter, whichever value came first or last. The routes: tests/integration/offers-api.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parseEstimateQuery } from '../../src/lib/estimate/request.ts';
import { repeatedMessage, repeatedParam } from '../../src/lib/input/params.ts';
import { compareQuerySchema, offersQuerySchema, parseQuery } from '../../src/lib/offers/filters.ts';

describe('repeated query parameters', () => {
	it('finds the first of the names given more than once, ignoring others', () => {
		const q = new URLSearchParams('a=1&b=2&b=3&x=1&x=2');
		expect(repeatedParam(q, ['a', 'b'])).toBe('b');
		expect(repeatedParam(q, ['a'])).toBeNull();
		expect(repeatedMessage('gpu')).toBe('Parameter gpu is repeated');
	});

	it('the offer filters refuse a repeated parameter, even with equal or valid values', () => {
		for (const [query, param] of [
			['gpu=h100-sxm&gpu=h100-sxm', 'gpu'],
			['provider=vastai&limit=5&provider=runpod', 'provider'],
			['minVramGb=24&minVramGb=', 'minVramGb']
		] as const) {
			expect(parseQuery(offersQuerySchema, new URLSearchParams(query))).toEqual({
				ok: false,
				param,
				message: `Parameter ${param} is repeated`
			});
		}
		expect(parseQuery(compareQuerySchema, new URLSearchParams('sort=gpu&sort=vram'))).toMatchObject({
			ok: false,
			param: 'sort'
		});
		// an unknown parameter is not the filters' business, repeated or not
		expect(parseQuery(offersQuerySchema, new URLSearchParams('utm=a&utm=b')).ok).toBe(true);
	});

	it('the estimate request names the repeated field', () => {
		const parsed = parseEstimateQuery(new URLSearchParams('gpu=h100-sxm&gpu=a100-sxm4-80gb'));
		expect(parsed.ok).toBe(false);
		expect(JSON.stringify(parsed)).toContain('Parameter gpu is repeated');
	});
});
