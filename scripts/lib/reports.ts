/** Sums passed/failed tests from the runners' JSON reports (vitest's and Playwright's). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Counts {
	passed: number;
	failed: number;
}

function vitestCounts(path: string): Counts {
	const r = JSON.parse(readFileSync(path, 'utf8')) as {
		numPassedTests?: number;
		numFailedTests?: number;
		testResults?: { status?: string; assertionResults?: unknown[] }[];
	};
	// A file that fails to load (or whose hooks fail) counts as a failure even though no test ran.
	const brokenFiles = (r.testResults ?? []).filter(
		(f) => f.status === 'failed' && (f.assertionResults?.length ?? 0) === 0
	).length;
	return { passed: r.numPassedTests ?? 0, failed: (r.numFailedTests ?? 0) + brokenFiles };
}

function playwrightCounts(path: string): Counts {
	const r = JSON.parse(readFileSync(path, 'utf8')) as {
		stats?: { expected?: number; unexpected?: number; flaky?: number };
		errors?: unknown[];
	};
	const s = r.stats ?? {};
	return {
		passed: (s.expected ?? 0) + (s.flaky ?? 0),
		failed: (s.unexpected ?? 0) + (r.errors?.length ?? 0)
	};
}

export function countReports(dir: string): Counts {
	const total = { passed: 0, failed: 0 };
	const v = join(dir, 'vitest.json');
	const p = join(dir, 'playwright.json');
	for (const [path, f] of [
		[v, vitestCounts],
		[p, playwrightCounts]
	] as const) {
		if (!existsSync(path)) continue;
		try {
			const c = f(path);
			total.passed += c.passed;
			total.failed += c.failed;
		} catch {
			total.failed += 1;
		}
	}
	return total;
}

// `node scripts/lib/reports.ts DIR` prints the closing line (used by .ci/run).
if (import.meta.main) {
	const c = countReports(process.argv[2] ?? '.test-reports');
	console.log(`${c.passed} passed, ${c.failed} failed`);
}
