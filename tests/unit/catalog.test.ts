import { describe, expect, it } from 'vitest';
import { GPUS, gpuBySlug, trainingPeakTflops } from '#catalog/gpus.ts';
import { slugForTrackerName } from '../../src/lib/server/archive-names.ts';
import { specDocument } from '#catalog/spec-documents.ts';

const REQUIRED = [
	'h100-sxm',
	'h100-pcie',
	'h100-nvl',
	'h200',
	'h200-nvl',
	'gh200',
	'b200',
	'a100-sxm-80gb',
	'a100-sxm-40gb',
	'a100-pcie-80gb',
	'a100-pcie-40gb',
	'l40s',
	'l40',
	'l4',
	'a40',
	'a10',
	'a10g',
	'rtx-6000-ada',
	'rtx-a6000',
	'rtx-a5000',
	'rtx-a4000',
	'rtx-4090',
	'rtx-5090',
	'rtx-3090',
	'rtx-4080-super',
	'rtx-pro-6000',
	'v100-16gb',
	'v100-32gb',
	't4',
	'mi300x'
];

describe('GPU catalog', () => {
	it('has every required slug, lowercase and hyphenated, each once', () => {
		const slugs = GPUS.map((g) => g.slug);
		for (const s of REQUIRED) expect(slugs).toContain(s);
		expect(new Set(slugs).size).toBe(slugs.length);
		for (const s of slugs) expect(s).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
	});

	it('carries the estimator specs with a source for each GPU', () => {
		for (const g of GPUS) {
			expect(g.vramGb).toBeGreaterThan(0);
			expect(g.specSource.length).toBeGreaterThan(3);
			expect(trainingPeakTflops(g)).toBeGreaterThan(0);
		}
	});

	it('cites a document a user can open for every GPU: a title and an https URL, never a note name', () => {
		for (const g of GPUS) {
			const d = specDocument(g.slug);
			expect(d, g.slug).not.toBeNull();
			expect(d!.url, g.slug).toMatch(/^https:\/\/(www\.|images\.|resources\.)?(nvidia|amd)\.com\//);
			expect(d!.title.length, g.slug).toBeGreaterThan(10);
			expect(g.specSource, g.slug).not.toMatch(/estimation\.md|§/);
		}
	});

	it('uses the FP16 peak where a GPU has no BF16 (T4, V100)', () => {
		expect(gpuBySlug('t4')).toMatchObject({ bf16: false, flashAttention: false });
		expect(trainingPeakTflops(gpuBySlug('t4')!)).toBe(65);
		expect(trainingPeakTflops(gpuBySlug('v100-32gb')!)).toBe(125);
		// docs/estimation.md §2.4: GeForce cards at the FP32-accumulate rate, not the FP16-accumulate one.
		expect(trainingPeakTflops(gpuBySlug('rtx-4090')!)).toBe(165.2);
	});

	it('maps every GPU name of the bundled archive to a slug', () => {
		// Written out by hand: each name of the archive's gpu_model column (`cut -d, -f3 archive/*.csv |
		// sort -u`) and the catalog GPU it denotes.
		const expected: Record<string, string> = {
			RTX_4090: 'rtx-4090',
			RTX_5090: 'rtx-5090',
			RTX_PRO_6000: 'rtx-pro-6000',
			A100_SXM_80GB: 'a100-sxm-80gb',
			A100_SXM_40GB: 'a100-sxm-40gb',
			A100_PCIE_80GB: 'a100-pcie-80gb',
			A100_PCIE_40GB: 'a100-pcie-40gb',
			H100_SXM: 'h100-sxm',
			H100_PCIE: 'h100-pcie',
			H100_NVL: 'h100-nvl',
			H200: 'h200',
			GH200: 'gh200',
			B200: 'b200',
			B300: 'b300',
			L40S: 'l40s',
			L40: 'l40',
			MI300X: 'mi300x'
		};
		for (const [name, slug] of Object.entries(expected)) expect(slugForTrackerName(name), name).toBe(slug);
		expect(slugForTrackerName('NOT_A_GPU')).toBeUndefined();
		expect(slugForTrackerName('h100_sxm')).toBeUndefined();
	});
});
