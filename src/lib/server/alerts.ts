/**
 * Price alerts: watches (GPU, pricing, optional provider and region, minimum GPU count, threshold in
 * USD per GPU-hour, optional webhook), evaluated after every poll against the current offers.
 *
 * A watch fires once when the cheapest matching available offer is at or below its threshold, and
 * re-arms when that price is above the threshold again — no repeat every poll. When no offer matches
 * at all, the watch keeps its state (a gap in the data is neither a crossing nor a recovery).
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { gpuBySlug } from '../../../adapters/catalog.ts';
import { familyBySlug, GPU_FAMILIES, gpuOrFamilyName } from '../../../adapters/gpu-families.ts';
import { PROVIDERS } from '../../../adapters/types.ts';
import { plainText } from '../input/text.ts';
import { rows, type Db } from './db/index.ts';
import { currentOffers, type ProviderScope } from './current-offers.ts';
import {
	checkWebhookUrl,
	checkWebhookUrlSyntax,
	deliverWebhook,
	MAX_WEBHOOK_URL_LENGTH,
	type DeliveryOptions
} from './webhook.ts';

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

type WatchRow = {
	id: number;
	gpu: string;
	pricing: string;
	provider: string | null;
	region: string | null;
	min_gpu_count: number;
	threshold_usd: number;
	webhook_url: string | null;
	label: string | null;
	created_at_ms: number;
	armed: boolean;
	last_price_usd: number | null;
	last_evaluated_at_ms: number | null;
	paused: boolean;
};

const WATCH_COLUMNS = sql`id, gpu, pricing, provider, region, min_gpu_count, threshold_usd, webhook_url, label,
	extract(epoch from created_at)::float8 * 1000 as created_at_ms, armed, last_price_usd,
	extract(epoch from last_evaluated_at)::float8 * 1000 as last_evaluated_at_ms, paused`;

function toWatch(r: WatchRow): Watch {
	return {
		id: Number(r.id),
		gpu: r.gpu,
		pricing: r.pricing,
		provider: r.provider,
		region: r.region,
		minGpuCount: Number(r.min_gpu_count),
		thresholdUsd: Number(r.threshold_usd),
		webhookUrl: r.webhook_url,
		label: r.label,
		createdAt: new Date(Number(r.created_at_ms)).toISOString(),
		armed: Boolean(r.armed),
		lastPriceUsd: r.last_price_usd === null ? null : Number(r.last_price_usd),
		lastEvaluatedAt:
			r.last_evaluated_at_ms === null ? null : new Date(Number(r.last_evaluated_at_ms)).toISOString(),
		paused: Boolean(r.paused)
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

/** Inserts a checked watch; `manageTokenHash` is alert-access.ts's hash of its manage token. */
export async function insertWatch(db: Db, input: WatchInput, manageTokenHash: string | null): Promise<Watch> {
	const count = await rows<{ n: number }>(db, sql`select count(*)::int as n from alert_watches`);
	if (Number(count[0]?.n ?? 0) >= MAX_WATCHES)
		throw new WatchError(
			'gpu',
			`This dashboard holds at most ${MAX_WATCHES} watches; none can be added now.`
		);
	const r = await rows<WatchRow>(
		db,
		sql`insert into alert_watches (gpu, pricing, provider, region, min_gpu_count, threshold_usd, webhook_url, label, manage_token_hash)
		    values (${input.gpu}, ${input.pricing}, ${input.provider ?? null}, ${input.region ?? null}, ${input.minGpuCount},
		            ${input.thresholdUsd}, ${input.webhookUrl ?? null}, ${input.label ?? null}, ${manageTokenHash})
		    returning ${WATCH_COLUMNS}`
	);
	return toWatch(r[0]!);
}

export async function listWatches(db: Db): Promise<Watch[]> {
	const r = await rows<WatchRow>(
		db,
		sql`select ${WATCH_COLUMNS} from alert_watches order by created_at desc, id desc`
	);
	return r.map(toWatch);
}

export async function getWatch(db: Db, id: number): Promise<Watch | undefined> {
	const r = await rows<WatchRow>(db, sql`select ${WATCH_COLUMNS} from alert_watches where id = ${id}`);
	return r[0] ? toWatch(r[0]) : undefined;
}

/** Deletes a watch and (cascade) its firings. False when there was none. */
export async function deleteWatch(db: Db, id: number): Promise<boolean> {
	const r = await rows(db, sql`delete from alert_watches where id = ${id} returning id`);
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
		firedAt: new Date(Number(x.fired_at_ms)).toISOString(),
		pricePerGpuHourUsd: Number(x.price_per_gpu_hour_usd),
		provider: x.provider,
		region: x.region,
		offer: typeof x.offer === 'string' ? JSON.parse(x.offer) : x.offer,
		webhookStatus: x.webhook_status,
		webhookAttempts: Number(x.webhook_attempts),
		webhookError: x.webhook_error,
		gpu: x.gpu,
		pricing: x.pricing,
		thresholdUsd: Number(x.threshold_usd),
		label: x.label
	}));
}

export interface EvaluateOptions extends Partial<Omit<DeliveryOptions, 'allowPrivate'>> {
	allowPrivate: boolean;
	/** the enabled providers: only their current, trusted offers can fire a watch (current-offers.ts) */
	scope: ProviderScope;
}

export interface EvaluateResult {
	evaluated: number;
	fired: Firing[];
	rearmed: number[];
	/** watches with no matching available offer this time (state kept) */
	noOffer: number[];
}

/** "gpu>member" pairs of the families, for the SQL below (a family watch matches its variants). */
const FAMILY_PAIRS = GPU_FAMILIES.flatMap((f) => f.members.map((m) => `${f.slug}>${m}`));

/**
 * The offers (alias o) a watch (alias w) looks at: its GPU or any variant of its family, its pricing and
 * GPU count, provider and region when set, available ones only. One definition for the evaluation and
 * the "cheapest now" shown beside each watch.
 */
export function watchOfferMatch(): SQL {
	return sql`(o.gpu = w.gpu or (w.gpu || '>' || o.gpu) = any(${sql.param(FAMILY_PAIRS)}::text[]))
		        and o.pricing = w.pricing and o.available
		        and o.gpu_count >= w.min_gpu_count
		        and (w.provider is null or o.provider = w.provider)
		        and (w.region is null or lower(o.region) = lower(w.region)
		             or lower(w.region) = any (regexp_split_to_array(lower(o.region), '\\s*,\\s*')))`;
}

/**
 * Evaluates every watch against the current offers (offers of each provider's newest snapshot,
 * available ones only), records firings, and delivers their webhooks (awaited, bounded retries).
 * Safe to run from several instances at once: a firing is claimed by a conditional update.
 */
export async function evaluateAlerts(db: Db, now: Date, opts: EvaluateOptions): Promise<EvaluateResult> {
	const best = await rows<
		WatchRow & {
			o_provider: string | null;
			o_region: string | null;
			o_gpu_name: string | null;
			o_gpu_count: number | null;
			o_cloud: string | null;
			o_price: number | null;
			o_price_per_hour: number | null;
			o_offer_ref: string | null;
			o_observed_at_ms: number | null;
		}
	>(
		db,
		sql`select ${WATCH_COLUMNS}, b.*
		    from alert_watches w
		    left join lateral (
		      select o.provider as o_provider, o.region as o_region, o.gpu_name as o_gpu_name, o.gpu_count as o_gpu_count,
		             o.cloud as o_cloud, o.price_per_gpu_hour_usd as o_price, o.price_per_hour_usd as o_price_per_hour,
		             o.offer_ref as o_offer_ref, extract(epoch from o.observed_at)::float8 * 1000 as o_observed_at_ms
		      from ${currentOffers(opts.scope, { trusted: true })} o
		      where ${watchOfferMatch()}
		      order by o.price_per_gpu_hour_usd asc, o.id asc
		      limit 1
		    ) b on true
		    where not w.paused
		    order by w.id`
	);
	const nowIso = now.toISOString();
	const firedIds: number[] = [];
	const rearmed: number[] = [];
	const noOffer: number[] = [];
	for (const r of best) {
		const id = Number(r.id);
		if (r.o_price === null || r.o_price === undefined) {
			noOffer.push(id);
			await db.execute(
				sql`update alert_watches set last_evaluated_at = ${nowIso}::timestamptz where id = ${id}`
			);
			continue;
		}
		const price = Number(r.o_price);
		const below = price <= Number(r.threshold_usd);
		if (below) {
			const offer = {
				provider: r.o_provider,
				gpuName: r.o_gpu_name,
				gpuCount: r.o_gpu_count === null ? null : Number(r.o_gpu_count),
				cloud: r.o_cloud,
				region: r.o_region,
				pricePerHourUsd: r.o_price_per_hour === null ? null : Number(r.o_price_per_hour),
				pricePerGpuHourUsd: price,
				offerRef: r.o_offer_ref,
				observedAt: r.o_observed_at_ms === null ? null : new Date(Number(r.o_observed_at_ms)).toISOString()
			};
			// Claim the crossing: only the evaluation that flips armed → false records a firing.
			const fired = await rows<{ id: number }>(
				db,
				sql`with claim as (
				      update alert_watches set armed = false, last_price_usd = ${price}, last_evaluated_at = ${nowIso}::timestamptz
				      where id = ${id} and armed returning id
				    )
				    insert into alert_firings (watch_id, fired_at, price_per_gpu_hour_usd, provider, region, offer, webhook_status)
				    select id, ${nowIso}::timestamptz, ${price}, ${r.o_provider}, ${r.o_region}, ${JSON.stringify(offer)}::jsonb,
				           ${r.webhook_url ? 'pending' : 'none'}
				    from claim
				    returning id`
			);
			if (fired[0]) firedIds.push(Number(fired[0].id));
			else {
				await db.execute(
					sql`update alert_watches set last_price_usd = ${price}, last_evaluated_at = ${nowIso}::timestamptz where id = ${id}`
				);
			}
		} else {
			const re = await rows(
				db,
				sql`update alert_watches set armed = true, last_price_usd = ${price}, last_evaluated_at = ${nowIso}::timestamptz
				    where id = ${id} and not armed returning id`
			);
			if (re.length) rearmed.push(id);
			else {
				await db.execute(
					sql`update alert_watches set last_price_usd = ${price}, last_evaluated_at = ${nowIso}::timestamptz where id = ${id}`
				);
			}
		}
	}
	const fired = firedIds.length ? (await listFirings(db, 1000)).filter((f) => firedIds.includes(f.id)) : [];
	const watchById = new Map(best.map((r) => [Number(r.id), toWatch(r)]));
	await Promise.all(
		fired.map(async (f) => {
			const w = watchById.get(f.watchId);
			if (!w?.webhookUrl) return;
			const result = await deliverWebhook(w.webhookUrl, webhookPayload(w, f), opts);
			await db.execute(
				sql`update alert_firings set webhook_status = ${result.status}, webhook_attempts = ${result.attempts},
				    webhook_error = ${result.error} where id = ${f.id}`
			);
			f.webhookStatus = result.status;
			f.webhookAttempts = result.attempts;
			f.webhookError = result.error;
		})
	);
	return { evaluated: best.length, fired, rearmed, noOffer };
}

/** The JSON a webhook receives. */
export function webhookPayload(w: Watch, f: Firing) {
	return {
		type: 'gpu-price-alert',
		watch: {
			id: w.id,
			label: w.label,
			gpu: w.gpu,
			gpuName: gpuOrFamilyName(w.gpu),
			pricing: w.pricing,
			provider: w.provider,
			region: w.region,
			minGpuCount: w.minGpuCount,
			thresholdUsdPerGpuHour: w.thresholdUsd
		},
		firing: {
			id: f.id,
			firedAt: f.firedAt,
			pricePerGpuHourUsd: f.pricePerGpuHourUsd,
			provider: f.provider,
			region: f.region,
			offer: f.offer
		}
	};
}
