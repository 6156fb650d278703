/**
 * How a published run is re-run through the engine: the row shapes of the calibration set
 * (calibration-rows.ts, calibration-unclaimed.ts), settings at a run's own values, and the engine figure
 * each kind of row is compared with.
 */
import { gpuBySlug, type GpuSpec } from '#catalog/gpus.ts';
import type { Architecture, HfConfig } from './architecture.ts';
import { architectureFromConfig, resolveArchitecture } from './hf-config.ts';
import { DEFAULTS, estimate } from './estimate.ts';
import type { EstimateSettings } from './types.ts';

export interface ClaimedRow {
	/** the row it reproduces, e.g. "§3 #9" */
	row: string;
	run: string;
	source: string;
	/** where the source can be read (https) */
	url: string;
	kind: 'memory' | 'throughput' | 'slowdown' | 'fit' | 'serving';
	/** the constant (constants.ts) this row was used to fit; absent = held out, never used for fitting */
	fittedFor?: string;
	/** GB, tokens/s, × — or for `fit` 1 = fits, 0 = out of memory */
	measured: number;
	unit: 'GB' | 'tok/s' | 'tok/s/GPU' | '×' | 'fits';
	/** the framework whose profile the row was measured with (memory rows) */
	framework?: string;
	predict: () => number;
}

export interface UnclaimedRow {
	row: string;
	run: string;
	measured: string;
	reason: string;
}

export function arch(model: string | HfConfig, label: string): Architecture {
	const a = typeof model === 'string' ? resolveArchitecture(model) : architectureFromConfig(model, label);
	if (!a) throw new Error(`[calibration] unknown model ${String(model)}`);
	return a;
}

export function gpu(slug: string, vramGb?: number): GpuSpec {
	const g = gpuBySlug(slug);
	if (!g) throw new Error(`[calibration] unknown GPU ${slug}`);
	return vramGb ? { ...g, vramGb, name: `${vramGb} GB GPU` } : g;
}

export function settings(a: Architecture, g: GpuSpec, o: Partial<EstimateSettings>): EstimateSettings {
	return { ...DEFAULTS, arch: a, gpu: g, method: 'lora', ...o };
}

export const mem = (s: EstimateSettings) => () => estimate(s).memory.allocatedGb;
export const tps = (s: EstimateSettings) => () => estimate(s).throughput.tokensPerSecond;
export const tpsPerGpu = (s: EstimateSettings) => () => estimate(s).throughput.tokensPerSecond / s.gpuCount;
// the point estimate (the band's tight/fits split is reported separately)
export const fits = (s: EstimateSettings) => () => (estimate(s).memory.fits ? 1 : 0);
export const slowdown = (s: EstimateSettings) => () =>
	estimate({ ...s, method: 'lora' }).throughput.tokensPerSecond /
	estimate({ ...s, method: 'qlora' }).throughput.tokensPerSecond;
/** memory at the measured maximum context, relative to the card: 1 = exactly full */
export const fillAtMeasuredContext = (s: EstimateSettings) => () => {
	const m = estimate(s).memory;
	return (m.perGpuGb - m.pageableGb) / m.capacityGb;
};
