/**
 * The archive's GPU names → catalog slugs, beside the importer that reads them (archive-parse.ts).
 */
import { resolveGpuName, VRAM_MATCH_TOLERANCE } from '#adapters/gpu-names.ts';
import { VASTAI_GPU_NAMES } from '#adapters/vastai-names.ts';
import { gpuBySlug } from '#catalog/gpus.ts';

/**
 * gpu-pricing-tracker's `gpu_model` → slug. Names outside this table are counted as unmapped by the
 * importer, never guessed.
 */
export const TRACKER_GPU_NAMES: Record<string, string> = {
	H100_SXM: 'h100-sxm',
	H100_PCIE: 'h100-pcie',
	H100_NVL: 'h100-nvl',
	H200: 'h200',
	GH200: 'gh200',
	B200: 'b200',
	B300: 'b300',
	A100_SXM_80GB: 'a100-sxm-80gb',
	A100_SXM_40GB: 'a100-sxm-40gb',
	A100_PCIE_80GB: 'a100-pcie-80gb',
	A100_PCIE_40GB: 'a100-pcie-40gb',
	L40S: 'l40s',
	L40: 'l40',
	RTX_PRO_6000: 'rtx-pro-6000',
	RTX_5090: 'rtx-5090',
	RTX_4090: 'rtx-4090',
	MI300X: 'mi300x'
};

/** Archive (gpu-pricing-tracker) GPU name → slug, or undefined when the catalog does not know it. */
export function slugForTrackerName(name: string): string | undefined {
	return Object.hasOwn(TRACKER_GPU_NAMES, name) ? TRACKER_GPU_NAMES[name] : undefined;
}

/**
 * SkyPilot's vast.ai catalog (skypilot-catalog `catalogs/v7/vast/vms.csv`) writes vast's `gpu_name` into
 * its InstanceType with spaces turned into underscores (`1x-H100_SXM-32-65536`; docs/providers.md §5.2
 * and the fixture tests/fixtures/archive/skypilot-vast-v7-excerpt.csv). Its AcceleratorName
 * column merges form factors (H100 NVL → `H100`), so the InstanceType name is mapped, through the vast.ai
 * table (adapters/vastai-names.ts).
 */
export function slugForSkypilotVastName(name: string, vramGbPerGpu?: number): string | undefined {
	const res = resolveGpuName(VASTAI_GPU_NAMES, name.replaceAll('_', ' '), vramGbPerGpu);
	if (res.kind !== 'slug') return undefined;
	// A one-size name still has to match in memory: the SkyPilot excerpt lists a 48 GB "RTX 4090"
	// (a modded card, not the 24 GB product). Same tolerance as the variant match of resolveGpuName.
	const g = gpuBySlug(res.slug);
	if (g && vramGbPerGpu !== undefined && Number.isFinite(vramGbPerGpu)) {
		if (Math.abs(vramGbPerGpu - g.vramGb) > g.vramGb * VRAM_MATCH_TOLERANCE) return undefined;
	}
	return res.slug;
}

/**
 * SkyPilot's RunPod accelerator names → slug (null: outside the catalog, e.g. cards under 16 GB). The
 * names are RunPod's displayName without "RTX " spaces, hyphenated, with SkyPilot's overrides
 * (A100-PCIe → A100-80GB, A100-SXM → A100-80GB-SXM, H100-PCIe → H100) — SkyPilot's fetch_runpod.py,
 * https://github.com/skypilot-org/skypilot/blob/master/sky/catalog/data_fetchers/fetch_runpod.py.
 */
export const SKYPILOT_RUNPOD_NAMES: Record<string, string | null> = {
	'A100-80GB': 'a100-pcie-80gb',
	'A100-80GB-SXM': 'a100-sxm-80gb',
	A30: 'a30',
	A40: 'a40',
	B200: 'b200',
	H100: 'h100-pcie',
	'H100-NVL': 'h100-nvl',
	'H100-SXM': 'h100-sxm',
	'H200-SXM': 'h200',
	L4: 'l4',
	L40: 'l40',
	L40S: 'l40s',
	MI300X: 'mi300x',
	'RTX2000-Ada': 'rtx-2000-ada',
	RTX3070: null,
	RTX3080: null,
	'RTX3080-Ti': null,
	RTX3090: 'rtx-3090',
	'RTX3090-Ti': 'rtx-3090-ti',
	'RTX4000-Ada': 'rtx-4000-ada',
	RTX4080: 'rtx-4080',
	'RTX4080-SUPER': 'rtx-4080-super',
	RTX4090: 'rtx-4090',
	'RTX5000-Ada': 'rtx-5000-ada',
	RTX5080: 'rtx-5080',
	RTX5090: 'rtx-5090',
	'RTX6000-Ada': 'rtx-6000-ada',
	RTXA4000: 'rtx-a4000',
	RTXA4500: 'rtx-a4500',
	RTXA5000: 'rtx-a5000',
	RTXA6000: 'rtx-a6000',
	RTXPRO4500: 'rtx-pro-4500',
	RTXPRO6000: 'rtx-pro-6000',
	'RTXPRO6000-MaxQ': 'rtx-pro-6000',
	'RTXPRO6000-WK': 'rtx-pro-6000',
	'V100-SXM2': 'v100-16gb',
	'V100-SXM2-32GB': 'v100-32gb'
};
