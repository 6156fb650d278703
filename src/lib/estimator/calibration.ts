/**
 * The calibration set: published measurements (docs/estimation.md §3) with the engine's
 * prediction for each, at the run's own settings. Rows the engine claims carry a tolerance
 * (tests/estimator/calibration.test.ts holds them to it); rows it does not claim say why.
 * Memory is compared with torch.cuda.max_memory_allocated (what the sources print), i.e. without the
 * CUDA context and allocator overhead. GiB figures (torchtune) are converted to GB (1e9 bytes).
 *
 * The rows are data: claimed ones in calibration-rows.ts, unclaimed ones in calibration-unclaimed.ts;
 * how a run is re-run through the engine is in calibration-runs.ts. Row labels (`§3 #9`, `§2.2`, `§1.9`)
 * are sections and rows of docs/estimation.md.
 */
import { LITGPT_SRC, publishedRows, TT_SRC } from './calibration-rows.ts';
import type { ClaimedRow } from './calibration-runs.ts';

export type { ClaimedRow, UnclaimedRow } from './calibration-runs.ts';
export { UNCLAIMED_ROWS } from './calibration-unclaimed.ts';

/** Tolerances (relative error) stated for each kind of claim. */
export const TOLERANCE = {
	/** peak memory within 15 % (the requirement) */
	memory: 0.15,
	/** training throughput within 20 % (MFU spreads ±10 % between stacks, §2.3) */
	throughput: 0.2,
	/** QLoRA-vs-LoRA slowdown within 25 % (measured 1.24–2.00× against one 1.5× factor, §2.2) */
	slowdown: 0.25,
	/** serving output tokens/s within 20 % (a roofline against vLLM's scheduler, which overlaps prefill) */
	serving: 0.2
} as const;

/** The claimed rows, each marked with the constant it fitted (or none: held out). */
export function claimedRows(): ClaimedRow[] {
	return markFitted(publishedRows());
}

/**
 * Which rows each fitted constant (constants.ts) was fitted on; every other claimed row is held out.
 *   ACTIVATION_K: the litgpt Llama-2-7B and 13B LoRA mb1 rows; BNB_QLORA_ACTIVATION_FACTOR: the litgpt nf4 /
 *   nf4-dq rows; LOGIT_BYTES: the Unsloth HF + FA2 column; HARDWARE_FLOPS_UTILISATION: the four training
 *   throughput rows that name it (calibration-rows.ts; the other llm-foundry rows are held out); QLORA_SLOWDOWN: the six §2.2 ratios; DECODE_BANDWIDTH_EFFICIENCY: vLLM C=1 (set inline).
 */
function markFitted(rows: ClaimedRow[]): ClaimedRow[] {
	for (const r of rows) {
		if (r.kind === 'memory' || r.kind === 'fit')
			r.framework ??=
				r.source.startsWith('litgpt') || r.source.startsWith('Raschka')
					? 'litgpt'
					: r.source === TT_SRC
						? 'torchtune'
						: r.source.startsWith('QLoRA')
							? 'hf-peft (QLoRA repo)'
							: r.row === '§3 #27'
								? 'hf-peft'
								: undefined;
		if (r.fittedFor) continue;
		const litgpt = r.source === LITGPT_SRC && r.kind === 'memory';
		if (litgpt && r.run.includes('LoRA') && !r.run.includes('QLoRA') && !r.run.includes('mb2'))
			r.fittedFor = 'ACTIVATION_K';
		else if (litgpt && r.run.includes('QLoRA')) r.fittedFor = 'BNB_QLORA_ACTIVATION_FACTOR';
		else if (r.row === '§3 #27') r.fittedFor = 'LOGIT_BYTES';
		else if (r.kind === 'slowdown') r.fittedFor = 'QLORA_SLOWDOWN';
	}
	return rows;
}
