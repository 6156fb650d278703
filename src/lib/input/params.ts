/**
 * One rule for a query parameter given more than once (`?gpu=a100&gpu=h100`), on every route that reads
 * it: a 400 naming it. Neither the first nor the last value wins silently, so a link or a script that
 * repeats a filter learns it instead of getting an answer to half of what it asked. Parameters a route
 * does not read stay that route's business (ignored, or refused as unknown). Browser-safe.
 */

/** The first of `names` that `params` holds more than once, or null. */
export function repeatedParam(params: URLSearchParams, names: Iterable<string>): string | null {
	for (const name of names) if (params.getAll(name).length > 1) return name;
	return null;
}

/** The message of that 400. */
export function repeatedMessage(name: string): string {
	return `Parameter ${name} is repeated`;
}
