/**
 * `npm run import` of SkyPilot's Lambda and RunPod vms.csv files (src/lib/server/archive-parse.ts): told
 * apart from the vast.ai file by their header order, priced per GPU-hour, unmapped and excluded rows counted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, parseArchive, parseCsv } from '../../src/lib/server/archive-parse.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const LAMBDA = join(ROOT, 'tests', 'fixtures', 'providers', 'lambda-skypilot-catalog-v8-vms.csv');
const RUNPOD = join(ROOT, 'tests', 'fixtures', 'archive', 'runpod-skypilot-catalog-constructed-vms.csv');
const VAST = join(ROOT, 'tests', 'fixtures', 'archive', 'skypilot-vast-v7-excerpt.csv');
const AT = new Date('2026-11-30T12:00:00.000Z');
const read = (f: string) => readFileSync(f, 'utf8');

describe('SkyPilot Lambda and RunPod vms.csv imports', () => {
	it('tells the three SkyPilot files apart (Lambda has vast.ai’s very columns, in another order)', () => {
		expect(detectFormat(parseCsv(read(LAMBDA))[0]!)).toBe('skypilot-lambda-vms');
		expect(detectFormat(parseCsv(read(RUNPOD))[0]!)).toBe('skypilot-runpod-vms');
		expect(detectFormat(parseCsv(read(VAST))[0]!)).toBe('skypilot-vms');
	});

	it('needs --observed-at: the file carries no time', () => {
		expect(() => parseArchive(read(LAMBDA))).toThrow(/--observed-at/);
		expect(() => parseArchive(read(RUNPOD))).toThrow(/--observed-at/);
	});

	it('imports Lambda’s file through the keyless source’s rules: per GPU-hour, one observation per key', () => {
		const p = parseArchive(read(LAMBDA), undefined, { observedAt: AT });
		expect(p.format).toBe('skypilot-lambda-vms');
		expect(p.rowsTotal).toBe(408);
		expect(p.invalid).toEqual({ 'CPU-only instance type': 34 });
		expect(p.unmapped).toEqual({});
		const h100 = p.observations.find(
			(o) => o.sourceGpuName === 'gpu_8x_h100_sxm5' && o.region === 'us-east-1'
		)!;
		expect(h100).toMatchObject({
			provider: 'lambda',
			gpu: 'h100-sxm',
			gpuCount: 8,
			pricing: 'on_demand',
			n: 1
		});
		expect(h100.minUsd).toBeCloseTo(31.92 / 8, 12);
		expect(h100.t).toBe(AT.toISOString());
		expect(new Set(p.observations.map((o) => o.gpu)).has('a100-sxm-80gb')).toBe(true);
	});

	it('imports RunPod’s file: secure cloud, spot kept apart, zones of one region aggregated', () => {
		const p = parseArchive(read(RUNPOD), 'skypilot-runpod-vms', { observedAt: AT });
		expect(p.rowsTotal).toBe(8);
		expect(p.unmapped).toEqual({ RTX9090: 1 });
		expect(p.invalid).toEqual({ 'CPU-only instance type': 1, 'excluded GPU (outside the catalog)': 1 });
		const h100 = p.observations.filter((o) => o.gpu === 'h100-sxm');
		// Two US zones, one price: one observation of n = 2, $21.52 per 8 GPUs.
		expect(h100).toHaveLength(1);
		expect(h100[0]).toMatchObject({ provider: 'runpod', cloud: 'secure', gpuCount: 8, region: 'US', n: 2 });
		expect(h100[0]!.medianUsd).toBeCloseTo(2.69, 12);
		const a100 = p.observations.filter((o) => o.gpu === 'a100-pcie-80gb' && o.region === 'CA');
		expect(a100.map((o) => [o.pricing, o.minUsd])).toEqual([
			['on_demand', 1.64],
			['spot', 0.82]
		]);
		expect(p.observations.find((o) => o.gpu === 'rtx-4090')!.minUsd).toBeCloseTo(0.69, 12);
	});

	it('refuses a RunPod file read as Lambda’s (the header decides, never a guess)', () => {
		expect(() => parseArchive(read(RUNPOD), 'skypilot-lambda-vms', { observedAt: AT })).toThrow(
			/does not match --format skypilot-lambda-vms/
		);
	});
});
