/**
 * Free text from query strings, forms and JSON bodies (a region, a watch label, a webhook URL). Browser-safe.
 *
 * Postgres refuses a NUL character in text ("invalid byte sequence"), so an unchecked `%00` in a query
 * string became a 500; other control characters garble logs, CSV and the Atom feed (XML 1.0 forbids
 * most of them). A lone UTF-16 surrogate (possible in a JSON string) is not text either. All of them
 * are refused here, at the boundary, with a message naming what is wrong.
 */
import { z } from 'zod';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `s` is not acceptable as one line of text, or null. */
export function textProblem(s: string): string | null {
	if (CONTROL.test(s)) return 'control characters are not allowed';
	if (LONE_SURROGATE.test(s)) return 'is not valid Unicode text';
	return null;
}

/** One line of text: trimmed, at most `max` characters, no control characters. */
export function plainText(max: number) {
	return z
		.string()
		.trim()
		.max(max, `at most ${max} characters`)
		.superRefine((s, ctx) => {
			const problem = textProblem(s);
			if (problem) ctx.addIssue({ code: 'custom', message: problem });
		});
}
