/**
 * The archive's GPU names → catalog slugs, beside the importer that reads them (archive-parse.ts).
 */
import { resolveGpuName, VRAM_MATCH_TOLERANCE } from '#adapters/gpu-names.ts';
import { VASTAI_GPU_NAMES } from '#adapters/vastai-names.ts';
import { gpuBySlug } from '../catalog/gpus.ts';

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
 * its InstanceType with spaces turned into underscores (`1x-H100_SXM-32-65536`; shared research
 * providers.md §5 and the fixture history-skypilot-catalog-vast-v7-excerpt.csv). Its AcceleratorName
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
