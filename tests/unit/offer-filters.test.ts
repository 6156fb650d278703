/**
 * Query-string parsing for the compare page, the GPU page and GET /api/offers (an invalid value names
 * its parameter), the CSV writer (quoting, formula-looking provider text kept as text), and the display
 * helpers (cents from $1 up, relative ages).
 */
import { describe, expect, it } from 'vitest';
import { formatUsd } from '../../src/lib/format/money.ts';
import { timeAgo } from '../../src/lib/format/common.ts';
import {
	compareQuerySchema,
	filtersToParams,
	offersQuerySchema,
	parseQuery
} from '../../src/lib/offers/filters.ts';
import { offersToCsv } from '../../src/lib/server/offers/csv.ts';

const parse = (q: string) => parseQuery(offersQuerySchema, new URLSearchParams(q));

describe('offer filters', () => {
	it('reads every filter, treating empty form fields as unset', () => {
		expect(
			parse(
				'gpu=h100-sxm&minVramGb=80&gpuCount=8&pricing=spot&cloud=secure&provider=vastai&region=US&available=1&limit=10&format=csv'
			)
		).toEqual({
			ok: true,
			value: {
				gpu: 'h100-sxm',
				minVramGb: 80,
				gpuCount: 8,
				pricing: 'spot',
				cloud: 'secure',
				provider: 'vastai',
				region: 'US',
				available: true,
				limit: 10,
				format: 'csv'
			}
		});
		expect(parse('gpu=&minVramGb=&pricing=&available=')).toEqual({ ok: true, value: {} });
		expect(parse('available=false')).toEqual({ ok: true, value: { available: false } });
		expect(parse('unknown=1')).toEqual({ ok: true, value: {} });
	});

	it.each([
		['limit=0', 'limit'],
		['limit=5001', 'limit'],
		['limit=1.5', 'limit'],
		['gpuCount=two', 'gpuCount'],
		['minVramGb=-1', 'minVramGb'],
		['pricing=reserved', 'pricing'],
		['cloud=private', 'cloud'],
		['provider=aws', 'provider'],
		['gpu=H100 SXM', 'gpu'],
		['region=' + 'x'.repeat(65), 'region'],
		['available=perhaps', 'available'],
		['format=xml', 'format']
	])('refuses %s naming %s', (q, param) => {
		const r = parse(q);
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.param).toBe(param);
			expect(r.message.length).toBeGreaterThan(3);
		}
	});

	it('accepts the compare sorts and rebuilds a query string without unset filters', () => {
		expect(parseQuery(compareQuerySchema, new URLSearchParams('sort=onDemand&dir=desc'))).toEqual({
			ok: true,
			value: { sort: 'onDemand', dir: 'desc' }
		});
		expect(parseQuery(compareQuerySchema, new URLSearchParams('sort=cheapest')).ok).toBe(false);
		expect(filtersToParams({ gpu: 'l4', available: true, pricing: undefined, region: '' }).toString()).toBe(
			'gpu=l4&available=1'
		);
	});
});

describe('CSV', () => {
	it('quotes commas and quotes, and keeps formula-looking provider text as text', () => {
		const csv = offersToCsv([
			{
				provider: 'vastai',
				gpu: 'rtx-4090',
				gpuName: '=HYPERLINK("x")',
				region: 'Texas, US',
				pricePerGpuHourUsd: 0.25
			}
		]);
		const [header, row] = csv.split('\r\n');
		expect(header!.split(',')).toContain('pricePerGpuHourUsd');
		expect(row).toContain(`"'=HYPERLINK(""x"")"`);
		expect(row).toContain('"Texas, US"');
		expect(row).toContain(',0.25,');
	});
});

describe('display helpers', () => {
	it.each([
		[2.1, '$2.10'],
		[0.2466759, '$0.247'],
		[17.07, '$17.07'],
		[null, '—']
	])('formats %j as %s', (v, s) => {
		expect(formatUsd(v)).toBe(s);
	});

	it.each([
		[10, 'just now'],
		[4 * 60, '4 min ago'],
		[3 * 3600, '3 h ago'],
		[3 * 86400, '3 d ago']
	])('says %i s ago as %s', (seconds, text) => {
		const now = Date.parse('2026-08-25T12:00:00Z');
		expect(timeAgo(new Date(now - seconds * 1000).toISOString(), now)).toBe(text);
	});
});
