/**
 * Owned watches: creating one (manage token + per-client limit), changing, pausing and deleting one,
 * and what the /alerts page shows beside each watch (cheapest matching price now, last and next check).
 * The routes (page, manage link, JSON API) call these; access checks are ./access.ts.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { hashManageToken, newManageToken } from './access.ts';
import { withCreateSlot } from './limit.ts';
import {
	checkWatchWebhook,
	getWatch,
	insertWatch,
	watchInputSchema,
	type Watch,
	type WatchInput
} from './watches.ts';
import { watchOfferMatch } from './evaluate.ts';
import { GPUS } from '#catalog/gpus.ts';
import { GPU_FAMILIES } from '#catalog/gpu-families.ts';
import { PROVIDERS } from '#adapters/types.ts';
import { rows, type Db } from '../db/index.ts';
import { currentOffers, type ProviderScope } from '../offers/current.ts';

export interface CreateContext {
	allowPrivate: boolean;
	/** event.getClientAddress() */
	client: string;
	/** ALERT_CREATE_LIMIT_PER_HOUR */
	limitPerHour: number;
	now?: Date;
}

export type CreateOutcome =
	{ ok: true; watch: Watch; manageToken: string } | { ok: false; retryAfterSeconds: number; limit: number };

/** Checks the webhook (DNS, outside any transaction), then takes a creation slot and inserts. */
export async function createOwnedWatch(
	db: Db,
	input: WatchInput,
	ctx: CreateContext
): Promise<CreateOutcome> {
	await checkWatchWebhook(input, ctx.allowPrivate);
	const manageToken = newManageToken();
	const res = await withCreateSlot(db, ctx.client, ctx.limitPerHour, ctx.now ?? new Date(), (tx) =>
		insertWatch(tx, input, hashManageToken(manageToken))
	);
	return res.ok ? { ok: true, watch: res.value, manageToken } : res;
}

/** The user's words for a refused creation (429). */
export function limitMessage(o: { retryAfterSeconds: number; limit: number }): string {
	const minutes = Math.ceil(o.retryAfterSeconds / 60);
	return `You have created ${o.limit} watches in the last hour, the most this dashboard allows. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

/** An edit: any subset of a watch's fields, plus paused. */
export const watchPatchSchema = watchInputSchema
	.partial()
	.extend({ paused: z.boolean({ message: 'must be true or false' }).optional() });
export type WatchPatch = z.output<typeof watchPatchSchema>;
type Clearable = 'provider' | 'region' | 'webhookUrl' | 'label';
/** An edit; null clears an optional field. */
export type WatchEdit = Omit<WatchPatch, Clearable> & { [K in Clearable]?: WatchPatch[K] | null };

/**
 * Applies an edit. A change of what is watched (anything but label, webhook and paused) re-arms the
 * watch and forgets its last price: the next check starts over for the new question.
 */
export async function updateWatch(
	db: Db,
	id: number,
	patch: WatchEdit,
	opts: { allowPrivate: boolean }
): Promise<Watch | undefined> {
	const current = await getWatch(db, id);
	if (!current) return undefined;
	if (patch.webhookUrl) await checkWatchWebhook({ webhookUrl: patch.webhookUrl }, opts.allowPrivate);
	const next = {
		...current,
		...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined))
	};
	const rearm = (['gpu', 'pricing', 'provider', 'region', 'minGpuCount', 'thresholdUsd'] as const).some(
		(k) => k in patch && patch[k] !== undefined && patch[k] !== current[k]
	);
	await db.execute(
		sql`update alert_watches set gpu = ${next.gpu}, pricing = ${next.pricing}, provider = ${next.provider ?? null},
		    region = ${next.region ?? null}, min_gpu_count = ${next.minGpuCount}, threshold_usd = ${next.thresholdUsd},
		    webhook_url = ${next.webhookUrl ?? null}, label = ${next.label ?? null}, paused = ${next.paused}
		    ${rearm ? sql`, armed = true, last_price_usd = null` : sql``}
		    where id = ${id}`
	);
	return getWatch(db, id);
}

/** Clearing an optional field in an edit form: an empty input means "none", not "unchanged". */
export function clearedOptionalFields(
	form: FormData
): Partial<Record<'provider' | 'region' | 'webhookUrl' | 'label', null>> {
	const out: Partial<Record<'provider' | 'region' | 'webhookUrl' | 'label', null>> = {};
	for (const k of ['provider', 'region', 'webhookUrl', 'label'] as const) {
		const v = form.get(k);
		if (typeof v === 'string' && v.trim() === '') out[k] = null;
	}
	return out;
}

export interface CheapestNow {
	pricePerGpuHourUsd: number;
	provider: string;
	gpu: string;
}

/**
 * The cheapest matching offer of each watch right now (the enabled providers' current trusted offers:
 * what the next check will read), so a new watch shows a price before its first check.
 */
export async function cheapestNowByWatch(db: Db, scope: ProviderScope): Promise<Map<number, CheapestNow>> {
	const r = await rows<{ id: number; price: number | null; provider: string | null; gpu: string | null }>(
		db,
		sql`select w.id, b.price, b.provider, b.gpu from alert_watches w
		    left join lateral (
		      select o.price_per_gpu_hour_usd as price, o.provider, o.gpu
		      from ${currentOffers(scope, { trusted: true })} o
		      where ${watchOfferMatch()}
		      order by o.price_per_gpu_hour_usd asc, o.id asc limit 1
		    ) b on true`
	);
	const out = new Map<number, CheapestNow>();
	for (const x of r) {
		if (x.price === null || x.provider === null) continue;
		out.set(Number(x.id), { pricePerGpuHourUsd: Number(x.price), provider: x.provider, gpu: x.gpu ?? '' });
	}
	return out;
}

export interface CheckSchedule {
	/** POLL_INTERVAL_MINUTES; 0 = this server does not check on its own */
	intervalMinutes: number;
	/** the newest finished provider poll this database knows of */
	lastCycleAt: string | null;
	/** when the next check is due (the start of the next interval: the poller aims there), or null */
	nextCheckAt: string | null;
}

/** When watches were last checked and will be next: every poll cycle checks every watch. */
export async function checkSchedule(
	db: Db,
	intervalMinutes: number,
	now = new Date()
): Promise<CheckSchedule> {
	// The newest finished poll of any provider (the server's scheduler or `npm run poll`): one index
	// probe per provider on poll_runs (provider, started_at) instead of a scan of a year of runs.
	const newest = PROVIDERS.map(
		(p) =>
			sql`(select finished_at from poll_runs where provider = ${p} and finished_at is not null
			     order by started_at desc limit 1)`
	);
	const [r] = await rows<{ ms: number | null }>(
		db,
		sql`select extract(epoch from max(t))::float8 * 1000 as ms from (values ${sql.join(
			newest.map((q) => sql`(${q})`),
			sql`, `
		)}) as v(t)`
	);
	const lastMs = r?.ms === null || r?.ms === undefined ? null : Number(r.ms);
	const intervalMs = intervalMinutes * 60_000;
	return {
		intervalMinutes,
		lastCycleAt: lastMs === null ? null : new Date(lastMs).toISOString(),
		nextCheckAt:
			intervalMinutes === 0
				? null
				: new Date((Math.floor(now.getTime() / intervalMs) + 1) * intervalMs).toISOString()
	};
}

/** Field names as the form labels them: messages name what the user sees, not `thresholdUsd`. */
export const WATCH_FIELD_LABELS: Record<string, string> = {
	gpu: 'GPU',
	pricing: 'Pricing',
	provider: 'Provider',
	region: 'Region',
	minGpuCount: 'Min. GPUs',
	thresholdUsd: 'Threshold',
	webhookUrl: 'Webhook URL',
	label: 'Label',
	paused: 'Paused'
};

/** The watch fields of a form post, as strings (a file upload becomes ''), for re-rendering the form. */
export function watchValuesFromForm(form: FormData): Record<string, string> {
	return Object.fromEntries(
		Object.keys(watchInputSchema.shape).flatMap((k) => {
			const v = form.get(k);
			return v === null ? [] : [[k, typeof v === 'string' ? v : '']];
		})
	);
}

/** A form's error: the field at fault and a sentence that names it by its label. */
export function formError(field: string, message: string) {
	const label = WATCH_FIELD_LABELS[field];
	// WatchError messages are whole sentences already ("The webhook URL …").
	const text = /^[A-Z]/.test(message) || !label ? message : `${label} ${message}`;
	return { field, error: text };
}

/** A watch form read and checked: its values (re-rendered on a refusal) and either the input or the error. */
export function parseWatchForm(form: FormData) {
	const values = watchValuesFromForm(form);
	const parsed = watchInputSchema.safeParse(values);
	if (parsed.success) return { values, data: parsed.data, error: null };
	const issue = parsed.error.issues[0]!;
	return { values, data: null, error: formError(String(issue.path[0] ?? ''), issue.message) };
}

/** The choices of the watch form (the /alerts page and a watch's manage page). */
export const WATCH_FORM_CHOICES = {
	gpus: GPUS.map((g) => ({ slug: g.slug, name: g.name })),
	families: GPU_FAMILIES.map((f) => ({ slug: f.slug, name: f.name, variants: f.members.length })),
	providers: [...PROVIDERS]
};
