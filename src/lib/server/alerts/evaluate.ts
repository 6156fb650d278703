/**
 * Evaluating the watches after every poll (src/lib/server/history-jobs.ts). A watch fires once when the
 * cheapest matching available offer is at or below its threshold, and re-arms when that price is above
 * the threshold again — no repeat every poll. When no offer matches at all, the watch keeps its state (a
 * gap in the data is neither a crossing nor a recovery).
 */
import { sql, type SQL } from 'drizzle-orm';
import { GPU_FAMILIES, gpuOrFamilyName } from '#catalog/gpu-families.ts';
import { isoFromMs, numOrNull, rows, type Db } from '../db/index.ts';
import { currentOffers, type ProviderScope } from '../offers/current.ts';
import { listFirings, watchesById, type Firing, type Watch } from './watches.ts';
import { deliverWebhook, type DeliveryOptions } from './webhook.ts';

export interface EvaluateOptions extends Partial<Omit<DeliveryOptions, 'allowPrivate'>> {
	allowPrivate: boolean;
	/** the enabled providers: only their current, trusted offers can fire a watch (src/lib/server/offers/current.ts) */
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
	const best = await rows<{
		id: number | string;
		threshold_usd: number;
		webhook_url: string | null;
		o_provider: string | null;
		o_region: string | null;
		o_gpu_name: string | null;
		o_gpu_count: number | null;
		o_cloud: string | null;
		o_price: number | null;
		o_price_per_hour: number | null;
		o_offer_ref: string | null;
		o_observed_at_ms: number | null;
	}>(
		db,
		sql`select w.id, w.threshold_usd, w.webhook_url, b.*
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
				gpuCount: numOrNull(r.o_gpu_count),
				cloud: r.o_cloud,
				region: r.o_region,
				pricePerHourUsd: numOrNull(r.o_price_per_hour),
				pricePerGpuHourUsd: price,
				offerRef: r.o_offer_ref,
				observedAt: isoFromMs(r.o_observed_at_ms)
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
	const watchById = new Map(
		(await watchesById(db, [...new Set(fired.map((f) => f.watchId))])).map((w) => [w.id, w])
	);
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
