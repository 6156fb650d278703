/**
 * SkyPilot's Lambda catalog (adapters/lambda-catalog.ts): the name rules and the arithmetic, row by row,
 * on rows written in the recorded file's own format (tests/fixtures/providers/lambda-skypilot-catalog-v8-vms.csv).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAMBDA_GPU_TOKENS } from '#adapters/lambda-names.ts';
import { resolveGpuName } from '#adapters/gpu-names.ts';
import { PayloadShapeError } from '#adapters/errors.ts';
import { lambdaNameParts } from '#adapters/lambda.ts';
import {
	LAMBDA_CATALOG_COLUMNS,
	parseLambdaCatalog,
	resolveSkypilotLambdaGpu
} from '#adapters/lambda-catalog.ts';
import { FIXTURES_DIR } from '../helpers/fake-providers.ts';

const AT = new Date('2026-12-01T00:00:00.000Z');
const HEADER = LAMBDA_CATALOG_COLUMNS.join(',');

/** GpuInfo as SkyPilot writes it (a Python dict's repr). */
const gpuInfo = (name: string, count: number, mib: number) =>
	`"{'Gpus': [{'Name': '${name}', 'Manufacturer': 'NVIDIA', 'Count': ${count}.0, 'MemoryInfo': {'SizeInMiB': ${mib}}}], 'TotalGpuMemoryInMiB': ${mib}}"`;

function row(
	type: string,
	acc: string,
	count: number,
	price: string,
	mib: number,
	spot = '',
	region = 'us-east-1'
) {
	return `${type},${acc},${count}.0,30.0,200.0,${price},${region},${gpuInfo(acc, count, mib)},${spot}`;
}

const csv = (...rows: string[]) => [HEADER, ...rows].join('\r\n') + '\r\n';

describe('SkyPilot Lambda catalog rows', () => {
	it('divides the instance price by AcceleratorCount and keeps the instance price whole', () => {
		const r = parseLambdaCatalog(csv(row('gpu_8x_h100_sxm5', 'H100', 8, '31.92', 81920)), AT);
		expect(r.offers).toHaveLength(1);
		const o = r.offers[0]!;
		expect(o).toMatchObject({
			provider: 'lambda',
			gpu: 'h100-sxm',
			gpuCount: 8,
			pricePerHourUsd: 31.92,
			pricing: 'on_demand',
			cloud: null,
			region: 'us-east-1',
			available: null,
			source: 'skypilot-catalog',
			offerRef: 'gpu_8x_h100_sxm5'
		});
		expect(o.pricePerGpuHourUsd).toBeCloseTo(3.99, 12);
	});

	it('tells SXM from PCIe by the instance-type name', () => {
		const r = parseLambdaCatalog(
			csv(
				row('gpu_1x_h100_pcie', 'H100', 1, '3.29', 81920),
				row('gpu_1x_h100_sxm5', 'H100', 1, '4.29', 81920)
			),
			AT
		);
		expect(r.offers.map((o) => [o.gpuName, o.gpu])).toEqual([
			['gpu_1x_h100_pcie', 'h100-pcie'],
			['gpu_1x_h100_sxm5', 'h100-sxm']
		]);
		// An H100 named neither way is not guessed.
		expect(resolveSkypilotLambdaGpu('H100', 'gpu_1x_h100', 80)).toBeNull();
	});

	it('tells 40 from 80 GB by GpuInfo memory (and SXM4 from the plain PCIe A100)', () => {
		const r = parseLambdaCatalog(
			csv(
				row('gpu_1x_a100', 'A100', 1, '1.29', 40960),
				row('gpu_1x_a100_sxm4', 'A100', 1, '1.99', 40960),
				row('gpu_8x_a100_80gb_sxm4', 'A100-80GB', 8, '22.32', 81920),
				// The same accelerator name with 80 GB of memory: the memory decides.
				row('gpu_1x_a100_sxm4', 'A100', 1, '2.49', 81920, '', 'us-west-1')
			),
			AT
		);
		expect(r.offers.map((o) => o.gpu)).toEqual([
			'a100-pcie-40gb',
			'a100-sxm-40gb',
			'a100-sxm-80gb',
			'a100-sxm-80gb'
		]);
		expect(r.offers[2]!.pricePerGpuHourUsd).toBeCloseTo(2.79, 12);
		// 24 GB "RTX6000" is the Quadro RTX 6000; 48 GB would be the RTX 6000 Ada.
		expect(resolveSkypilotLambdaGpu('RTX6000', 'gpu_1x_rtx6000', 24)).toBe('quadro-rtx-6000');
		expect(resolveSkypilotLambdaGpu('RTX6000', 'gpu_1x_rtx6000', 48)).toBe('rtx-6000-ada');
		expect(resolveSkypilotLambdaGpu('V100', 'gpu_8x_v100', 32)).toBe('v100-32gb');
	});

	it('skips CPU-only types with a reason, counted', () => {
		const r = parseLambdaCatalog(
			csv('cpu_4x_general,,,4.0,16.0,0.2,us-east-1,,', row('gpu_1x_a10', 'A10', 1, '1.29', 24576)),
			AT
		);
		expect(r.itemsSeen).toBe(2);
		expect(r.skippedReasons).toEqual({ 'CPU-only instance type': 1 });
		expect(r.offers.map((o) => o.gpu)).toEqual(['a10']);
	});

	it('counts an accelerator name nobody mapped (and memory that fits no variant) as unmapped', () => {
		const r = parseLambdaCatalog(
			csv(
				row('gpu_8x_x1000_sxm9', 'X1000', 8, '80.00', 196608),
				row('gpu_8x_x1000_sxm9', 'X1000', 8, '80.00', 196608, '', 'us-west-1'),
				row('gpu_1x_a100_sxm4', 'A100', 1, '1.99', 65536)
			),
			AT
		);
		expect(r.offers).toEqual([]);
		expect(r.unmapped).toEqual({ X1000: 2, 'A100 64 GB (gpu_1x_a100_sxm4)': 1 });
	});

	it('makes a separate spot offer when SpotPrice is given, never a blend', () => {
		const r = parseLambdaCatalog(csv(row('gpu_2x_h100_sxm5', 'H100', 2, '8.38', 81920, '4.00')), AT);
		expect(r.offers.map((o) => [o.pricing, o.pricePerHourUsd, o.pricePerGpuHourUsd])).toEqual([
			['on_demand', 8.38, 4.19],
			['spot', 4, 2]
		]);
	});

	it('refuses a changed header, a cut-short file, an HTML page and a non-text answer', () => {
		const good = row('gpu_1x_a10', 'A10', 1, '1.29', 24576);
		expect(() => parseLambdaCatalog(`${HEADER},Generation\r\n${good},x\r\n`, AT)).toThrow(/header changed/);
		expect(() => parseLambdaCatalog(HEADER.replace('Price', 'PriceUSD') + '\r\n' + good, AT)).toThrow(
			PayloadShapeError
		);
		const cut = csv(good, good.replace('us-east-1', 'us-west-1'));
		expect(() => parseLambdaCatalog(cut.slice(0, cut.length - 40), AT)).toThrow(/malformed or cut short/);
		expect(() => parseLambdaCatalog('<!DOCTYPE html><html><body>Rate limited</body></html>', AT)).toThrow(
			PayloadShapeError
		);
		expect(() => parseLambdaCatalog({ data: {} }, AT)).toThrow(PayloadShapeError);
	});

	it('names every instance type of the recorded file as the keyed API adapter does', () => {
		const text = readFileSync(join(FIXTURES_DIR, 'lambda-skypilot-catalog-v8-vms.csv'), 'utf8');
		const r = parseLambdaCatalog(text, AT);
		const types = new Map(r.offers.map((o) => [o.gpuName, o.gpu]));
		expect(types.size).toBe(22);
		for (const [type, slug] of types) {
			const token = lambdaNameParts(type)!.token;
			expect(resolveGpuName(LAMBDA_GPU_TOKENS, token), type).toEqual({ kind: 'slug', slug });
		}
		// 22 types × 17 regions, every one with a price of unknown stock.
		expect(r.offers).toHaveLength(374);
		expect(r.offers.every((o) => o.available === null)).toBe(true);
	});
});
