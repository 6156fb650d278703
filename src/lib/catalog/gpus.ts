/**
 * One GPU catalog: canonical GPUs with lowercase hyphenated slugs that keep form factor and memory
 * where they change the price (H100 SXM ≠ PCIe ≠ NVL; A100 40 GB ≠ 80 GB). Each carries the specs the
 * estimator needs, with the source of every figure.
 *
 * Spec sources (each GPU's public document is in spec-documents.ts, which the pages cite by title and URL):
 *  - [2.4] figures read from those datasheets/whitepapers as docs/estimation.md §2.4 explains (dense, no
 *    sparsity; BF16 = tensor-core rate with FP32 accumulate — GeForce cards run that at half their
 *    FP16-accumulate rate);
 *  - [mem] figures not verified against a datasheet read for this project: shown as "unverified" wherever
 *    the app displays them.
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
		specSource: `${S24}: H100 SXM5 1,979 sparse /2`
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
		specSource: `${S24}: H100 PCIe 1,513 sparse /2`
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
		specUnverified: true
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
		specSource: `${S24}: same die as H100 SXM`
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
		specUnverified: true
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
		specSource: `${S24}: B200 (HGX/DGX)`
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
		specUnverified: true
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
		specSource: `${S24}: A100 datasheet "312 | 624*"`
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
		specSource: `${S24}: A100 datasheet`
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
		specSource: `${S24}: A100 datasheet`
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
		specSource: `${S24}: A100 datasheet`
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
		specSource: `${S24}: 366/733 sparse listing`
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
		specSource: `${S24}: FP16-32acc 181`
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
		specUnverified: true
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
		specSource: `${S24}: RTX Blackwell whitepaper Table 3 (FP32 accumulate)`
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
		specSource: `${S24}: Ada whitepaper App. A (FP32 accumulate)`
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
		specSource: `${S24}: hmc-tech spec page`
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

/** The peak the estimator uses: BF16 where the GPU has it, FP16 where it does not. */
export function trainingPeakTflops(g: GpuSpec): number | null {
	return g.bf16 ? g.bf16Tflops : g.fp16Tflops;
}
