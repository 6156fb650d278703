/**
 * The JSON API's answers to bad input, one shape for every endpoint (the estimator's since issue 5):
 * `400 {"error": "field: message", "field", "message": "field: message", "issues": [{field, message}]}`
 * (`message` as SvelteKit's own error bodies carry it) — `field` names the
 * query parameter or body field at fault (`body` for the body as a whole). A body over the size limit is
 * a 413 in the same shape, never a 400 or a 500.
 */
import { error, json } from '@sveltejs/kit';
import { repeatedMessage, repeatedParam } from '../input/params.ts';
import type { z } from 'zod';

export interface FieldIssue {
	field: string;
	message: string;
}

export function fieldError(
	status: number,
	issue: FieldIssue,
	more: FieldIssue[] = [],
	extra: Record<string, unknown> = {}
): Response {
	const text = `${issue.field}: ${issue.message}`;
	return json(
		{ error: text, field: issue.field, message: text, issues: [issue, ...more], ...extra },
		{ status, headers: { 'Cache-Control': 'no-store' } }
	);
}

export function badRequest(field: string, message: string, extra: Record<string, unknown> = {}): Response {
	return fieldError(400, { field, message }, [], extra);
}

/** The API's 400 for a parameter of `names` given more than once (src/lib/input/params.ts), or null. */
export function repeatedParamResponse(params: URLSearchParams, names: Iterable<string>): Response | null {
	const name = repeatedParam(params, names);
	return name ? badRequest(name, repeatedMessage(name)) : null;
}

/** A page's 400 for a parameter of `names` given more than once (src/lib/input/params.ts). */
export function refuseRepeatedParams(params: URLSearchParams, names: Iterable<string>): void {
	const name = repeatedParam(params, names);
	if (name) error(400, repeatedMessage(name));
}

/** The issues of a zod error as fields: the dotted path (`model.hidden_size`), or `fallback` at the root. */
export function zodIssues(error: z.ZodError, fallback: string): FieldIssue[] {
	return error.issues.map((i) => ({
		field: i.path.length ? i.path.map(String).join('.') : fallback,
		message: i.message
	}));
}

/** 400 naming the first field zod refused (all of them in `issues`). */
export function zodBadRequest(error: z.ZodError, fallback: string): Response {
	const [first, ...rest] = zodIssues(error, fallback);
	return fieldError(400, first ?? { field: fallback, message: 'invalid' }, rest);
}

/** adapter-node refuses a body over BODY_SIZE_LIMIT by failing the body stream with a 413 error. */
export function isPayloadTooLarge(err: unknown): boolean {
	return (err as { status?: unknown } | null)?.status === 413;
}

export function payloadTooLarge(): Response {
	return fieldError(413, { field: 'body', message: 'the request body is larger than the server accepts' });
}

/** The request's JSON body, or the error answer: 413 over the size limit, 400 when it is not JSON. */
export async function readJsonBody(
	request: Request
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
	let text: string;
	try {
		text = await request.text();
	} catch (err) {
		if (isPayloadTooLarge(err)) return { ok: false, response: payloadTooLarge() };
		throw err;
	}
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false, response: badRequest('body', 'expected a JSON object') };
	}
}
