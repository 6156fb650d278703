/**
 * One GPU catalog: canonical GPUs with lowercase hyphenated slugs that keep form factor and memory
 * where they change the price (H100 SXM ≠ PCIe ≠ NVL; A100 40 GB ≠ 80 GB). Each carries the specs the
 * estimator needs, with the source of every figure.
 *
 * Spec sources (each GPU's public document is in spec-documents.ts, which the pages cite by title and URL):
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
	/** how the figures were read from the GPU's document (specDocument gives its title and URL) */
	specSource: string;
	/** true when a figure is from memory/aggregators and not verified against a stored source */
	specUnverified?: boolean;
	/** GPU names in the archive (gpu-pricing-tracker `gpu_model`) that mean this GPU */
	trackerNames?: string[];
}

/** Prefix of figures read from the GPU's datasheet or architecture whitepaper (spec-documents.ts), dense. */
const S24 = 'datasheet/whitepaper, dense';

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
	{
		slug: 'rtx-a4500',
		name: 'RTX A4500 20GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 20,
		bf16Tflops: 94.6,
		fp16Tflops: 94.6,
		memBandwidthGBs: 640,
		bf16: true,
		flashAttention: true,
		specSource: 'RTX A4500 datasheet (189.2 sparse /2) [mem]',
		specUnverified: true
	},
	{
		slug: 'rtx-pro-5000',
		name: 'RTX PRO 5000 Blackwell 48GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 48,
		bf16Tflops: 268,
		fp16Tflops: 268,
		memBandwidthGBs: 1344,
		bf16: true,
		flashAttention: true,
		specSource: 'RTX PRO 5000 Blackwell datasheet: 2,142 AI TOPS (FP4 sparse) /8 [mem]',
		specUnverified: true
	},
	{
		slug: 'rtx-pro-4500',
		name: 'RTX PRO 4500 Blackwell 32GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 32,
		bf16Tflops: 211,
		fp16Tflops: 211,
		memBandwidthGBs: 896,
		bf16: true,
		flashAttention: true,
		specSource: 'RTX PRO 4500 Blackwell datasheet: 1,687 AI TOPS (FP4 sparse) /8 [mem]',
		specUnverified: true
	},
	{
		slug: 'rtx-pro-4000',
		name: 'RTX PRO 4000 Blackwell 24GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 24,
		bf16Tflops: 156,
		fp16Tflops: 156,
		memBandwidthGBs: 672,
		bf16: true,
		flashAttention: true,
		specSource: 'RTX PRO 4000 Blackwell datasheet: 1,247 AI TOPS (FP4 sparse) /8 [mem]',
		specUnverified: true
	},
	{
		slug: 'rtx-5880-ada',
		name: 'RTX 5880 Ada 48GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 48,
		bf16Tflops: 277,
		fp16Tflops: 277,
		memBandwidthGBs: 960,
		bf16: true,
		flashAttention: true,
		specSource: 'RTX 6000 Ada figure scaled by FP32 rate (69.3 of 91.1 TFLOPS) [mem]',
		specUnverified: true
	},
	{
		slug: 'rtx-5000-ada',
		name: 'RTX 5000 Ada 32GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 32,
		bf16Tflops: 261.1,
		fp16Tflops: 261.1,
		memBandwidthGBs: 576,
		bf16: true,
		flashAttention: true,
		specSource: 'RTX 5000 Ada datasheet: 1,044.4 AI TOPS (FP8 sparse) /4 [mem]',
		specUnverified: true
	},
	{
		slug: 'rtx-4500-ada',
		name: 'RTX 4500 Ada 24GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 24,
		bf16Tflops: 158.5,
		fp16Tflops: 158.5,
		memBandwidthGBs: 432,
		bf16: true,
		flashAttention: true,
		specSource: 'RTX 4500 Ada datasheet: 634 AI TOPS (FP8 sparse) /4 [mem]',
		specUnverified: true
	},
	{
		slug: 'rtx-4000-ada',
		name: 'RTX 4000 Ada 20GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 20,
		bf16Tflops: 81.9,
		fp16Tflops: 81.9,
		memBandwidthGBs: 360,
		bf16: true,
		flashAttention: true,
		specSource: 'RTX 4000 Ada datasheet: 327.6 AI TOPS (FP8 sparse) /4 [mem]',
		specUnverified: true
	},
	{
		slug: 'rtx-4000-sff-ada',
		name: 'RTX 4000 SFF Ada 20GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 20,
		bf16Tflops: 76.7,
		fp16Tflops: 76.7,
		memBandwidthGBs: 280,
		bf16: true,
		flashAttention: true,
		specSource: 'RTX 4000 SFF Ada datasheet (70 W): 306.8 AI TOPS (FP8 sparse) /4 [mem]',
		specUnverified: true
	},
	{
		slug: 'rtx-2000-ada',
		name: 'RTX 2000 Ada 16GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 16,
		bf16Tflops: 48,
		fp16Tflops: 48,
		memBandwidthGBs: 224,
		bf16: true,
		flashAttention: true,
		specSource: 'RTX 2000 Ada datasheet: 191.9 AI TOPS (FP8 sparse) /4 [mem]',
		specUnverified: true
	},
	{
		slug: 'quadro-rtx-8000',
		name: 'Quadro RTX 8000 48GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 48,
		bf16Tflops: null,
		fp16Tflops: 130.5,
		memBandwidthGBs: 672,
		bf16: false,
		flashAttention: false,
		specSource: 'Quadro RTX 8000 datasheet: 130.5 FP16 tensor, Turing has no BF16 [mem]',
		specUnverified: true
	},
	{
		slug: 'quadro-rtx-6000',
		name: 'Quadro RTX 6000 24GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 24,
		bf16Tflops: null,
		fp16Tflops: 130.5,
		memBandwidthGBs: 672,
		bf16: false,
		flashAttention: false,
		specSource: 'Quadro RTX 6000 datasheet: 130.5 FP16 tensor, Turing has no BF16 [mem]',
		specUnverified: true
	},
	{
		slug: 'quadro-rtx-5000',
		name: 'Quadro RTX 5000 16GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 16,
		bf16Tflops: null,
		fp16Tflops: 89.2,
		memBandwidthGBs: 448,
		bf16: false,
		flashAttention: false,
		specSource: 'Quadro RTX 5000 datasheet: 89.2 FP16 tensor, Turing has no BF16 [mem]',
		specUnverified: true
	},
	{
		slug: 'quadro-gv100',
		name: 'Quadro GV100 32GB',
		vendor: 'nvidia',
		class: 'workstation',
		vramGb: 32,
		bf16Tflops: null,
		fp16Tflops: 118.5,
		memBandwidthGBs: 870,
		bf16: false,
		flashAttention: false,
		specSource: 'Quadro GV100 datasheet: 118.5 tensor, Volta has no BF16 [mem]',
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
	{
		slug: 'rtx-3090-ti',
		name: 'RTX 3090 Ti 24GB',
		vendor: 'nvidia',
		class: 'consumer',
		vramGb: 24,
		bf16Tflops: 80,
		fp16Tflops: 80,
		memBandwidthGBs: 1008,
		bf16: true,
		flashAttention: true,
		specSource: 'RTX 3090 figure (71) scaled to the full GA102: 84 SMs at 1.86 GHz [mem]',
		specUnverified: true
	},
	{
		slug: 'rtx-4090d',
		name: 'RTX 4090 D 24GB',
		vendor: 'nvidia',
		class: 'consumer',
		vramGb: 24,
		bf16Tflops: 147.1,
		fp16Tflops: 147.1,
		memBandwidthGBs: 1008,
		bf16: true,
		flashAttention: true,
		specSource: 'RTX 4090 figure (165.2) scaled to 114 of 128 SMs (China-market variant) [mem]',
		specUnverified: true
	},
	{
		slug: 'rtx-4080',
		name: 'RTX 4080 16GB',
		vendor: 'nvidia',
		class: 'consumer',
		vramGb: 16,
		bf16Tflops: 97.5,
		fp16Tflops: 97.5,
		memBandwidthGBs: 716.8,
		bf16: true,
		flashAttention: true,
		specSource: 'Ada whitepaper App. A, RTX 4080 16GB (FP32 accumulate) [mem]',
		specUnverified: true
	},
	{
		slug: 'rtx-4070-ti-super',
		name: 'RTX 4070 Ti SUPER 16GB',
		vendor: 'nvidia',
		class: 'consumer',
		vramGb: 16,
		bf16Tflops: 88.2,
		fp16Tflops: 88.2,
		memBandwidthGBs: 672,
		bf16: true,
		flashAttention: true,
		specSource: 'RTX 4090 figure scaled to AD103 with 66 SMs at 2.61 GHz (FP32 accumulate) [mem]',
		specUnverified: true
	},
	{
		slug: 'rtx-5080',
		name: 'RTX 5080 16GB',
		vendor: 'nvidia',
		class: 'consumer',
		vramGb: 16,
		bf16Tflops: 112.6,
		fp16Tflops: 112.6,
		memBandwidthGBs: 960,
		bf16: true,
		flashAttention: true,
		specSource: 'RTX Blackwell whitepaper, RTX 5080 (225.1 with FP16 accumulate, halved) [mem]',
		specUnverified: true
	},
	{
		slug: 'rtx-5070-ti',
		name: 'RTX 5070 Ti 16GB',
		vendor: 'nvidia',
		class: 'consumer',
		vramGb: 16,
		bf16Tflops: 87.9,
		fp16Tflops: 87.9,
		memBandwidthGBs: 896,
		bf16: true,
		flashAttention: true,
		specSource: 'RTX Blackwell whitepaper, RTX 5070 Ti (175.8 with FP16 accumulate, halved) [mem]',
		specUnverified: true
	},
	{
		slug: 'titan-rtx',
		name: 'TITAN RTX 24GB',
		vendor: 'nvidia',
		class: 'consumer',
		vramGb: 24,
		bf16Tflops: null,
		fp16Tflops: 130.5,
		memBandwidthGBs: 672,
		bf16: false,
		flashAttention: false,
		specSource: 'Turing whitepaper, TITAN RTX (full-rate FP32 accumulate), no BF16 [mem]',
		specUnverified: true
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
	},
	{
		slug: 'mi350x',
		name: 'Instinct MI350X 288GB',
		vendor: 'amd',
		class: 'datacenter',
		vramGb: 288,
		bf16Tflops: 2307,
		fp16Tflops: 2307,
		memBandwidthGBs: 8000,
		bf16: true,
		flashAttention: true,
		specSource: 'AMD Instinct MI350X product page (dense FP16/BF16 2.3 PFLOPS, 8 TB/s) [mem]',
		specUnverified: true
	},
	{
		slug: 'mi210',
		name: 'Instinct MI210 64GB',
		vendor: 'amd',
		class: 'datacenter',
		vramGb: 64,
		bf16Tflops: 181,
		fp16Tflops: 181,
		memBandwidthGBs: 1638,
		bf16: true,
		flashAttention: true,
		specSource: 'AMD Instinct MI210 datasheet (181 FP16/BF16 matrix) [mem]',
		specUnverified: true
	},
	{
		slug: 'mi100',
		name: 'Instinct MI100 32GB',
		vendor: 'amd',
		class: 'datacenter',
		vramGb: 32,
		bf16Tflops: 92.3,
		fp16Tflops: 184.6,
		memBandwidthGBs: 1229,
		bf16: true,
		// ROCm's FlashAttention-2 (composable kernel) targets CDNA2 (MI200) and newer.
		flashAttention: false,
		specSource: 'AMD Instinct MI100 datasheet (92.3 BF16, 184.6 FP16 matrix) [mem]',
		specUnverified: true
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

// ---------------------------------------------------------------------------------------------------
// Provider GPU names → catalog slugs.
//
// Scope of the catalog: whole GPUs useful for the LLM fine-tuning and serving this dashboard prices —
// NVIDIA Volta or newer and AMD Instinct CDNA, with at least 16 GB per GPU. Every name a provider is
// known to send (the fixtures: vast.ai's 144 `gpu_name` constants, RunPod's type ids) is listed here,
// either mapped or excluded with the reason. A live name that is in none of these tables is "unmapped":
// counted and listed in provider health, never guessed.
// ---------------------------------------------------------------------------------------------------

/** How one provider GPU name resolves. `byVramGb` splits a name sold in several memory sizes. */
export type NameRule = { slug: string } | { byVramGb: Record<number, string> } | { exclude: string };

const EXCLUDE = {
	preVolta: 'pre-Volta GPU (no tensor cores): outside the catalog',
	laptop: 'laptop/mobile GPU: outside the catalog',
	mining: 'mining card (CMP / P10x: cut-down I/O, no display): outside the catalog',
	smallConsumer: 'consumer card under 16 GB: too small for the LLM work this catalog prices',
	entryConsumer: 'entry-level (x050/x060 class) consumer card: outside the catalog',
	smallWorkstation: 'workstation card under 16 GB: too small for the LLM work this catalog prices',
	radeon: 'AMD Radeon / Radeon PRO (RDNA, GCN) card: no validated training specs in the catalog',
	unreleased: 'no such retail product was released: its specs cannot be pinned',
	mig: 'a MIG slice (part of a GPU), not a whole GPU',
	placeholder: "RunPod's placeholder type, not a GPU"
} as const;

const ex = (reason: string): NameRule => ({ exclude: reason });
const to = (slug: string): NameRule => ({ slug });

/**
 * vast.ai `gpu_name` → slug. Names are exact (vast-cli vastai/data/query.py, "from vast/controller/
 * gpulist.json"; shared fixture vast-gpu-names.json, 144 names). A100/A800/V100 names cover two memory
 * sizes: the offer's `gpu_ram` picks the variant (providers.md §1.7).
 */
export const VASTAI_GPU_NAMES: Record<string, NameRule> = {
	A10: to('a10'),
	A10g: to('a10g'),
	A16: ex('virtual-desktop board (four 16 GB GPUs at 200 GB/s each): not an LLM training card'),
	A30: to('a30'),
	A40: to('a40'),
	'A100 PCIE': { byVramGb: { 40: 'a100-pcie-40gb', 80: 'a100-pcie-80gb' } },
	'A100 SXM4': { byVramGb: { 40: 'a100-sxm-40gb', 80: 'a100-sxm-80gb' } },
	'A100 SXM': { byVramGb: { 40: 'a100-sxm-40gb', 80: 'a100-sxm-80gb' } },
	// A100X: an A100 80 GB PCIe board with a BlueField DPU on the same card — the GPU is an A100 PCIe.
	A100X: { byVramGb: { 80: 'a100-pcie-80gb' } },
	// A800: the export variant of the A100 (estimation.md §2.4: "A800-PCIe identical" to A100 PCIe).
	'A800 PCIE': { byVramGb: { 40: 'a100-pcie-40gb', 80: 'a100-pcie-80gb' } },
	B200: to('b200'),
	'GH200 SXM': to('gh200'),
	'H100 PCIE': to('h100-pcie'),
	'H100 SXM': to('h100-sxm'),
	'H100 NVL': to('h100-nvl'),
	H200: to('h200'),
	'H200 NVL': to('h200-nvl'),
	L4: to('l4'),
	L40: to('l40'),
	L40S: to('l40s'),
	'Tesla K20c': ex(EXCLUDE.preVolta),
	'Tesla K80': ex(EXCLUDE.preVolta),
	'Tesla M40': ex(EXCLUDE.preVolta),
	'Tesla P4': ex(EXCLUDE.preVolta),
	'Tesla P6': ex(EXCLUDE.preVolta),
	'Tesla P40': ex(EXCLUDE.preVolta),
	'Tesla P100': ex(EXCLUDE.preVolta),
	'Tesla T4': to('t4'),
	'Tesla V100': { byVramGb: { 16: 'v100-16gb', 32: 'v100-32gb' } },
	'GeForce 970': ex(EXCLUDE.preVolta),
	'GTX 750 Ti': ex(EXCLUDE.preVolta),
	'GTX 1050': ex(EXCLUDE.preVolta),
	'GTX 1050 Ti': ex(EXCLUDE.preVolta),
	'GTX 1060': ex(EXCLUDE.preVolta),
	'GTX 1070': ex(EXCLUDE.preVolta),
	'GTX 1070 Ti': ex(EXCLUDE.preVolta),
	'GTX 1080': ex(EXCLUDE.preVolta),
	'GTX 1080 Ti': ex(EXCLUDE.preVolta),
	// GTX 16xx is Turing without tensor cores.
	'GTX 1650': ex(EXCLUDE.preVolta),
	'GTX 1650 S': ex(EXCLUDE.preVolta),
	'GTX 1650 Ti': ex(EXCLUDE.preVolta),
	'GTX 1660': ex(EXCLUDE.preVolta),
	'GTX 1660 S': ex(EXCLUDE.preVolta),
	'GTX 1660 Ti': ex(EXCLUDE.preVolta),
	'GTX TITAN X': ex(EXCLUDE.preVolta),
	'RTX 2060': ex(EXCLUDE.entryConsumer),
	'RTX 2060S': ex(EXCLUDE.entryConsumer),
	'RTX 2070': ex(EXCLUDE.smallConsumer),
	'RTX 2070S': ex(EXCLUDE.smallConsumer),
	'RTX 2080': ex(EXCLUDE.smallConsumer),
	'RTX 2080S': ex(EXCLUDE.smallConsumer),
	'RTX 2080 Ti': ex(EXCLUDE.smallConsumer),
	'RTX 3050': ex(EXCLUDE.entryConsumer),
	'RTX 3060': ex(EXCLUDE.entryConsumer),
	'RTX 3060 laptop': ex(EXCLUDE.laptop),
	'RTX 3060 Ti': ex(EXCLUDE.entryConsumer),
	'RTX 3070': ex(EXCLUDE.smallConsumer),
	'RTX 3070 laptop': ex(EXCLUDE.laptop),
	'RTX 3070 Ti': ex(EXCLUDE.smallConsumer),
	'RTX 3080': ex(EXCLUDE.smallConsumer),
	'RTX 3080 Ti': ex(EXCLUDE.smallConsumer),
	'RTX 3090': to('rtx-3090'),
	'RTX 3090 Ti': to('rtx-3090-ti'),
	'RTX 4060': ex(EXCLUDE.entryConsumer),
	'RTX 4060 laptop': ex(EXCLUDE.laptop),
	'RTX 4060 Ti': ex(EXCLUDE.entryConsumer),
	'RTX 4070': ex(EXCLUDE.smallConsumer),
	'RTX 4070 laptop': ex(EXCLUDE.laptop),
	'RTX 4070S': ex(EXCLUDE.smallConsumer),
	// vast spells the RTX 4070 Ti SUPER "RTX 4070S Ti" (providers.md §1.6: inconsistent spacing).
	'RTX 4070S Ti': to('rtx-4070-ti-super'),
	'RTX 4070 Ti': ex(EXCLUDE.smallConsumer),
	'RTX 4080': to('rtx-4080'),
	'RTX 4080 laptop': ex(EXCLUDE.laptop),
	'RTX 4080S': to('rtx-4080-super'),
	'RTX 4090': to('rtx-4090'),
	'RTX 4090D': to('rtx-4090d'),
	'RTX 4090 Ti': ex(EXCLUDE.unreleased),
	'RTX 5060': ex(EXCLUDE.entryConsumer),
	'RTX 5060 Ti': ex(EXCLUDE.entryConsumer),
	'RTX 5070': ex(EXCLUDE.smallConsumer),
	'RTX 5070 Ti': to('rtx-5070-ti'),
	'RTX 5080': to('rtx-5080'),
	'RTX 5090': to('rtx-5090'),
	'RTX 5090 Ti': ex(EXCLUDE.unreleased),
	'Titan RTX': to('titan-rtx'),
	'Titan V': ex(EXCLUDE.smallConsumer),
	'TITAN V CEO': ex('the 32 GB Titan V CEO Edition was a giveaway of a few units: too rare to price'),
	'Titan X': ex(EXCLUDE.preVolta),
	'Titan Xp': ex(EXCLUDE.preVolta),
	'Quadro K620': ex(EXCLUDE.preVolta),
	'Quadro K2200': ex(EXCLUDE.preVolta),
	'Quadro P2000': ex(EXCLUDE.preVolta),
	'Quadro P4000': ex(EXCLUDE.preVolta),
	'Quadro P5000': ex(EXCLUDE.preVolta),
	'Quadro P6000': ex(EXCLUDE.preVolta),
	'Quadro GP100': ex(EXCLUDE.preVolta),
	'Quadro GV100': to('quadro-gv100'),
	'Q RTX 4000': ex(EXCLUDE.smallWorkstation),
	'Q RTX 5000': to('quadro-rtx-5000'),
	'Q RTX 6000': to('quadro-rtx-6000'),
	'Q RTX 8000': to('quadro-rtx-8000'),
	'RTX A2000': ex(EXCLUDE.smallWorkstation),
	'RTX A4000': to('rtx-a4000'),
	'RTX A4500': to('rtx-a4500'),
	'RTX A5000': to('rtx-a5000'),
	'RTX A6000': to('rtx-a6000'),
	'RTX 2000Ada': to('rtx-2000-ada'),
	'RTX 4000Ada': to('rtx-4000-ada'),
	'RTX 4500Ada': to('rtx-4500-ada'),
	'RTX 5000Ada': to('rtx-5000-ada'),
	'RTX 5880Ada': to('rtx-5880-ada'),
	'RTX 6000Ada': to('rtx-6000-ada'),
	'RTX PRO 4000': to('rtx-pro-4000'),
	'RTX PRO 4000 Mobile': ex(EXCLUDE.laptop),
	'RTX PRO 4500': to('rtx-pro-4500'),
	'RTX PRO 5000': to('rtx-pro-5000'),
	// The Server, Workstation and Max-Q editions share the 96 GB GB202 chip; one slug, as gpuhunt does.
	'RTX PRO 6000': to('rtx-pro-6000'),
	'RTX PRO 6000 S': to('rtx-pro-6000'),
	'RTX PRO 6000 WS': to('rtx-pro-6000'),
	'RTX PRO 6000 Max-Q': to('rtx-pro-6000'),
	'CMP 50HX': ex(EXCLUDE.mining),
	'CMP 170HX': ex(EXCLUDE.mining),
	'P104-100': ex(EXCLUDE.mining),
	'P106-100': ex(EXCLUDE.mining),
	InstinctMI50: ex('AMD Instinct MI50 (GCN, pre-CDNA): no matrix cores'),
	InstinctMI100: to('mi100'),
	InstinctMI210: to('mi210'),
	InstinctMI250X: ex('dual-die module (two 64 GB dies shown as one or two GPUs): per-GPU unit ambiguous'),
	'PRO W6800': ex(EXCLUDE.radeon),
	'PRO W7800': ex(EXCLUDE.radeon),
	'PRO W7900': ex(EXCLUDE.radeon),
	'Pro V620': ex(EXCLUDE.radeon),
	'Radeon VII': ex(EXCLUDE.radeon),
	'Radeon Pro VII': ex(EXCLUDE.radeon),
	'RX 6800': ex(EXCLUDE.radeon),
	'RX 6800 XT': ex(EXCLUDE.radeon),
	'RX 6900 XT': ex(EXCLUDE.radeon),
	'RX 6950 XT': ex(EXCLUDE.radeon),
	'RX 7600': ex(EXCLUDE.radeon),
	'RX 7700 XT': ex(EXCLUDE.radeon),
	'RX 7800 XT': ex(EXCLUDE.radeon),
	'RX 7900 GRE': ex(EXCLUDE.radeon),
	'RX 7900 XT': ex(EXCLUDE.radeon),
	'RX 7900 XTX': ex(EXCLUDE.radeon)
};

/**
 * RunPod GPU type `id` → slug (match on the id, not displayName: providers.md §2.2, §2.6). Ids from
 * the docs' GPU types table and the 2026 v2 catalog (shared fixtures runpod-gpu-type-ids.json,
 * runpod-v2-catalog-gpus-real.json). Any id containing " MIG " is a slice and excluded by rule.
 */
export const RUNPOD_GPU_IDS: Record<string, NameRule> = {
	'AMD Instinct MI300X OAM': to('mi300x'),
	'AMD Instinct MI350 OAM': to('mi350x'),
	'NVIDIA A100 80GB PCIe': to('a100-pcie-80gb'),
	'NVIDIA A100-SXM4-80GB': to('a100-sxm-80gb'),
	'NVIDIA A100-SXM4-40GB': to('a100-sxm-40gb'),
	'NVIDIA A30': to('a30'),
	'NVIDIA A40': to('a40'),
	'NVIDIA B200': to('b200'),
	'NVIDIA B300 SXM6 AC': to('b300'),
	'NVIDIA GeForce RTX 3070': ex(EXCLUDE.smallConsumer),
	'NVIDIA GeForce RTX 3080': ex(EXCLUDE.smallConsumer),
	'NVIDIA GeForce RTX 3080 Ti': ex(EXCLUDE.smallConsumer),
	'NVIDIA GeForce RTX 3090': to('rtx-3090'),
	'NVIDIA GeForce RTX 3090 Ti': to('rtx-3090-ti'),
	'NVIDIA GeForce RTX 4070 Ti': ex(EXCLUDE.smallConsumer),
	'NVIDIA GeForce RTX 4080': to('rtx-4080'),
	'NVIDIA GeForce RTX 4080 SUPER': to('rtx-4080-super'),
	'NVIDIA GeForce RTX 4090': to('rtx-4090'),
	'NVIDIA GeForce RTX 5080': to('rtx-5080'),
	'NVIDIA GeForce RTX 5090': to('rtx-5090'),
	'NVIDIA H100 80GB HBM3': to('h100-sxm'),
	'NVIDIA H100 NVL': to('h100-nvl'),
	'NVIDIA H100 PCIe': to('h100-pcie'),
	'NVIDIA H200': to('h200'),
	'NVIDIA H200 NVL': to('h200-nvl'),
	'NVIDIA L4': to('l4'),
	'NVIDIA L40': to('l40'),
	'NVIDIA L40S': to('l40s'),
	'NVIDIA RTX 2000 Ada Generation': to('rtx-2000-ada'),
	'NVIDIA RTX 4000 Ada Generation': to('rtx-4000-ada'),
	// The 70 W small-form-factor card lists at a different price than the RTX 4000 Ada: its own slug.
	'NVIDIA RTX 4000 SFF Ada Generation': to('rtx-4000-sff-ada'),
	'NVIDIA RTX 5000 Ada Generation': to('rtx-5000-ada'),
	'NVIDIA RTX 6000 Ada Generation': to('rtx-6000-ada'),
	'NVIDIA RTX A2000': ex(EXCLUDE.smallWorkstation),
	'NVIDIA RTX A4000': to('rtx-a4000'),
	'NVIDIA RTX A4500': to('rtx-a4500'),
	'NVIDIA RTX A5000': to('rtx-a5000'),
	'NVIDIA RTX A6000': to('rtx-a6000'),
	'NVIDIA RTX PRO 4000 Blackwell': to('rtx-pro-4000'),
	'NVIDIA RTX PRO 4500 Blackwell': to('rtx-pro-4500'),
	'NVIDIA RTX PRO 4500 Blackwell Server Edition': to('rtx-pro-4500'),
	'NVIDIA RTX PRO 5000 Blackwell': to('rtx-pro-5000'),
	'NVIDIA RTX PRO 6000 Blackwell Server Edition': to('rtx-pro-6000'),
	'NVIDIA RTX PRO 6000 Blackwell Workstation Edition': to('rtx-pro-6000'),
	'NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition': to('rtx-pro-6000'),
	'Tesla V100-FHHL-16GB': to('v100-16gb'),
	'Tesla V100-PCIE-16GB': to('v100-16gb'),
	'Tesla V100-SXM2-16GB': to('v100-16gb'),
	'Tesla V100-SXM2-32GB': to('v100-32gb'),
	unknown: ex(EXCLUDE.placeholder)
};

/**
 * Lambda instance-type GPU token (the part of `gpu_<n>x_<token>` after the count) → slug
 * (providers.md §3.2–3.4; SkyPilot fetch_lambda_cloud.py; transformerlab PR #2307).
 */
export const LAMBDA_GPU_TOKENS: Record<string, NameRule> = {
	a10: to('a10'),
	// gpu_1x_a100 is the 40 GB PCIe card; the SXM4 and 80 GB SXM4 types say so in their names.
	a100: to('a100-pcie-40gb'),
	a100_sxm4: to('a100-sxm-40gb'),
	a100_80gb_sxm4: to('a100-sxm-80gb'),
	a6000: to('rtx-a6000'),
	// gpu_1x_rtx6000 is the 24 GB Quadro RTX 6000 (Turing), not the RTX 6000 Ada and not the A6000.
	rtx6000: to('quadro-rtx-6000'),
	v100: to('v100-16gb'),
	// gpu_8x_v100_n: a second 8x V100 16 GB type, same price (SkyPilot's Lambda catalog v8, 16 GiB GpuInfo).
	v100_n: to('v100-16gb'),
	h100_pcie: to('h100-pcie'),
	h100_sxm5: to('h100-sxm'),
	// "gdr": the GPUDirect-RDMA networking variant of the same 8x H100 SXM5 machine (spec example).
	h100_sxm5gdr: to('h100-sxm'),
	gh200: to('gh200'),
	b200_sxm6: to('b200')
};

export type NameResolution =
	| { kind: 'slug'; slug: string }
	| { kind: 'excluded'; reason: string }
	/** a name sold in several memory sizes whose memory matches none of them */
	| { kind: 'vram-mismatch'; vramGb: number | null }
	| { kind: 'unmapped' };

/** Memory reported by providers is "MiB-ish" (24564 for a 24 GB card): match a variant within 10%. */
export const VRAM_MATCH_TOLERANCE = 0.1;

/** Resolves a provider GPU name with one of the tables above; `vramGb` picks a memory variant. */
export function resolveGpuName(
	table: Record<string, NameRule>,
	name: string,
	vramGb?: number | null
): NameResolution {
	const rule = Object.hasOwn(table, name) ? table[name] : undefined;
	if (!rule) return { kind: 'unmapped' };
	if ('slug' in rule) return { kind: 'slug', slug: rule.slug };
	if ('exclude' in rule) return { kind: 'excluded', reason: rule.exclude };
	if (vramGb == null || !Number.isFinite(vramGb)) return { kind: 'vram-mismatch', vramGb: null };
	for (const [size, slug] of Object.entries(rule.byVramGb)) {
		const nominal = Number(size);
		if (Math.abs(vramGb - nominal) <= nominal * VRAM_MATCH_TOLERANCE) return { kind: 'slug', slug };
	}
	return { kind: 'vram-mismatch', vramGb };
}

/**
 * SkyPilot's vast.ai catalog (skypilot-catalog `catalogs/v7/vast/vms.csv`) writes vast's `gpu_name` into
 * its InstanceType with spaces turned into underscores (`1x-H100_SXM-32-65536`; shared research
 * providers.md §5 and the fixture history-skypilot-catalog-vast-v7-excerpt.csv). Its AcceleratorName
 * column merges form factors (H100 NVL → `H100`), so the InstanceType name is mapped, through the vast.ai
 * table above.
 */
export function slugForSkypilotVastName(name: string, vramGbPerGpu?: number): string | undefined {
	const res = resolveGpuName(VASTAI_GPU_NAMES, name.replaceAll('_', ' '), vramGbPerGpu);
	if (res.kind !== 'slug') return undefined;
	// A one-size name still has to match in memory: the SkyPilot excerpt lists a 48 GB "RTX 4090"
	// (a modded card, not the 24 GB product). Same tolerance as the variant match above.
	const g = BY_SLUG.get(res.slug);
	if (g && vramGbPerGpu !== undefined && Number.isFinite(vramGbPerGpu)) {
		if (Math.abs(vramGbPerGpu - g.vramGb) > g.vramGb * VRAM_MATCH_TOLERANCE) return undefined;
	}
	return res.slug;
}
