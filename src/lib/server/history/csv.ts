/** GET /api/history?format=csv: the history result as CSV, one row per point. */
import type { HistoryResult } from './query.ts';

const CSV_HEADER =
	'gpu,provider,pricing,cloud,source,t,min_usd_per_gpu_hour,median_usd_per_gpu_hour,max_usd_per_gpu_hour,n';

/** The same data as CSV, one row per point. Fields are slugs, enums, ISO times and numbers: nothing to quote. */
export function historyToCsv(h: HistoryResult): string {
	const lines = [CSV_HEADER];
	for (const s of h.series) {
		for (const p of s.points) {
			lines.push(
				[h.gpu, s.provider, s.pricing, s.cloud, s.source, p.t, p.min, p.median, p.max, p.n].join(',')
			);
		}
	}
	return lines.join('\n') + '\n';
}
