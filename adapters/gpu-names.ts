/**
 * Provider GPU names → catalog slugs: the rules every provider's name table (adapters/<provider>-names.ts)
 * is written in, and the one resolver the adapters call.
 *
 * Scope of the catalog: whole GPUs useful for the LLM fine-tuning and serving this dashboard prices —
 * NVIDIA Volta or newer and AMD Instinct CDNA, with at least 16 GB per GPU. Every name a provider is
 * known to send (the fixtures: vast.ai's 144 `gpu_name` constants, RunPod's type ids) is listed in its
 * provider's table, either mapped or excluded with the reason. A live name that is in none of the tables is
 * "unmapped": counted and listed in provider health, never guessed.
 */

/** How one provider GPU name resolves. `byVramGb` splits a name sold in several memory sizes. */
export type NameRule = { slug: string } | { byVramGb: Record<number, string> } | { exclude: string };

/** Why a name is outside the catalog; each provider table excludes with one of these. */
export const EXCLUDE = {
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

export const ex = (reason: string): NameRule => ({ exclude: reason });
export const to = (slug: string): NameRule => ({ slug });

export type NameResolution =
	| { kind: 'slug'; slug: string }
	| { kind: 'excluded'; reason: string }
	/** a name sold in several memory sizes whose memory matches none of them */
	| { kind: 'vram-mismatch'; vramGb: number | null }
	| { kind: 'unmapped' };

/** Memory reported by providers is "MiB-ish" (24564 for a 24 GB card): match a variant within 10%. */
export const VRAM_MATCH_TOLERANCE = 0.1;

/** Resolves a provider GPU name with its provider's table (vastai-names.ts, runpod-names.ts, lambda-names.ts); `vramGb` picks a memory variant. */
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
