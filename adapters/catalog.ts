/**
 * One GPU catalog: canonical GPUs with lowercase hyphenated slugs that keep form factor and memory
 * where they change the price (H100 SXM ≠ PCIe ≠ NVL; A100 40 GB ≠ 80 GB). Each carries the specs the
 * estimator needs, with the source of every figure.
 *
 * Spec sources (see shared research notes, estimation.md §2.4 "GPU specifications"):
 *  - [2.4] figures quoted there from datasheets/whitepapers (dense, no sparsity; BF16 = tensor-core rate
 *    with FP32 accumulate — GeForce cards run that at half their FP16-accumulate rate);
 *  - [mem] figures marked unverified in those notes, or datasheet values not in the stored corpus: shown
 *    as "unverified" wherever the app displays them.
 */

export type Vendor = 'nvidia' | 'amd';
/** Price/market class used by the trends index (e.g. "80 GB datacenter", "24 GB consumer"). */
export type GpuClass = 'datacenter' | 'workstation' | 'consumer';

export interface GpuSpec {
	slug: string;
	name: string;
	vendor: Vendor;
	class: GpuClass;
	/** memory per GPU, GB as sold (80, 48, 24 …) */
	vramGb: number;
	/** dense BF16 tensor TFLOPS with FP32 accumulate; null when the GPU has no BF16 */
	bf16Tflops: number | null;
	/** dense FP16 tensor TFLOPS (FP32 accumulate), the training peak of cards without BF16 */
	fp16Tflops: number | null;
	/** memory bandwidth, GB/s */
	memBandwidthGBs: number | null;
	/** hardware BF16 support (T4 and V100 have none) */
	bf16: boolean;
	/** FlashAttention-2 kernels need Ampere (sm80) or newer; T4/V100 fall back to eager attention */
	flashAttention: boolean;
	/** where the figures come from */
	specSource: string;
	/** true when a figure is from memory/aggregators and not verified against a stored source */
	specUnverified?: boolean;
	/** GPU names in the archive (gpu-pricing-tracker `gpu_model`) that mean this GPU */
	trackerNames?: string[];
}

const S24 = 'estimation.md §2.4 (datasheets/whitepapers, dense)';

export const GPUS: GpuSpec[] = [
	// --- Hopper / Blackwell datacenter ---
	{
		slug: 'h100-sxm',
		name: 'H100 SXM 80GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 80,
		bf16Tflops: 989,
		fp16Tflops: 989,
		memBandwidthGBs: 3350,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: H100 SXM5 1,979 sparse /2`,
		trackerNames: ['H100_SXM']
	},
	{
		slug: 'h100-pcie',
		name: 'H100 PCIe 80GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 80,
		bf16Tflops: 756,
		fp16Tflops: 756,
		memBandwidthGBs: 2000,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: H100 PCIe 1,513 sparse /2`,
		trackerNames: ['H100_PCIE']
	},
	{
		slug: 'h100-nvl',
		name: 'H100 NVL 94GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 94,
		bf16Tflops: 835,
		fp16Tflops: 835,
		memBandwidthGBs: 3900,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: H100 NVL datasheet 1,671 sparse /2 [mem]`,
		specUnverified: true,
		trackerNames: ['H100_NVL']
	},
	{
		slug: 'h200',
		name: 'H200 SXM 141GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 141,
		bf16Tflops: 989,
		fp16Tflops: 989,
		memBandwidthGBs: 4800,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: same die as H100 SXM`,
		trackerNames: ['H200']
	},
	{
		slug: 'h200-nvl',
		name: 'H200 NVL 141GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 141,
		bf16Tflops: 835,
		fp16Tflops: 835,
		memBandwidthGBs: 4800,
		bf16: true,
		flashAttention: true,
		specSource: 'H200 NVL datasheet (PCIe, lower power than SXM) [mem]',
		specUnverified: true
	},
	{
		slug: 'gh200',
		name: 'GH200 96GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 96,
		bf16Tflops: 989,
		fp16Tflops: 989,
		memBandwidthGBs: 4000,
		bf16: true,
		flashAttention: true,
		specSource: 'Grace Hopper: H100 die with 96 GB HBM3 (4 TB/s) [mem]',
		specUnverified: true,
		trackerNames: ['GH200']
	},
	{
		slug: 'b200',
		name: 'B200 180GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 180,
		bf16Tflops: 2250,
		fp16Tflops: 2250,
		memBandwidthGBs: 8000,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: B200 (HGX/DGX)`,
		trackerNames: ['B200']
	},
	{
		slug: 'b300',
		name: 'B300 288GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 288,
		bf16Tflops: 2250,
		fp16Tflops: 2250,
		memBandwidthGBs: 8000,
		bf16: true,
		flashAttention: true,
		specSource: 'Blackwell Ultra: dense BF16 as B200, 288 GB HBM3e [mem]',
		specUnverified: true,
		trackerNames: ['B300']
	},
	// --- Ampere datacenter ---
	{
		slug: 'a100-sxm-80gb',
		name: 'A100 SXM 80GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 80,
		bf16Tflops: 312,
		fp16Tflops: 312,
		memBandwidthGBs: 2039,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: A100 datasheet "312 | 624*"`,
		trackerNames: ['A100_SXM_80GB']
	},
	{
		slug: 'a100-sxm-40gb',
		name: 'A100 SXM 40GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 40,
		bf16Tflops: 312,
		fp16Tflops: 312,
		memBandwidthGBs: 1555,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: A100 datasheet`,
		trackerNames: ['A100_SXM_40GB']
	},
	{
		slug: 'a100-pcie-80gb',
		name: 'A100 PCIe 80GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 80,
		bf16Tflops: 312,
		fp16Tflops: 312,
		memBandwidthGBs: 1935,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: A100 datasheet`,
		trackerNames: ['A100_PCIE_80GB']
	},
	{
		slug: 'a100-pcie-40gb',
		name: 'A100 PCIe 40GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 40,
		bf16Tflops: 312,
		fp16Tflops: 312,
		memBandwidthGBs: 1555,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: A100 datasheet`,
		trackerNames: ['A100_PCIE_40GB']
	},
	// --- Ada / Ampere datacenter & inference ---
	{
		slug: 'l40s',
		name: 'L40S 48GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 48,
		bf16Tflops: 362,
		fp16Tflops: 362,
		memBandwidthGBs: 864,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: 366/733 sparse listing`,
		trackerNames: ['L40S']
	},
	{
		slug: 'l40',
		name: 'L40 48GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 48,
		bf16Tflops: 181,
		fp16Tflops: 181,
		memBandwidthGBs: 864,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: FP16-32acc 181`,
		trackerNames: ['L40']
	},
	{
		slug: 'l4',
		name: 'L4 24GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 24,
		bf16Tflops: 121,
		fp16Tflops: 121,
		memBandwidthGBs: 300,
		bf16: true,
		flashAttention: true,
		specSource: S24
	},
	{
		slug: 'a40',
		name: 'A40 48GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 48,
		bf16Tflops: 149.7,
		fp16Tflops: 149.7,
		memBandwidthGBs: 696,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: LLM-Viewer hardware_params`
	},
	{
		slug: 'a10',
		name: 'A10 24GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 24,
		bf16Tflops: 125,
		fp16Tflops: 125,
		memBandwidthGBs: 600,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: datasheet 125 | 250*`
	},
	{
		slug: 'a10g',
		name: 'A10G 24GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 24,
		bf16Tflops: 70,
		fp16Tflops: 70,
		memBandwidthGBs: 600,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: bandwidth as A10 (Baseten); ≈70 TFLOPS not in an NVIDIA datasheet [mem]`,
		specUnverified: true
	},
	{
		slug: 'a30',
		name: 'A30 24GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 24,
		bf16Tflops: 165,
		fp16Tflops: 165,
		memBandwidthGBs: 933,
		bf16: true,
		flashAttention: true,
		specSource: 'A30 datasheet 165 | 330* [mem]',
		specUnverified: true
	},
	{
		slug: 't4',
		name: 'T4 16GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 16,
		bf16Tflops: null,
		fp16Tflops: 65,
		memBandwidthGBs: 320,
		bf16: false,
		flashAttention: false,
		specSource: `${S24}: 65 FP16, no BF16`
	},
	{
		slug: 'v100-16gb',
		name: 'V100 16GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 16,
		bf16Tflops: null,
		fp16Tflops: 125,
		memBandwidthGBs: 900,
		bf16: false,
		flashAttention: false,
		specSource: `${S24}: V100 SXM2 125 FP16 (PCIe 112), no BF16`
	},
	{
		slug: 'v100-32gb',
		name: 'V100 32GB',
		vendor: 'nvidia',
		class: 'datacenter',
		vramGb: 32,
		bf16Tflops: null,
		fp16Tflops: 125,
		memBandwidthGBs: 900,
		bf16: false,
		flashAttention: false,
		specSource: `${S24}: V100 SXM2 125 FP16 (PCIe 112), no BF16`
	},
	// --- Workstation ---
	{
		slug: 'rtx-pro-6000',
		name: 'RTX PRO 6000 Blackwell 96GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 96,
		bf16Tflops: 504,
		fp16Tflops: 504,
		memBandwidthGBs: 1792,
		bf16: true,
		flashAttention: true,
		specSource: 'RTX PRO 6000 Blackwell datasheet (dense FP16/BF16 tensor) [mem]',
		specUnverified: true,
		trackerNames: ['RTX_PRO_6000']
	},
	{
		slug: 'rtx-6000-ada',
		name: 'RTX 6000 Ada 48GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 48,
		bf16Tflops: 364,
		fp16Tflops: 364,
		memBandwidthGBs: 960,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: pro cards not halved`
	},
	{
		slug: 'rtx-a6000',
		name: 'RTX A6000 48GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 48,
		bf16Tflops: 154.8,
		fp16Tflops: 154.8,
		memBandwidthGBs: 768,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: GA102 whitepaper 154.8/309.6`
	},
	{
		slug: 'rtx-a5000',
		name: 'RTX A5000 24GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 24,
		bf16Tflops: 111.1,
		fp16Tflops: 111.1,
		memBandwidthGBs: 768,
		bf16: true,
		flashAttention: true,
		specSource: 'RTX A5000 datasheet (GA102, 222.2 sparse) [mem]',
		specUnverified: true
	},
	{
		slug: 'rtx-a4000',
		name: 'RTX A4000 16GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 16,
		bf16Tflops: 76.7,
		fp16Tflops: 76.7,
		memBandwidthGBs: 448,
		bf16: true,
		flashAttention: true,
		specSource: 'RTX A4000 datasheet (GA104, 153.4 sparse) [mem]',
		specUnverified: true
	},
	// --- Consumer ---
	{
		slug: 'rtx-5090',
		name: 'RTX 5090 32GB',
		vendor: 'nvidia',
		class: 'consumer',
		vramGb: 32,
		bf16Tflops: 209.5,
		fp16Tflops: 209.5,
		memBandwidthGBs: 1792,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: RTX Blackwell whitepaper Table 3 (FP32 accumulate)`,
		trackerNames: ['RTX_5090']
	},
	{
		slug: 'rtx-4090',
		name: 'RTX 4090 24GB',
		vendor: 'nvidia',
		class: 'consumer',
		vramGb: 24,
		bf16Tflops: 165.2,
		fp16Tflops: 165.2,
		memBandwidthGBs: 1008,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: Ada whitepaper App. A (FP32 accumulate)`,
		trackerNames: ['RTX_4090']
	},
	{
		slug: 'rtx-4080-super',
		name: 'RTX 4080 SUPER 16GB',
		vendor: 'nvidia',
		class: 'consumer',
		vramGb: 16,
		bf16Tflops: 104.4,
		fp16Tflops: 104.4,
		memBandwidthGBs: 736,
		bf16: true,
		flashAttention: true,
		specSource: 'Ada whitepaper class figure for AD103 (FP32 accumulate) [mem]',
		specUnverified: true
	},
	{
		slug: 'rtx-3090',
		name: 'RTX 3090 24GB',
		vendor: 'nvidia',
		class: 'consumer',
		vramGb: 24,
		bf16Tflops: 71,
		fp16Tflops: 71,
		memBandwidthGBs: 936,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: GA102 whitepaper (FP32 accumulate)`
	},
	// --- AMD ---
	{
		slug: 'mi300x',
		name: 'Instinct MI300X 192GB',
		vendor: 'amd',
		class: 'datacenter',
		vramGb: 192,
		bf16Tflops: 1307,
		fp16Tflops: 1307,
		memBandwidthGBs: 5300,
		bf16: true,
		flashAttention: true,
		specSource: `${S24}: hmc-tech spec page`,
		trackerNames: ['MI300X']
	}
];

const BY_SLUG = new Map(GPUS.map((g) => [g.slug, g]));

export function gpuBySlug(slug: string): GpuSpec | undefined {
	return BY_SLUG.get(slug);
}

export const GPU_SLUGS: string[] = GPUS.map((g) => g.slug);

const BY_TRACKER = new Map(GPUS.flatMap((g) => (g.trackerNames ?? []).map((n) => [n, g.slug] as const)));

/** Archive (gpu-pricing-tracker) GPU name → slug, or undefined when the catalog does not know it. */
export function slugForTrackerName(name: string): string | undefined {
	return BY_TRACKER.get(name);
}

/** The peak the estimator uses: BF16 where the GPU has it, FP16 where it does not. */
export function trainingPeakTflops(g: GpuSpec): number | null {
	return g.bf16 ? g.bf16Tflops : g.fp16Tflops;
}

/**
 * SkyPilot's vast.ai catalog (skypilot-catalog `catalogs/v7/vast/vms.csv`) writes the vast `gpu_name`
 * into its InstanceType with spaces turned into underscores (`1x-H100_SXM-32-65536`, see
 * shared/research/providers.md §5 and the fixture history-skypilot-catalog-vast-v7-excerpt.csv). Its
 * AcceleratorName column merges form factors (H100 NVL → `H100`), so the InstanceType name is the one
 * to map. Names with 40/80 GB (or 16/32 GB) variants list every candidate; the per-GPU memory of the
 * row (GpuInfo) picks one.
 */
const SKYPILOT_VAST_NAMES: Record<string, string[]> = {
	H100_SXM: ['h100-sxm'],
	H100_PCIE: ['h100-pcie'],
	H100_NVL: ['h100-nvl'],
	H200: ['h200'],
	H200_NVL: ['h200-nvl'],
	GH200_SXM: ['gh200'],
	B200: ['b200'],
	A100_SXM4: ['a100-sxm-40gb', 'a100-sxm-80gb'],
	A100_SXM: ['a100-sxm-40gb', 'a100-sxm-80gb'],
	A100_PCIE: ['a100-pcie-40gb', 'a100-pcie-80gb'],
	L40S: ['l40s'],
	L40: ['l40'],
	L4: ['l4'],
	A40: ['a40'],
	A10: ['a10'],
	A10g: ['a10g'],
	A30: ['a30'],
	Tesla_T4: ['t4'],
	Tesla_V100: ['v100-16gb', 'v100-32gb'],
	RTX_PRO_6000: ['rtx-pro-6000'],
	RTX_PRO_6000_S: ['rtx-pro-6000'],
	RTX_PRO_6000_WS: ['rtx-pro-6000'],
	RTX_6000Ada: ['rtx-6000-ada'],
	RTX_A6000: ['rtx-a6000'],
	RTX_A5000: ['rtx-a5000'],
	RTX_A4000: ['rtx-a4000'],
	RTX_5090: ['rtx-5090'],
	RTX_4090: ['rtx-4090'],
	RTX_4080S: ['rtx-4080-super'],
	RTX_3090: ['rtx-3090']
};

/**
 * Memory tolerance when matching a row's per-GPU memory to a catalog GPU: vast reports MiB-ish figures
 * (24564 MiB for a 24 GB card, 81559 MiB for 80 GB; providers.md §1.7 "snap to nominal GB", gpuhunt
 * snaps within 7 %); 15 % still separates 40 from 80 GB and 16 from 32 GB, and keeps out modded cards
 * (a 48 GB "RTX 4090" in the SkyPilot excerpt is not the 24 GB product).
 */
const VRAM_MATCH_TOLERANCE = 0.15;

/**
 * SkyPilot vast InstanceType GPU name (`H100_SXM`, `A100_SXM4` …) → slug. `vramGbPerGpu` (from GpuInfo)
 * picks between memory variants and rejects a card whose memory does not match; undefined when unknown.
 */
export function slugForSkypilotVastName(name: string, vramGbPerGpu?: number): string | undefined {
	const candidates = SKYPILOT_VAST_NAMES[name];
	if (!candidates) return undefined;
	if (vramGbPerGpu === undefined || !Number.isFinite(vramGbPerGpu) || vramGbPerGpu <= 0) {
		return candidates.length === 1 ? candidates[0] : undefined;
	}
	let best: { slug: string; off: number } | undefined;
	for (const slug of candidates) {
		const g = BY_SLUG.get(slug);
		if (!g) continue;
		const off = Math.abs(vramGbPerGpu - g.vramGb) / g.vramGb;
		if (off <= VRAM_MATCH_TOLERANCE && (!best || off < best.off)) best = { slug, off };
	}
	return best?.slug;
}
