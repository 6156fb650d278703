/**
 * Query-string helpers of the offer filters (filters.ts parses them with zod). Kept free of zod:
 * the compare and GPU pages ship these to the browser, and zod would add ~23 KB of gzipped JavaScript.
 */

/** The filters as query-string pairs (for links that keep them), dropping unset ones. */
export function filtersToParams(values: Record<string, unknown>): URLSearchParams {
	const params = new URLSearchParams();
	for (const [k, v] of Object.entries(values)) {
		if (v === undefined || v === null || v === '' || v === false) continue;
		params.set(k, v === true ? '1' : String(v));
	}
	return params;
}

/**
 * A filter form submitted with GET sends every field, so "Any" leaves `?gpu=&cloud=` in the URL: the
 * query without its empty parameters, or null when it has none (the page then redirects to the clean URL).
 */
export function withoutEmptyParams(params: URLSearchParams): string | null {
	const kept = [...params].filter(([, v]) => v.trim() !== '');
	if (kept.length === [...params].length) return null;
	const q = new URLSearchParams(kept).toString();
	return q ? `?${q}` : '';
}
