/**
 * What would fit when the asked job does not: the page shows these instead of a time and a cost (a price
 * for a job that cannot run answers nothing). Each is a change of the form's answers, so the page can
 * offer it as a link that reproduces the estimate.
 */
import {
	estimateMemory,
	maxFittingConcurrency,
	minimumGpuCount,
	servingShape,
	type EstimateSettings
} from '$lib/estimator';
import type { FormValues } from './form';

export interface Alternative {
	text: string;
	patch: Partial<FormValues>;
}

/** Sequence lengths tried when shortening, longest first (powers of two down to 256 tokens). */
function shorterLengths(seqLen: number): number[] {
	const out: number[] = [];
	for (let len = 2 ** Math.floor(Math.log2(seqLen - 1)); len >= 256; len /= 2) out.push(len);
	return out;
}

export function alternatives(s: EstimateSettings): Alternative[] {
	const out: Alternative[] = [];
	const { gpu: _gpu, gpuCount: _count, ...rest } = s;
	const count = minimumGpuCount(rest, s.gpu);
	if (count !== null && count > s.gpuCount)
		out.push({ text: `${count}× ${s.gpu.name}`, patch: { gpuCount: String(count) } });
	if (s.method === 'full' || s.method === 'lora') {
		const qlora: EstimateSettings = { ...s, method: 'qlora', precision: 'nf4-dq' };
		if (estimateMemory(qlora).fits)
			out.push({ text: `QLoRA on ${s.gpuCount}× ${s.gpu.name}`, patch: { method: 'qlora', precision: '' } });
	}
	if (s.method !== 'inference' && !s.gradientCheckpointing) {
		if (estimateMemory({ ...s, gradientCheckpointing: true }).fits)
			out.push({ text: 'gradient checkpointing on', patch: { gradientCheckpointing: 'on' } });
	}
	if (s.method === 'inference') {
		// the most concurrent sequences that fit (memory grows with them)
		const { concurrency } = servingShape(s);
		const fitting = concurrency > 1 ? Math.min(maxFittingConcurrency(s), concurrency - 1) : 0;
		if (fitting > 0)
			out.push({
				text: fitting === 1 ? 'one sequence at a time' : `${fitting} concurrent sequences`,
				patch: { concurrency: String(fitting) }
			});
	} else if (s.microBatch > 1 && estimateMemory({ ...s, microBatch: 1 }).fits) {
		out.push({ text: 'a micro-batch of 1', patch: { microBatch: '1' } });
	}
	const seqLen = shorterLengths(s.seqLen).find((len) => estimateMemory({ ...s, seqLen: len }).fits);
	if (seqLen !== undefined)
		out.push({
			text: `${s.method === 'inference' ? 'a context' : 'sequences'} of ${seqLen.toLocaleString('en-US')} tokens`,
			patch: { seqLen: String(seqLen) }
		});
	return out;
}
