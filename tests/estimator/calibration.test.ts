/**
 * Calibration: the engine reproduces the published measurements of docs/estimation.md §1.9 and §3 (and the
 * §2.2 QLoRA slowdowns) it claims, each within its stated tolerance (memory 15 %, throughput 20 %,
 * slowdown 25 %; fit rows exactly). Rows it does not claim are listed with the reason.
 */
import { describe, expect, it } from 'vitest';
import { claimedRows, TOLERANCE, UNCLAIMED_ROWS } from '../../src/lib/estimator/calibration.ts';

const rows = claimedRows();

describe('calibration rows the engine claims', () => {
	it.each(rows.map((r) => [`${r.row} ${r.run}`, r] as const))('%s', (_name, r) => {
		const predicted = r.predict();
		if (r.kind === 'fit') {
			expect(predicted, `${r.row}: fits`).toBe(r.measured);
			return;
		}
		const tolerance = TOLERANCE[r.kind];
		const error = predicted / r.measured - 1;
		expect(
			Math.abs(error),
			`${r.row} ${r.run}: predicted ${predicted.toFixed(3)} vs measured ${r.measured.toFixed(3)} ${r.unit} (${(error * 100).toFixed(1)} %)`
		).toBeLessThanOrEqual(tolerance);
	});

	it('covers memory, throughput, slowdown and fit rows of §1.9 and §3', () => {
		const kinds = new Set(rows.map((r) => r.kind));
		expect([...kinds].sort()).toEqual(['fit', 'memory', 'serving', 'slowdown', 'throughput']);
		for (const n of [3, 5, 7, 9, 10, 11, 12, 13, 15, 16, 17, 27, 29, 30, 35]) {
			expect(
				rows.some((r) => r.row.includes(`#${n}`)),
				`§3 #${n}`
			).toBe(true);
		}
	});

	it('the eager-PyTorch litgpt rows (the fit of k = 1.15 and the 1.27 bnb factor) stay within 2 %', () => {
		for (const r of rows.filter(
			(x) =>
				x.source.startsWith('litgpt tutorials/resource') &&
				x.kind === 'memory' &&
				!x.run.includes('inference')
		)) {
			expect(Math.abs(r.predict() / r.measured - 1), r.run).toBeLessThan(0.02);
		}
	});
});

describe('fitting and validation kept apart', () => {
	const fitted = rows.filter((r) => r.fittedFor);
	const heldOut = rows.filter((r) => !r.fittedFor);
	it('every fitted constant names its rows, and those rows name the constant', () => {
		const constants = new Set(fitted.map((r) => r.fittedFor));
		expect([...constants].sort()).toEqual([
			'ACTIVATION_K',
			'BNB_QLORA_ACTIVATION_FACTOR',
			'DECODE_BANDWIDTH_EFFICIENCY',
			'HARDWARE_FLOPS_UTILISATION',
			'LOGIT_BYTES',
			'QLORA_SLOWDOWN'
		]);
	});
	it('held-out rows exist for memory and for the time model, each within its stated tolerance', () => {
		expect(heldOut.filter((r) => r.kind === 'memory').length).toBeGreaterThan(10);
		const time = heldOut.filter((r) => r.kind === 'serving' || r.kind === 'throughput');
		expect(time.filter((r) => r.kind === 'serving').length).toBeGreaterThanOrEqual(2);
		// the training-time model: llm-foundry runs of other sizes, GPUs and checkpointing than the fitted ones
		expect(time.filter((r) => r.kind === 'throughput').length).toBeGreaterThanOrEqual(6);
		for (const r of time) {
			const tolerance = TOLERANCE[r.kind as 'serving' | 'throughput'];
			expect(Math.abs(r.predict() / r.measured - 1), r.run).toBeLessThanOrEqual(tolerance);
		}
	});
	it('HARDWARE_FLOPS_UTILISATION is fitted on its four named rows only', () => {
		const fittedThroughput = fitted.filter((r) => r.kind === 'throughput');
		expect(fittedThroughput.map((r) => r.fittedFor)).toEqual(Array(4).fill('HARDWARE_FLOPS_UTILISATION'));
		expect(heldOut.some((r) => r.run.startsWith('MPT-30B') && r.run.includes('H100'))).toBe(true);
	});
	it('every row names its source and where to read it (a URL)', () => {
		for (const r of rows) {
			expect(r.source.length, r.run).toBeGreaterThan(3);
			expect(new URL(r.url).protocol, `${r.row} ${r.run}`).toBe('https:');
		}
	});
	it('memory rows say which framework they were measured with', () => {
		for (const r of rows.filter((x) => x.kind === 'memory' && !x.run.includes('inference')))
			expect(r.framework, r.run).toBeTruthy();
	});
});

describe('rows the engine does not claim', () => {
	it('each names its row and says why', () => {
		expect(UNCLAIMED_ROWS.length).toBeGreaterThan(5);
		for (const r of UNCLAIMED_ROWS) {
			expect(r.row).toMatch(/§/);
			expect(r.reason.length).toBeGreaterThan(30);
		}
	});
});
