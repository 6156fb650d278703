import { to, type NameRule } from './gpu-names.ts';

/**
 * Lambda instance-type GPU token (the part of `gpu_<n>x_<token>` after the count) → slug
 * (docs/providers.md §3.2–3.4; SkyPilot fetch_lambda_cloud.py; transformerlab PR #2307).
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
