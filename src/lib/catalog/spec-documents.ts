/**
 * The public documents the GPU catalog's figures (gpus.ts) are read from: each GPU's datasheet,
 * product page or architecture whitepaper, cited by title and URL on the GPU pages and in /api/gpus so a
 * user can open the source of every spec shown.
 */

/** A public document a user can open: the datasheet, product page or whitepaper the figures come from. */
export interface SpecDocument {
	title: string;
	url: string;
}

const doc = (title: string, url: string): SpecDocument => ({ title, url });

/** The documents the catalog's figures are read from (cited on the GPU pages and in /api/gpus). */
export const SPEC_DOCUMENTS = {
	h100: doc(
		'NVIDIA H100 Tensor Core GPU datasheet',
		'https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet'
	),
	h200: doc(
		'NVIDIA H200 Tensor Core GPU (product page and datasheet)',
		'https://www.nvidia.com/en-us/data-center/h200/'
	),
	gh200: doc(
		'NVIDIA GH200 Grace Hopper Superchip (product page)',
		'https://www.nvidia.com/en-us/data-center/grace-hopper-superchip/'
	),
	b200: doc(
		'NVIDIA DGX B200 (product page and datasheet)',
		'https://www.nvidia.com/en-us/data-center/dgx-b200/'
	),
	hgx: doc(
		'NVIDIA HGX platform (product page, HGX B300 specifications)',
		'https://www.nvidia.com/en-us/data-center/hgx/'
	),
	a100: doc(
		'NVIDIA A100 Tensor Core GPU datasheet',
		'https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf'
	),
	l40s: doc('NVIDIA L40S GPU (product page and datasheet)', 'https://www.nvidia.com/en-us/data-center/l40s/'),
	l40: doc('NVIDIA L40 GPU (product page and datasheet)', 'https://www.nvidia.com/en-us/data-center/l40/'),
	l4: doc(
		'NVIDIA L4 Tensor Core GPU (product page and datasheet)',
		'https://www.nvidia.com/en-us/data-center/l4/'
	),
	a40: doc('NVIDIA A40 GPU (product page and datasheet)', 'https://www.nvidia.com/en-us/data-center/a40/'),
	a10: doc(
		'NVIDIA A10 Tensor Core GPU (product page and datasheet)',
		'https://www.nvidia.com/en-us/data-center/products/a10-gpu/'
	),
	a30: doc(
		'NVIDIA A30 Tensor Core GPU (product page and datasheet)',
		'https://www.nvidia.com/en-us/data-center/products/a30-gpu/'
	),
	t4: doc(
		'NVIDIA T4 Tensor Core GPU (product page and datasheet)',
		'https://www.nvidia.com/en-us/data-center/tesla-t4/'
	),
	v100: doc(
		'NVIDIA V100 Tensor Core GPU (product page and datasheet)',
		'https://www.nvidia.com/en-us/data-center/v100/'
	),
	volta: doc(
		'NVIDIA Tesla V100 GPU Architecture whitepaper (Volta)',
		'https://images.nvidia.com/content/volta-architecture/pdf/volta-architecture-whitepaper.pdf'
	),
	turing: doc(
		'NVIDIA Turing GPU Architecture whitepaper',
		'https://images.nvidia.com/aem-dam/en-zz/Solutions/design-visualization/technologies/turing-architecture/NVIDIA-Turing-Architecture-Whitepaper.pdf'
	),
	ga102: doc(
		'NVIDIA Ampere GA102 GPU Architecture whitepaper',
		'https://www.nvidia.com/content/PDF/nvidia-ampere-ga-102-gpu-architecture-whitepaper-v2.pdf'
	),
	ada: doc(
		'NVIDIA Ada GPU Architecture whitepaper',
		'https://images.nvidia.com/aem-dam/Solutions/geforce/ada/nvidia-ada-gpu-architecture.pdf'
	),
	rtxBlackwell: doc(
		'NVIDIA RTX Blackwell GPU Architecture whitepaper',
		'https://images.nvidia.com/aem-dam/Solutions/geforce/blackwell/nvidia-rtx-blackwell-gpu-architecture.pdf'
	),
	mi300x: doc(
		'AMD Instinct MI300X data sheet',
		'https://www.amd.com/content/dam/amd/en/documents/instinct-tech-docs/data-sheets/amd-instinct-mi300x-data-sheet.pdf'
	),
	mi350x: doc(
		'AMD Instinct MI350X (product page and specifications)',
		'https://www.amd.com/en/products/accelerators/instinct/mi350/mi350x.html'
	),
	mi210: doc(
		'AMD Instinct MI210 (product page and specifications)',
		'https://www.amd.com/en/products/accelerators/instinct/mi200/mi210.html'
	),
	mi100: doc(
		'AMD Instinct MI100 (product page and specifications)',
		'https://www.amd.com/en/products/accelerators/instinct/mi100.html'
	)
} as const satisfies Record<string, SpecDocument>;

/** Which document each GPU's figures are read from. */
const DOCUMENT_OF: Record<string, keyof typeof SPEC_DOCUMENTS> = {
	'h100-sxm': 'h100',
	'h100-pcie': 'h100',
	'h100-nvl': 'h100',
	h200: 'h200',
	'h200-nvl': 'h200',
	gh200: 'gh200',
	b200: 'b200',
	b300: 'hgx',
	'a100-sxm-80gb': 'a100',
	'a100-sxm-40gb': 'a100',
	'a100-pcie-80gb': 'a100',
	'a100-pcie-40gb': 'a100',
	l40s: 'l40s',
	l40: 'l40',
	l4: 'l4',
	a40: 'a40',
	a10: 'a10',
	a10g: 'a10',
	a30: 'a30',
	t4: 't4',
	'v100-16gb': 'v100',
	'v100-32gb': 'v100',
	'rtx-pro-6000': 'rtxBlackwell',
	'rtx-pro-5000': 'rtxBlackwell',
	'rtx-pro-4500': 'rtxBlackwell',
	'rtx-pro-4000': 'rtxBlackwell',
	'rtx-5090': 'rtxBlackwell',
	'rtx-5080': 'rtxBlackwell',
	'rtx-5070-ti': 'rtxBlackwell',
	'rtx-6000-ada': 'ada',
	'rtx-5880-ada': 'ada',
	'rtx-5000-ada': 'ada',
	'rtx-4500-ada': 'ada',
	'rtx-4000-ada': 'ada',
	'rtx-4000-sff-ada': 'ada',
	'rtx-2000-ada': 'ada',
	'rtx-4090': 'ada',
	'rtx-4090d': 'ada',
	'rtx-4080': 'ada',
	'rtx-4080-super': 'ada',
	'rtx-4070-ti-super': 'ada',
	'rtx-a6000': 'ga102',
	'rtx-a5000': 'ga102',
	'rtx-a4500': 'ga102',
	'rtx-a4000': 'ga102',
	'rtx-3090': 'ga102',
	'rtx-3090-ti': 'ga102',
	'quadro-rtx-8000': 'turing',
	'quadro-rtx-6000': 'turing',
	'quadro-rtx-5000': 'turing',
	'titan-rtx': 'turing',
	'quadro-gv100': 'volta',
	mi300x: 'mi300x',
	mi350x: 'mi350x',
	mi210: 'mi210',
	mi100: 'mi100'
};

/** The document a GPU's figures come from (title and URL), for the pages and /api/gpus. */
export function specDocument(slug: string): SpecDocument | null {
	const key = DOCUMENT_OF[slug];
	return key ? SPEC_DOCUMENTS[key] : null;
}
