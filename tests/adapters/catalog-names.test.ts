/**
 * Every GPU name in the recorded fixtures (tests/fixtures/providers/) maps to a catalog slug or is excluded with a reason:
 * vast.ai's 144 `gpu_name` constants (vast-gpu-names.json) and every RunPod id (runpod-gpu-type-ids.json
 * and the v2 catalog answer). Names outside the tables resolve to "unmapped", never to a guess.
 */
import { describe, expect, it } from 'vitest';
import { GPUS, gpuBySlug } from '#catalog/gpus.ts';
import { LAMBDA_GPU_TOKENS } from '#adapters/lambda-names.ts';
import { resolveGpuName, type NameRule } from '#adapters/gpu-names.ts';
import { RUNPOD_GPU_IDS } from '#adapters/runpod-names.ts';
import { VASTAI_GPU_NAMES } from '#adapters/vastai-names.ts';
import { readFixture } from '../helpers/fake-providers.ts';

const vastNames = Object.values(
	readFixture<{ gpu_name_constants: Record<string, string> }>('vast-gpu-names.json').gpu_name_constants
);
const runpodIdFile = readFixture<{
	docs_table: { id: string }[];
	newer_ids_seen_in_v2_catalog: { id: string }[];
}>('runpod-gpu-type-ids.json');
const runpodIds = [
	...new Set([
		...runpodIdFile.docs_table.map((r) => r.id),
		...runpodIdFile.newer_ids_seen_in_v2_catalog.map((r) => r.id),
		...readFixture<{ gpus: { id: string }[] }>('runpod-v2-catalog-gpus-real.json').gpus.map((g) => g.id)
	])
];

function slugsOf(rule: NameRule): string[] {
	if ('slug' in rule) return [rule.slug];
	if ('byVramGb' in rule) return Object.values(rule.byVramGb);
	return [];
}

describe('provider GPU names', () => {
	it('covers exactly vast.ai’s 144 gpu_name strings', () => {
		expect(vastNames).toHaveLength(144);
		expect(Object.keys(VASTAI_GPU_NAMES).sort()).toEqual([...vastNames].sort());
	});

	it('covers every RunPod id of the fixtures (MIG slices excluded by rule)', () => {
		const missing = runpodIds.filter((id) => !(id in RUNPOD_GPU_IDS) && !/ MIG \d+g\.\d+gb$/.test(id));
		expect(missing).toEqual([]);
		expect(runpodIds.filter((id) => / MIG /.test(id))).toHaveLength(3);
	});

	it.each([
		['vast.ai', VASTAI_GPU_NAMES],
		['RunPod', RUNPOD_GPU_IDS],
		['Lambda', LAMBDA_GPU_TOKENS]
	] as const)('%s: every rule names catalog slugs or gives a reason', (_p, table) => {
		for (const [name, rule] of Object.entries(table)) {
			if ('exclude' in rule) expect(rule.exclude.length, name).toBeGreaterThan(10);
			for (const slug of slugsOf(rule)) expect(gpuBySlug(slug), `${name} → ${slug}`).toBeDefined();
		}
	});

	it('keeps the memory of a byVram variant equal to its slug’s memory', () => {
		for (const table of [VASTAI_GPU_NAMES, RUNPOD_GPU_IDS]) {
			for (const rule of Object.values(table)) {
				if (!('byVramGb' in rule)) continue;
				for (const [gb, slug] of Object.entries(rule.byVramGb))
					expect(gpuBySlug(slug)!.vramGb).toBe(Number(gb));
			}
		}
	});

	it('maps RunPod memory sizes consistently with the catalog (within 10%)', () => {
		const v2 = readFixture<{ gpus: { id: string; memory: number }[] }>(
			'runpod-v2-catalog-gpus-real.json'
		).gpus;
		for (const g of v2) {
			const r = resolveGpuName(RUNPOD_GPU_IDS, g.id);
			if (r.kind !== 'slug') continue;
			const vram = gpuBySlug(r.slug)!.vramGb;
			expect(
				Math.abs(vram - g.memory) / vram,
				`${g.id}: ${g.memory} GB vs ${r.slug} ${vram} GB`
			).toBeLessThanOrEqual(0.1);
		}
	});

	it('adds the slugs the providers need, with a source and the unverified flag where specs are from memory', () => {
		for (const slug of ['quadro-rtx-6000', 'rtx-a4500', 'rtx-4000-ada', 'rtx-3090-ti', 'rtx-4000-sff-ada']) {
			expect(gpuBySlug(slug), slug).toBeDefined();
		}
		for (const g of GPUS) {
			if (/\[mem\]/.test(g.specSource)) expect(g.specUnverified, g.slug).toBe(true);
		}
		// gpu_1x_rtx6000 is the 24 GB Turing Quadro, which has no BF16.
		expect(gpuBySlug('quadro-rtx-6000')).toMatchObject({ vramGb: 24, bf16: false });
	});

	it('resolves an unknown name to "unmapped" and never to a near match', () => {
		expect(resolveGpuName(VASTAI_GPU_NAMES, 'RTX 4090 ')).toEqual({ kind: 'unmapped' });
		expect(resolveGpuName(VASTAI_GPU_NAMES, 'rtx 4090')).toEqual({ kind: 'unmapped' });
		expect(resolveGpuName(RUNPOD_GPU_IDS, 'NVIDIA H100')).toEqual({ kind: 'unmapped' });
		expect(resolveGpuName(VASTAI_GPU_NAMES, 'constructor')).toEqual({ kind: 'unmapped' });
	});
});
