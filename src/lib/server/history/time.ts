/**
 * Time constants shared by the history modules and the archive importer (src/lib/server/archive.ts), kept
 * in a module of their own so neither borrows them from the other.
 */

/** Time origin of every bucket (date_bin), so buckets never depend on the session time zone. */
export const BIN_ORIGIN = '2000-01-01T00:00:00Z';

export const HOUR_S = 3600;
export const DAY_S = 86_400;
export const DAY_MS = DAY_S * 1000;

/**
 * Retention, sized for a storage budget of ≤ 1 GB per year of 10-minute polls (52,560 polls/year).
 * `npm run bench` measures it (README "Performance"); the arithmetic behind the windows, with ~200 live
 * series (≈30 GPUs × 3 providers × on-demand/spot × cloud split), up to ~5,000 full-key aggregate rows
 * per poll (vast.ai's GPU × box size × country × pricing × cloud groups) and ~120 bytes per row with
 * its index share:
 *  - poll points:  200 × 144/day × 14 days ≈ 0.4 M rows ≈ 50 MB, steady;
 *  - aggregates:   5,000 × 144/day × 3 days ≈ 2.2 M rows ≈ 260 MB, steady (daily partitions, dropped
 *    whole, so expired rows never linger as dead space);
 *  - hour points:  200 × 8,760/year ≈ 1.75 M rows ≈ 210 MB per year (kept);
 *  - 6-hour points: 200 × 1,460/year ≈ 0.3 M rows ≈ 35 MB per year (kept);
 *  - day points:   200 × 365 ≈ 73 k rows ≈ 9 MB per year (kept); the archive adds ~5 k rows.
 * A month of poll points is deleted row by row from a partition that also holds kept hour/day points;
 * once the month lies wholly before the poll cutoff its partition is rewritten (applyRetention), so the
 * deleted rows' space is returned. 14 days of poll points cover the 7-day chart at full resolution and
 * leave a week to notice and re-run a failed rollup; 3 days of full-key aggregates cover "what did 8×H100
 * in the US cost over the weekend".
 */
export const POLL_RETENTION_DAYS = 14;
export const AGGREGATE_RETENTION_DAYS = 3;
/** Retention runs at most this often (it deletes what became older than the window since last time). */
export const RETENTION_EVERY_MS = 60 * 60 * 1000;
