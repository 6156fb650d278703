/**
 * The estimate request: one zod schema for POST /api/estimate (JSON), GET /api/estimate and the
 * /estimate page (query parameters), and the page's form. Browser-safe (no server imports), so the page
 * parses and validates the same way while the user types.
 */
import { z } from 'zod';
import { repeatedMessage } from '../input/params.ts';
import { GPU_SLUGS, gpuBySlug } from '#catalog/gpus.ts';
import {
	DEFAULTS,
	DEFAULT_FRAMEWORK,
	FRAMEWORKS,
	LORA_TARGETS,
	METHODS,
	MODEL_IDS,
	OPTIMIZERS,
	PRECISIONS,
	architectureFromHfConfig,
	ConfigError,
	resolveArchitecture,
	SHARDINGS,
	defaultPrecision,
	type Architecture,
	type EstimateSettings
} from '../estimator/index.ts';

const posInt = (max: number) =>
	z.number().int('expected a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`);

export const estimateRequestSchema = z
	.object({
		// a config object is read field by field by the estimator's config reader (hf-config.ts), which
		// names the field it cannot read; the schema only says it is an object
		model: z.union([
			z.string().trim().min(1, 'is empty').max(200, 'is too long'),
			z.record(z.string(), z.unknown())
		]),
		method: z.enum(METHODS as [string, ...string[]]),
		seqLen: posInt(1_048_576).default(DEFAULTS.seqLen),
		microBatch: posInt(4_096).default(DEFAULTS.microBatch),
		gradientCheckpointing: z.boolean().default(DEFAULTS.gradientCheckpointing),
		loraRank: posInt(16_384).default(DEFAULTS.loraRank),
		loraTargets: z.enum(LORA_TARGETS as [string, ...string[]]).default(DEFAULTS.loraTargets),
		optimizer: z.enum(OPTIMIZERS as [string, ...string[]]).default(DEFAULTS.optimizer),
		gpu: z.string().trim().min(1, 'is empty').max(64, 'is too long'),
		gpuCount: posInt(4_096).default(DEFAULTS.gpuCount),
		datasetTokens: z
			.number()
			.positive('must be positive')
			.max(1e15, 'must be at most 1e15')
			.default(DEFAULTS.datasetTokens),
		epochs: z
			.number()
			.positive('must be positive')
			.max(1_000, 'must be at most 1000')
			.default(DEFAULTS.epochs),
		// extensions: the base-weight format and the data-parallel sharding (see README "Estimator")
		precision: z.enum(PRECISIONS as [string, ...string[]]).optional(),
		sharding: z.enum(SHARDINGS as [string, ...string[]]).default(DEFAULTS.sharding),
		// serving: concurrent sequences (microBatch is the older name) and tokens per request
		concurrency: posInt(4_096).optional(),
		promptTokens: posInt(1_048_576).optional(),
		outputTokens: posInt(1_048_576).optional(),
		// the training stack whose memory profile applies (src/lib/estimator/frameworks.ts)
		framework: z.enum(FRAMEWORKS as [string, ...string[]]).default(DEFAULT_FRAMEWORK)
	})
	.strict()
	.superRefine((r, ctx) => {
		for (const k of ['concurrency', 'promptTokens', 'outputTokens'] as const) {
			if (r[k] !== undefined && r.method !== 'inference')
				ctx.addIssue({ code: 'custom', path: [k], message: 'applies to method=inference only' });
		}
		if ((r.promptTokens === undefined) !== (r.outputTokens === undefined)) {
			const missing = r.promptTokens === undefined ? 'promptTokens' : 'outputTokens';
			ctx.addIssue({
				code: 'custom',
				path: [missing],
				message: 'give promptTokens and outputTokens together'
			});
		}
		if (r.precision === undefined) return;
		const allowed =
			r.method === 'qlora' ? ['nf4', 'nf4-dq'] : r.method === 'inference' ? PRECISIONS : ['bf16'];
		if (!allowed.includes(r.precision as never)) {
			ctx.addIssue({
				code: 'custom',
				path: ['precision'],
				message: `${r.method} supports ${allowed.join(', ')}`
			});
		}
	});

export type EstimateRequest = z.output<typeof estimateRequestSchema>;

/** The fields of a request, in the order of the form and the URL. */
export const REQUEST_FIELDS = [
	'model',
	'method',
	'seqLen',
	'microBatch',
	'gradientCheckpointing',
	'loraRank',
	'loraTargets',
	'optimizer',
	'gpu',
	'gpuCount',
	'datasetTokens',
	'epochs',
	'precision',
	'sharding',
	'framework',
	'concurrency',
	'promptTokens',
	'outputTokens'
] as const;

const NUMBER_FIELDS = new Set([
	'seqLen',
	'microBatch',
	'loraRank',
	'gpuCount',
	'datasetTokens',
	'epochs',
	'concurrency',
	'promptTokens',
	'outputTokens'
]);

export interface InputError {
	status: 400;
	/** the first offending field, e.g. "seqLen" or "model.hidden_size" */
	field: string;
	message: string;
	issues: { field: string; message: string }[];
	/** for an unknown model or GPU: what exists */
	known?: string[];
}

export type Parsed =
	{ ok: true; request: EstimateRequest; settings: EstimateSettings } | { ok: false; error: InputError };

function fail(field: string, message: string, known?: string[]): Parsed {
	return {
		ok: false,
		error: { status: 400, field, message: `${field}: ${message}`, issues: [{ field, message }], known }
	};
}

/**
 * Query parameters (GET /api/estimate, the page URL, the form) → the same object a JSON body holds.
 * Numbers accept plain and exponent notation (1e7); booleans true/false, 1/0, on/off, yes/no; `model`
 * holding a JSON object is a config. Unknown or repeated parameters are errors unless `lenient`.
 */
export function queryToObject(
	params: URLSearchParams,
	lenient = false
): { ok: true; value: Record<string, unknown> } | { ok: false; field: string; message: string } {
	const out: Record<string, unknown> = {};
	for (const key of new Set(params.keys())) {
		const all = params.getAll(key);
		if (!(REQUEST_FIELDS as readonly string[]).includes(key)) {
			if (lenient) continue;
			return {
				ok: false,
				field: key,
				message: `unknown parameter (expected one of ${REQUEST_FIELDS.join(', ')})`
			};
		}
		if (all.length > 1 && !lenient) return { ok: false, field: key, message: repeatedMessage(key) };
		const raw = all[all.length - 1]!.trim();
		if (raw === '' && key !== 'model' && key !== 'gpu' && key !== 'method') continue; // empty form field → default
		if (NUMBER_FIELDS.has(key)) {
			out[key] = /^[0-9]+(\.[0-9]+)?([eE][+]?[0-9]+)?$/.test(raw) ? Number(raw) : raw;
		} else if (key === 'gradientCheckpointing') {
			const v = raw.toLowerCase();
			out[key] = ['true', '1', 'on', 'yes'].includes(v)
				? true
				: ['false', '0', 'off', 'no'].includes(v)
					? false
					: raw;
		} else if (key === 'model' && raw.startsWith('{')) {
			try {
				out[key] = JSON.parse(raw);
			} catch {
				return { ok: false, field: 'model', message: 'looks like a config object but is not valid JSON' };
			}
		} else {
			out[key] = raw;
		}
	}
	return { ok: true, value: out };
}

/** config.json objects of Hub models fetched for this request, by model id (src/lib/server/hub-config.ts) */
export type HubConfigs = Record<string, Record<string, unknown>>;

/**
 * Validates a request object and resolves the model (the list, a config object, or a Hub id whose
 * config.json the caller fetched into `hub`) and the GPU.
 */
export function parseEstimateRequest(input: unknown, hub: HubConfigs = {}): Parsed {
	if (typeof input !== 'object' || input === null || Array.isArray(input))
		return fail('body', 'expected a JSON object');
	const model = (input as { model?: unknown }).model;
	if (Array.isArray(model)) return fail('model', 'expected a model id or a config object');
	const result = estimateRequestSchema.safeParse(input, { reportInput: true });
	if (!result.success) {
		const issues = result.error.issues.map((i) => {
			const field = i.path.length ? i.path.map(String).join('.') : 'body';
			let message = i.message;
			if (i.code === 'unrecognized_keys')
				message = `unknown field(s) ${(i as { keys: string[] }).keys.join(', ')}`;
			if (i.code === 'invalid_type' && i.input === undefined) message = 'is required';
			return { field: i.code === 'unrecognized_keys' ? (i as { keys: string[] }).keys[0]! : field, message };
		});
		const first = issues[0]!;
		return {
			ok: false,
			error: { status: 400, field: first.field, message: `${first.field}: ${first.message}`, issues }
		};
	}
	const r = result.data;
	const gpu = gpuBySlug(r.gpu);
	if (!gpu) return fail('gpu', `unknown GPU "${r.gpu.slice(0, 64)}"`, GPU_SLUGS);
	let arch: Architecture | undefined;
	try {
		// a config object (pasted or in the URL) is read by the same reader as a Hub config.json
		arch = resolveArchitecture(r.model);
	} catch (err) {
		if (!(err instanceof ConfigError)) throw err;
		return fail(`model.${err.field}`, err.reason);
	}
	if (!arch && typeof r.model === 'string' && Object.hasOwn(hub, r.model)) {
		try {
			arch = architectureFromHfConfig(hub[r.model], r.model);
		} catch (err) {
			if (err instanceof ConfigError)
				return fail('model', `"${r.model}": config.json cannot be read: ${err.message}`);
			throw err;
		}
	}
	if (!arch)
		return fail(
			'model',
			`unknown model "${String(r.model).slice(0, 200)}" (give a model of the list, a Hugging Face model id, or a config object)`,
			MODEL_IDS
		);
	const method = r.method as EstimateSettings['method'];
	return {
		ok: true,
		request: r,
		settings: {
			arch,
			method,
			gpu,
			seqLen: r.seqLen,
			microBatch: r.microBatch,
			gradientCheckpointing: r.gradientCheckpointing,
			loraRank: r.loraRank,
			loraTargets: r.loraTargets as EstimateSettings['loraTargets'],
			optimizer: r.optimizer as EstimateSettings['optimizer'],
			gpuCount: r.gpuCount,
			datasetTokens: r.datasetTokens,
			epochs: r.epochs,
			precision: (r.precision as EstimateSettings['precision']) ?? defaultPrecision(method),
			sharding: r.sharding as EstimateSettings['sharding'],
			framework: r.framework as EstimateSettings['framework'],
			concurrency: r.concurrency,
			promptTokens: r.promptTokens,
			outputTokens: r.outputTokens
		}
	};
}

export function parseEstimateQuery(params: URLSearchParams, lenient = false, hub: HubConfigs = {}): Parsed {
	const q = queryToObject(params, lenient);
	if (!q.ok) return fail(q.field, q.message);
	return parseEstimateRequest(q.value, hub);
}

/** The model id of a request that needs a Hub config.json: a string outside the list, else null. */
export function hubModelId(input: unknown): string | null {
	if (typeof input !== 'object' || input === null) return null;
	const model = (input as { model?: unknown }).model;
	if (typeof model !== 'string') return null;
	const id = model.trim();
	if (id === '' || id === 'custom' || id.startsWith('{') || resolveArchitecture(id)) return null;
	return id;
}

/** The canonical query string of a request: only fields that differ from the defaults, in a fixed order. */
export function requestToQuery(r: Partial<Record<(typeof REQUEST_FIELDS)[number], unknown>>): string {
	const q = new URLSearchParams();
	const dflt = { ...DEFAULTS, framework: DEFAULT_FRAMEWORK } as Record<string, unknown>;
	for (const key of REQUEST_FIELDS) {
		const v = r[key];
		if (v === undefined || v === null || v === '') continue;
		if (key in dflt && dflt[key] === v) continue;
		q.set(key, typeof v === 'object' ? JSON.stringify(v) : String(v));
	}
	return q.toString();
}

export type FieldIssue = { field: string; message: string };

/**
 * The /estimate page's reading of a shared link: one wrong field must not cost the user the rest of their
 * answers. Every field an issue names (its top-level part: `model.hidden_size` → `model`) is replaced by
 * `fallback[field]` or, without one, left to its default, and the query is parsed again; `dropped` says
 * what was replaced and why, so the page can say so. A few rounds suffice: each round removes at least one
 * field and there are 14. `result` is an error only when even the fallbacks fail.
 */
export function parseEstimateQueryKeeping(
	params: URLSearchParams,
	fallback: Partial<Record<(typeof REQUEST_FIELDS)[number], string>>,
	hub: HubConfigs = {}
): { result: Parsed; dropped: FieldIssue[] } {
	const q = new URLSearchParams(params);
	const dropped: FieldIssue[] = [];
	let result = parseEstimateQuery(q, true, hub);
	for (let round = 0; round < REQUEST_FIELDS.length && !result.ok; round++) {
		const before = q.toString();
		for (const issue of result.error.issues) {
			dropped.push(issue);
			const top = issue.field.split('.')[0] as (typeof REQUEST_FIELDS)[number];
			q.delete(top);
			const replacement = fallback[top];
			if (replacement !== undefined) q.set(top, replacement);
		}
		if (q.toString() === before) break;
		result = parseEstimateQuery(q, true, hub);
	}
	return { result, dropped };
}
