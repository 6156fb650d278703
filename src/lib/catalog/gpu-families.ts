/**
 * GPU families: one name for the variants of a GPU that differ in form factor or memory (H100 SXM, PCIe
 * and NVL; A100 SXM/PCIe × 40/80 GB), for "any A100" alert watches. A family slug starts with `any-` so it
 * can never be taken for a GPU slug of the catalog.
 */
import { gpuBySlug } from './gpus.ts';

export interface GpuFamily {
	slug: string;
	name: string;
	/** catalog slugs of the variants */
	members: string[];
}

export const GPU_FAMILIES: GpuFamily[] = [
	{ slug: 'any-h100', name: 'Any H100', members: ['h100-sxm', 'h100-pcie', 'h100-nvl'] },
	{ slug: 'any-h200', name: 'Any H200', members: ['h200', 'h200-nvl'] },
	{
		slug: 'any-a100',
		name: 'Any A100',
		members: ['a100-sxm-80gb', 'a100-sxm-40gb', 'a100-pcie-80gb', 'a100-pcie-40gb']
	},
	{ slug: 'any-v100', name: 'Any V100', members: ['v100-16gb', 'v100-32gb'] }
];

const BY_SLUG = new Map(GPU_FAMILIES.map((f) => [f.slug, f]));

export function familyBySlug(slug: string): GpuFamily | undefined {
	return BY_SLUG.get(slug);
}

/** The catalog slugs a watch's `gpu` stands for: a family's variants, or the one GPU. */
export function gpuSlugsOf(slug: string): string[] {
	return familyBySlug(slug)?.members ?? [slug];
}

/** Display name of a GPU or family slug (the slug itself when unknown). */
export function gpuOrFamilyName(slug: string): string {
	const family = familyBySlug(slug);
	if (family) return `${family.name} (${family.members.map((m) => gpuBySlug(m)?.name ?? m).join(', ')})`;
	return gpuBySlug(slug)?.name ?? slug;
}
