/**
 * The offers CSV (src/lib/server/offers/csv.ts), expected output written out by hand: RFC 4180 quoting of
 * commas, quotes and line breaks, empty cells for null, and provider text that looks like a formula
 * defused with a leading apostrophe; the trust flags in one cell, separated by ';'.
 */
import { describe, expect, it } from 'vitest';
import { offersToCsv } from '../../src/lib/server/offers/csv.ts';

const HEADER =
	'provider,gpu,gpuName,gpuCount,vramGb,pricing,cloud,region,pricePerHourUsd,pricePerGpuHourUsd,available,observedAt,stale,offerRef,reliability,verified,vcpus,ramGb,diskGb,inetDownMbps,inetUpMbps,trusted,flags,trustReason,source';

const base = {
	provider: 'vastai',
	gpu: 'rtx-4090',
	gpuName: 'RTX 4090',
	gpuCount: 2,
	vramGb: 24,
	pricing: 'spot',
	cloud: null,
	region: 'US',
	pricePerHourUsd: 0.5,
	pricePerGpuHourUsd: 0.25,
	available: false,
	observedAt: '2026-10-01T12:00:00.000Z',
	stale: true,
	offerRef: '123',
	reliability: 0.99,
	verified: true,
	vcpus: 8,
	ramGb: 64,
	diskGb: null,
	inetDownMbps: 900,
	inetUpMbps: undefined,
	trusted: false,
	flags: ['price-outlier', 'low-reliability'],
	trustReason: 'outlier: 4 % of the market median ($6.25, 7 offers)',
	source: 'api'
};

describe('offersToCsv', () => {
	it('writes the header and one CRLF line per offer, prices, available and stale as given', () => {
		expect(offersToCsv([base])).toBe(
			`${HEADER}\r\nvastai,rtx-4090,RTX 4090,2,24,spot,,US,0.5,0.25,false,2026-10-01T12:00:00.000Z,true,123,0.99,true,8,64,,900,,false,price-outlier;low-reliability,"outlier: 4 % of the market median ($6.25, 7 offers)",api\r\n`
		);
		expect(offersToCsv([])).toBe(`${HEADER}\r\n`);
	});

	it('quotes commas, quotes and line breaks, and defuses formulas', () => {
		const hostile = {
			...base,
			region: 'Quebec, CA',
			gpuName: 'RTX "4090"',
			offerRef: 'line one\nline two',
			cloud: '=HYPERLINK("http://x")',
			available: true,
			stale: false,
			trusted: true,
			flags: [],
			trustReason: null,
			source: 'skypilot-catalog'
		};
		const [, line] = offersToCsv([hostile]).split('\r\n');
		expect(line).toBe(
			'vastai,rtx-4090,"RTX ""4090""",2,24,spot,"\'=HYPERLINK(""http://x"")","Quebec, CA",0.5,0.25,true,' +
				'2026-10-01T12:00:00.000Z,false,"line one\nline two",0.99,true,8,64,,900,,true,,,skypilot-catalog'
		);
	});
});
