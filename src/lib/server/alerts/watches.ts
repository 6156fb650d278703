/**
 * Price alerts: watches (GPU, pricing, optional provider and region, minimum GPU count, threshold in
 * USD per GPU-hour, optional webhook) — their input schema and their rows. Evaluation after every poll
 * is ./evaluate.ts.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { gpuBySlug } from '#catalog/gpus.ts';
import { familyBySlug } from '#catalog/gpu-families.ts';
import { PROVIDERS } from '#adapters/types.ts';
import { plainText } from '../../input/text.ts';
import { desc, eq, inArray } from 'drizzle-orm';
import { isoFromMs, json, rows, type Db } from '../db/index.ts';
import { alertWatches } from '../db/schema.ts';
import { checkWebhookUrl, checkWebhookUrlSyntax, MAX_WEBHOOK_URL_LENGTH } from './webhook.ts';

/** Threshold bounds (USD per GPU-hour): above zero, and below any price a GPU rents for. */
export const MAX_THRESHOLD_USD = 1000;
/** Largest GPU count of one offer seen at the providers (vast.ai lists 16-GPU boxes; archive max 16). */
export const MAX_GPU_COUNT = 64;
/** A database of watches for one dashboard, not a mailing list: keeps a bad script from filling it. */
export const MAX_WATCHES = 500;
/** Ids are bigserial; past 2^53 a JavaScript number is no longer exact, so larger ids cannot exist here. */
export const MAX_WATCH_ID = Number.MAX_SAFE_INTEGER;

/** A watch id from a query string, a form or a JSON body. */
export const watchIdSchema = z.coerce
	.number({ message: 'expected a watch id' })
	.int('expected a watch id')
	.positive('expected a watch id')
	.max(MAX_WATCH_ID, 'expected a watch id');

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** Input of a watch from the form or the JSON API. */
export const watchInputSchema = z.object({
	gpu: z
		.string({ message: 'is required' })
		.trim()
		.max(60)
		.refine((s) => gpuBySlug(s) !== undefined || familyBySlug(s) !== undefined, {
			message: 'is not a GPU this dashboard knows'
		}),
	pricing: z.enum(['on_demand', 'spot'], { message: 'must be on-demand or spot' }),
	provider: z.preprocess(
		emptyToUndefined,
		z.enum(PROVIDERS, { message: `must be one of ${PROVIDERS.join(', ')}, or empty for any` }).optional()
	),
	region: z.preprocess(emptyToUndefined, plainText(40).optional()),
	minGpuCount: z.preprocess(
		emptyToUndefined,
		z.coerce
			.number({ message: `must be a whole number from 1 to ${MAX_GPU_COUNT}` })
			.int(`must be a whole number from 1 to ${MAX_GPU_COUNT}`)
			.min(1, `must be a whole number from 1 to ${MAX_GPU_COUNT}`)
			.max(MAX_GPU_COUNT, `must be a whole number from 1 to ${MAX_GPU_COUNT}`)
			.default(1)
	),
	thresholdUsd: z.coerce
		.number({ message: 'must be a price in USD per GPU-hour, such as 1.50' })
		.positive('must be more than $0')
		.max(MAX_THRESHOLD_USD, `must be at most $${MAX_THRESHOLD_USD}`),
	webhookUrl: z.preprocess(
		emptyToUndefined,
		plainText(MAX_WEBHOOK_URL_LENGTH)
			.superRefine((s, ctx) => {
				const check = checkWebhookUrlSyntax(s);
				if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason });
			})
			.optional()
	),
	label: z.preprocess(emptyToUndefined, plainText(80).optional())
});
export type WatchInput = z.output<typeof watchInputSchema>;

export interface Watch {
	id: number;
	gpu: string;
	pricing: string;
	provider: string | null;
	region: string | null;
	minGpuCount: number;
	thresholdUsd: number;
	webhookUrl: string | null;
	label: string | null;
	createdAt: string;
	armed: boolean;
	lastPriceUsd: number | null;
	lastEvaluatedAt: string | null;
	paused: boolean;
}

export interface Firing {
	id: number;
	watchId: number;
	firedAt: string;
	pricePerGpuHourUsd: number;
	provider: string;
	region: string | null;
	offer: Record<string, unknown> | null;
	webhookStatus: string;
	webhookAttempts: number;
	webhookError: string | null;
	/** of the watch */
	gpu: string;
	pricing: string;
	thresholdUsd: number;
	label: string | null;
}

export class WatchError extends Error {
	readonly field: string;
	constructor(field: string, message: string) {
		super(message);
		this.name = 'WatchError';
		this.field = field;
	}
}

type WatchRow = typeof alertWatches.$inferSelect;

export function toWatch(r: WatchRow): Watch {
	return {
		id: r.id,
		gpu: r.gpu,
		pricing: r.pricing,
		provider: r.provider,
		region: r.region,
		minGpuCount: r.minGpuCount,
		thresholdUsd: r.thresholdUsd,
		webhookUrl: r.webhookUrl,
		label: r.label,
		createdAt: r.createdAt.toISOString(),
		armed: r.armed,
		lastPriceUsd: r.lastPriceUsd,
		lastEvaluatedAt: r.lastEvaluatedAt?.toISOString() ?? null,
		paused: r.paused
	};
}

/** The webhook URL must be http(s) and (unless allowPrivate) reach only public addresses. */
export async function checkWatchWebhook(input: Pick<WatchInput, 'webhookUrl'>, allowPrivate: boolean) {
	if (input.webhookUrl) {
		const check = await checkWebhookUrl(input.webhookUrl, allowPrivate);
		if (!check.ok) throw new WatchError('webhookUrl', `The webhook URL ${check.reason}.`);
	}
}

/** Saves a watch (checks its webhook first). */
export async function createWatch(
	db: Db,
	input: WatchInput,
	opts: { allowPrivate: boolean }
): Promise<Watch> {
	await checkWatchWebhook(input, opts.allowPrivate);
	return insertWatch(db, input, null);
}

/** Inserts a checked watch; `manageTokenHash` is ./access.ts's hash of its manage token. */
export async function insertWatch(db: Db, input: WatchInput, manageTokenHash: string | null): Promise<Watch> {
	const count = await rows<{ n: number }>(db, sql`select count(*)::int as n from alert_watches`);
	if (Number(count[0]?.n ?? 0) >= MAX_WATCHES)
		throw new WatchError(
			'gpu',
			`This dashboard holds at most ${MAX_WATCHES} watches; none can be added now.`
		);
	const [r] = await db
		.insert(alertWatches)
		.values({
			gpu: input.gpu,
			pricing: input.pricing,
			provider: input.provider ?? null,
			region: input.region ?? null,
			minGpuCount: input.minGpuCount,
			thresholdUsd: input.thresholdUsd,
			webhookUrl: input.webhookUrl ?? null,
			label: input.label ?? null,
			manageTokenHash
		})
		.returning();
	return toWatch(r!);
}

export async function listWatches(db: Db): Promise<Watch[]> {
	const r = await db.select().from(alertWatches).orderBy(desc(alertWatches.createdAt), desc(alertWatches.id));
	return r.map(toWatch);
}

/** The watches with these ids (any order). */
export async function watchesById(db: Db, ids: number[]): Promise<Watch[]> {
	if (ids.length === 0) return [];
	const r = await db.select().from(alertWatches).where(inArray(alertWatches.id, ids));
	return r.map(toWatch);
}

export async function getWatch(db: Db, id: number): Promise<Watch | undefined> {
	const [r] = await db.select().from(alertWatches).where(eq(alertWatches.id, id));
	return r ? toWatch(r) : undefined;
}

/** Deletes a watch and (cascade) its firings. False when there was none. */
export async function deleteWatch(db: Db, id: number): Promise<boolean> {
	const r = await db.delete(alertWatches).where(eq(alertWatches.id, id)).returning({ id: alertWatches.id });
	return r.length > 0;
}

export async function listFirings(db: Db, limit = 50, watchId?: number): Promise<Firing[]> {
	const r = await rows<{
		id: number;
		watch_id: number;
		fired_at_ms: number;
		price_per_gpu_hour_usd: number;
		provider: string;
		region: string | null;
		offer: Record<string, unknown> | null;
		webhook_status: string;
		webhook_attempts: number;
		webhook_error: string | null;
		gpu: string;
		pricing: string;
		threshold_usd: number;
		label: string | null;
	}>(
		db,
		sql`select f.id, f.watch_id, extract(epoch from f.fired_at)::float8 * 1000 as fired_at_ms, f.price_per_gpu_hour_usd,
		           f.provider, f.region, f.offer, f.webhook_status, f.webhook_attempts, f.webhook_error,
		           w.gpu, w.pricing, w.threshold_usd, w.label
		    from alert_firings f join alert_watches w on w.id = f.watch_id
		    ${watchId === undefined ? sql`` : sql`where f.watch_id = ${watchId}`}
		    order by f.fired_at desc, f.id desc
		    limit ${limit}`
	);
	return r.map((x) => ({
		id: Number(x.id),
		watchId: Number(x.watch_id),
		firedAt: isoFromMs(x.fired_at_ms)!,
		pricePerGpuHourUsd: Number(x.price_per_gpu_hour_usd),
		provider: x.provider,
		region: x.region,
		offer: json(x.offer),
		webhookStatus: x.webhook_status,
		webhookAttempts: Number(x.webhook_attempts),
		webhookError: x.webhook_error,
		gpu: x.gpu,
		pricing: x.pricing,
		thresholdUsd: Number(x.threshold_usd),
		label: x.label
	}));
}
