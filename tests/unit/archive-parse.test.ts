/**
 * Archive parsing: the tracker CSV as published, the RunPod/Lambda/vast region semantics, unmapped and
 * unreadable rows counted, and SkyPilot vast vms.csv snapshots (per-instance prices → per GPU-hour).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { slugForSkypilotVastName } from '../../src/lib/server/archive-names.ts';
import { detectFormat, parseArchive, parseCsv, TRACKER_HEADER } from '../../src/lib/server/archive-parse.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BUNDLED = join(ROOT, 'archive', 'observations-vast-runpod-lambda-2026-05-08_2026-07-20.csv');
const SKYPILOT = join(ROOT, 'tests', 'fixtures', 'archive', 'skypilot-vast-v7-excerpt.csv');
const HEADER = TRACKER_HEADER.join(',');

describe('CSV reader', () => {
	it('reads quoted fields with commas, doubled quotes and newlines, and CRLF line ends', () => {
		const rows = parseCsv('a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",\n');
		expect(rows).toEqual([
			['a', 'b', 'c'],
			['1', 'x, y', 'say "hi"'],
			['2', 'two\nlines', '']
		]);
	});

	it('tells the two formats apart by their header', () => {
		expect(detectFormat([...TRACKER_HEADER])).toBe('tracker-csv');
		expect(detectFormat(parseCsv(readFileSync(SKYPILOT, 'utf8'))[0]!)).toBe('skypilot-vms');
		expect(detectFormat(['date', 'price'])).toBeUndefined();
	});
});

describe('tracker daily-aggregate CSV', () => {
	it('reads every row of the bundled archive and maps every GPU name', () => {
		const text = readFileSync(BUNDLED, 'utf8');
		const lines = text.trim().split('\n');
		const parsed = parseArchive(text);
		expect(parsed.format).toBe('tracker-csv');
		expect(parsed.rowsTotal).toBe(lines.length - 1);
		expect(parsed.rowsTotal).toBe(17727);
		expect(parsed.observations).toHaveLength(17727);
		expect(parsed.unmapped).toEqual({});
		expect(parsed.invalid).toEqual({});
	});

	it('keeps the published figures and maps region semantics onto pricing and cloud', () => {
		const csv = [
			HEADER,
			'2026-07-20,runpod,H100_SXM,1,secure,on_demand,2.99,2.99,2.99,1,https://api.runpod.io/graphql,2026-07-20T20:30:13+00:00',
			'2026-07-20,runpod,H100_SXM,1,community,spot,2.69,2.69,2.69,1,https://api.runpod.io/graphql,2026-07-20T20:30:13+00:00',
			'2026-07-20,runpod,H100_SXM,1,any,on_demand,2.69,2.69,2.69,1,https://api.runpod.io/graphql,2026-07-20T20:30:13+00:00',
			'2026-07-20,vast.ai,H100_SXM,2,TH,spot,0.889,0.889,0.889,1,https://console.vast.ai/api/v0/bundles/,2026-07-20T20:30:09+00:00',
			'2026-07-20,lambda,A100_SXM_40GB,1,us,on_demand,0.79,1.99,2.79,4,https://lambda.ai/service/gpu-cloud,2026-07-20T20:30:14+00:00'
		].join('\n');
		const { observations: o } = parseArchive(csv);
		expect(o.map((x) => [x.provider, x.gpu, x.pricing, x.cloud, x.region])).toEqual([
			['runpod', 'h100-sxm', 'on_demand', 'secure', 'secure'],
			['runpod', 'h100-sxm', 'spot', 'community', 'community'],
			['runpod', 'h100-sxm', 'on_demand', '', 'any'],
			['vastai', 'h100-sxm', 'spot', '', 'TH'],
			['lambda', 'a100-sxm-40gb', 'on_demand', '', 'us']
		]);
		expect(o[4]).toMatchObject({
			t: '2026-07-20T00:00:00.000Z',
			sourceGpuName: 'A100_SXM_40GB',
			gpuCount: 1,
			minUsd: 0.79,
			medianUsd: 1.99,
			maxUsd: 2.79,
			n: 4,
			sourceUrl: 'https://lambda.ai/service/gpu-cloud',
			fetchedAt: '2026-07-20T20:30:14.000Z'
		});
	});

	it('counts unmapped GPU names and unreadable rows instead of storing them', () => {
		const ok =
			'2026-07-20,vast.ai,RTX_4090,1,US,on_demand,0.3,0.4,0.5,9,https://console.vast.ai/api/v0/bundles/,';
		const csv = [
			HEADER,
			ok,
			ok.replace('RTX_4090', 'TPU_V9'),
			ok.replace('RTX_4090', 'TPU_V9'),
			ok.replace('vast.ai', 'coreweave'),
			ok.replace('0.3,0.4,0.5', '0.3,abc,0.5'),
			ok.replace('0.3,0.4,0.5', '0.6,0.4,0.5'),
			ok.replace('2026-07-20', '20/07/2026'),
			ok.replace('on_demand', 'reserved')
		].join('\n');
		const parsed = parseArchive(csv);
		expect(parsed.rowsTotal).toBe(8);
		expect(parsed.observations).toHaveLength(1);
		expect(parsed.observations[0]!.fetchedAt).toBeNull();
		expect(parsed.unmapped).toEqual({ TPU_V9: 2 });
		expect(parsed.invalid).toEqual({
			'provider "coreweave"': 1,
			price: 1,
			'min ≤ median ≤ max': 1,
			date: 1,
			rental_type: 1
		});
	});

	it('refuses a file whose header is neither format, or does not match --format', () => {
		expect(() => parseArchive('a,b\n1,2\n')).toThrow(/unknown file format/);
		expect(() => parseArchive(`${HEADER}\n`, 'skypilot-vms')).toThrow(/does not match --format skypilot-vms/);
	});
});

describe('SkyPilot vast.ai vms.csv', () => {
	const text = readFileSync(SKYPILOT, 'utf8');
	const observedAt = new Date('2025-06-01T12:00:00Z');

	it('needs the snapshot time', () => {
		expect(() => parseArchive(text)).toThrow(/--observed-at/);
	});

	it('turns per-instance prices into per-GPU-hour observations keyed by GPU, count and country', () => {
		const parsed = parseArchive(text, undefined, { observedAt });
		expect(parsed.format).toBe('skypilot-vms');
		expect(parsed.rowsTotal).toBe(16);
		// The Hong Kong "RTX 4090" has 48 GB per GPU: a modded card, not the catalog's 24 GB RTX 4090.
		expect(parsed.unmapped).toEqual({ 'RTX_4090 (48 GB)': 1 });
		expect(parsed.invalid).toEqual({});
		const find = (gpu: string, count: number) =>
			parsed.observations.filter((o) => o.gpu === gpu && o.gpuCount === count);
		expect(find('h100-sxm', 8)).toEqual([
			expect.objectContaining({
				region: 'US',
				pricing: 'on_demand',
				minUsd: 17.07 / 8,
				medianUsd: 17.07 / 8,
				n: 1
			})
		]);
		expect(find('h100-sxm', 1)[0]).toMatchObject({ region: 'CZ', minUsd: 1.8, t: observedAt.toISOString() });
		expect(find('h200', 4)[0]).toMatchObject({ region: 'US', medianUsd: 11.3 / 4 });
		// SkyPilot's AcceleratorName says "H100" for the NVL card; the InstanceType keeps the form factor.
		expect(find('h100-nvl', 2)[0]).toMatchObject({
			region: 'US',
			medianUsd: 4.53 / 2,
			sourceGpuName: 'H100_NVL'
		});
		expect(find('a100-sxm-40gb', 4)[0]).toMatchObject({ region: 'SI', medianUsd: 2.93 / 4 });
		expect(find('rtx-4090', 2)[0]).toMatchObject({ region: 'RU', medianUsd: 0.4 });
		expect(find('rtx-4080-super', 1)).toHaveLength(1);
		expect(find('v100-16gb', 1)).toHaveLength(1);
		// SpotPrice 0.00 in every row: no spot observation.
		expect(parsed.observations.every((o) => o.pricing === 'on_demand')).toBe(true);
		expect(parsed.observations).toHaveLength(15);
	});

	it('aggregates rows of one key within a snapshot (min, median, max, n)', () => {
		const head = text.split('\n')[0];
		const row = (price: string) =>
			`1x-RTX_3090-16-32768,RTX3090,1,16,32.0,"{'Gpus': [{'Name': 'RTX3090', 'Count': 1, 'MemoryInfo': {'SizeInMiB': 24576}}], 'TotalGpuMemoryInMiB': 24576}",${price},0.10,"Texas, US, NA"`;
		const parsed = parseArchive(
			[head, row('0.20'), row('0.30'), row('0.25'), row('0.40')].join('\n'),
			undefined,
			{
				observedAt
			}
		);
		const od = parsed.observations.find((o) => o.pricing === 'on_demand')!;
		expect(od).toMatchObject({ gpu: 'rtx-3090', region: 'US', minUsd: 0.2, maxUsd: 0.4, n: 4 });
		expect(od.medianUsd).toBeCloseTo(0.275, 10);
		expect(parsed.observations.find((o) => o.pricing === 'spot')).toMatchObject({ minUsd: 0.1, n: 4 });
	});

	it('maps SkyPilot vast names through the catalog, memory picking the variant', () => {
		expect(slugForSkypilotVastName('A100_SXM4', 80)).toBe('a100-sxm-80gb');
		expect(slugForSkypilotVastName('A100_SXM4', 40)).toBe('a100-sxm-40gb');
		expect(slugForSkypilotVastName('A100_SXM4')).toBeUndefined();
		expect(slugForSkypilotVastName('Tesla_V100', 32)).toBe('v100-32gb');
		expect(slugForSkypilotVastName('H100_SXM', 81559 / 1024)).toBe('h100-sxm');
		expect(slugForSkypilotVastName('RTX_4090', 48)).toBeUndefined();
		expect(slugForSkypilotVastName('Nope_GPU', 24)).toBeUndefined();
	});
});
