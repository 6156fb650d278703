/**
 * vast.ai: the keyless offer search `POST /api/v0/bundles/` (docs/providers.md §1). One offer is one box of
 * `num_gpus` GPUs priced as a whole; `min_bid` is its interruptible (spot) floor.
 */
import { z } from 'zod';
import { gpuBySlug } from '#catalog/gpus.ts';
import { resolveGpuName } from './gpu-names.ts';
import { VASTAI_GPU_NAMES } from './vastai-names.ts';
import { PayloadShapeError } from './errors.ts';
import {
	bool,
	capOptional,
	capText,
	createTally,
	MAX_NAME_LENGTH,
	MAX_REF_LENGTH,
	MAX_REGION_LENGTH,
	num,
	str,
	zodReason
} from './normalize.ts';
import type { Adapter, Cloud, FetchResult, NormalizedOffer } from './types.ts';

export const VASTAI_PATH = '/api/v0/bundles/';

/**
 * Offers per answer. The default limit is small (vast-cli issue #268); gpuhunt asks for 3000, SkyPilot
 * for 10000 (docs/providers.md §1.2). The market holds several thousand rentable offers (§1.4 there).
 */
export const VASTAI_PAGE_LIMIT = 5000;
/** Pages per poll; with the 6 s spacing below a full walk takes under half a minute. */
export const VASTAI_MAX_PAGES = 4;
/** vast.ai's search_offers.yaml: `x-rate-limit: 10 requests per minute per IP` (docs/providers.md §1.5) → one request per 6 s. */
export const VASTAI_MIN_INTERVAL_MS = 6_000;
/** GB of disk priced into `dph_total` (vast-cli's default `allocated_storage`, docs/providers.md §1.2). */
export const VASTAI_ALLOCATED_STORAGE_GB = 5;

/** vast.ai reports memory in MiB (24564 for a 24 GB card, docs/providers.md §1.3). */
const MIB_PER_GB = 1024;

/** The search body: every rentable, not-rented offer, cheapest first, from `minDphTotal` up. */
export function vastaiQuery(minDphTotal?: number): Record<string, unknown> {
	return {
		rentable: { eq: true },
		rented: { eq: false },
		type: 'on-demand',
		allocated_storage: VASTAI_ALLOCATED_STORAGE_GB,
		order: [['dph_total', 'asc']],
		limit: VASTAI_PAGE_LIMIT,
		...(minDphTotal !== undefined ? { dph_total: { gte: minDphTotal } } : {})
	};
}

const PriceBreakdown = z.object({ totalHour: num, diskHour: num }).nullish().catch(null);

/** One offer of the bundles answer: the fields the normalization reads, each coerced leniently. */
export const vastaiOfferSchema = z.object({
	id: str,
	gpu_name: z.string().min(1),
	num_gpus: z.preprocess((v) => (typeof v === 'string' ? Number(v) : v), z.number().int().positive()),
	gpu_ram: num,
	dph_total: num,
	dph_base: num,
	storage_total_cost: num,
	search: PriceBreakdown,
	min_bid: num,
	rentable: bool,
	rented: bool,
	hosting_type: num,
	geolocation: z.string().nullish().catch(null),
	reliability2: num,
	reliability: num,
	verification: z.string().nullish().catch(null),
	verified: bool,
	cpu_cores: num,
	cpu_cores_effective: num,
	cpu_ram: num,
	disk_space: num,
	inet_down: num,
	inet_up: num,
	machine_id: str
	// host_id, cuda_max_good, gpu_frac … are not used: unknown fields are ignored, not validated.
});
/**
 * An offer as the normalization reads it: zod's output, or an item `plainOffer` let through as it is
 * (whose ids may still be JSON numbers: `refText` reads both).
 */
type Offer = Omit<z.infer<typeof vastaiOfferSchema>, 'id' | 'machine_id'> & {
	id?: string | number | null;
	machine_id?: string | number | null;
};

/** A finite JSON number, null or nothing: what `num` passes through unchanged. */
const plainNumber = (v: unknown) => v == null || (typeof v === 'number' && Number.isFinite(v));
/** A boolean, null or nothing: what `bool` passes through unchanged. */
const plainBoolean = (v: unknown) => v == null || typeof v === 'boolean';
/** A string, null or nothing. */
const plainText = (v: unknown) => v == null || typeof v === 'string';

/**
 * True when every field `vastaiOfferSchema` reads already has the type its schema's first branch takes: a finite
 * JSON number, a boolean, a string, null or nothing. For such an item zod changes nothing (numeric ids
 * aside, which it turns into strings, as `refText` does), so it is read as it is; any other item goes
 * through the schema, for the coercions and the exact reason of a skip. zod on every offer was about half
 * of the parse time of a 10,000-offer answer (npm run bench). The fields are named one by one: every
 * offer of an answer has the same shape, so each check is a direct property read.
 * tests/adapters/parser-properties.test.ts checks that zod accepts every item this lets through, with
 * the same values.
 */
export function plainOffer(item: unknown): boolean {
	if (typeof item !== 'object' || item === null || Array.isArray(item)) return false;
	const o = item as Record<string, unknown>;
	const ok =
		(plainText(o.id) || plainNumber(o.id)) &&
		typeof o.gpu_name === 'string' &&
		o.gpu_name !== '' &&
		Number.isSafeInteger(o.num_gpus) &&
		(o.num_gpus as number) >= 1 &&
		plainNumber(o.gpu_ram) &&
		plainNumber(o.dph_total) &&
		plainNumber(o.dph_base) &&
		plainNumber(o.storage_total_cost) &&
		plainNumber(o.min_bid) &&
		plainBoolean(o.rentable) &&
		plainBoolean(o.rented) &&
		plainNumber(o.hosting_type) &&
		plainText(o.geolocation) &&
		plainNumber(o.reliability2) &&
		plainNumber(o.reliability) &&
		plainText(o.verification) &&
		plainBoolean(o.verified) &&
		plainNumber(o.cpu_cores) &&
		plainNumber(o.cpu_cores_effective) &&
		plainNumber(o.cpu_ram) &&
		plainNumber(o.disk_space) &&
		plainNumber(o.inet_down) &&
		plainNumber(o.inet_up) &&
		(plainText(o.machine_id) || plainNumber(o.machine_id));
	if (!ok) return false;
	const search = o.search;
	if (search == null) return true;
	if (typeof search !== 'object' || Array.isArray(search)) return false;
	const s = search as Record<string, unknown>;
	return plainNumber(s.totalHour) && plainNumber(s.diskHour);
}

/** An offer or machine id as text (vast.ai sends numbers), capped; absent → null. */
function refText(v: string | number | null | undefined): string | null {
	return v === null || v === undefined ? null : capOptional(String(v), MAX_REF_LENGTH);
}

/** The offers array: `{"offers": [...]}` from the API, a bare array from `vastai search offers --raw`. */
function offersOf(payload: unknown): unknown[] {
	if (Array.isArray(payload)) return payload;
	if (payload && typeof payload === 'object' && 'offers' in payload) {
		const offers = (payload as { offers: unknown }).offers;
		if (Array.isArray(offers)) return offers;
		// The documented example puts one object under "offers" (vast-bundles-openapi-example.json).
		if (offers && typeof offers === 'object') return [offers];
	}
	throw new PayloadShapeError('expected {"offers": [...]} from the bundles search');
}

/** "Texas, US" → "US"; SkyPilot's georegion form "Czechia, CZ, EU" → "CZ"; null → "". */
export function vastaiCountry(geolocation: string | null | undefined): string {
	if (!geolocation) return '';
	const parts = geolocation.split(',').map((p) => p.trim());
	const cc = parts.length >= 3 ? parts[1] : parts[parts.length - 1];
	return cc && /^[A-Z]{2}$/.test(cc) ? cc : capText(geolocation, MAX_REGION_LENGTH);
}

/** Whole-box price per hour: dph_total, else search.totalHour, else dph_base plus storage (docs/providers.md §1.3, §1.7). */
function boxPriceUsd(o: Offer): number | null {
	if (o.dph_total != null) return o.dph_total;
	if (o.search?.totalHour != null) return o.search.totalHour;
	if (o.dph_base != null) return o.dph_base + (o.storage_total_cost ?? o.search?.diskHour ?? 0);
	return null;
}

/** Per-answer memo of pure per-string work: thousands of offers share a few hundred names and places. */
function memo<A, R>(f: (a: A) => R): (a: A) => R {
	const seen = new Map<A, R>();
	return (a) => {
		let r = seen.get(a);
		if (r === undefined && !seen.has(a)) seen.set(a, (r = f(a)));
		return r as R;
	};
}

export function parseVastai(payload: unknown, observedAt: Date): ReturnType<Adapter['parse']> {
	const items = offersOf(payload);
	const tally = createTally();
	const at = observedAt.toISOString();
	const nameOf = memo((n: string) => capText(n, MAX_NAME_LENGTH));
	const countryOf = memo((g: string | null | undefined) => vastaiCountry(g));
	const placeOf = memo((g: string | null | undefined) => capOptional(g, MAX_REGION_LENGTH));
	const resolvedNames = new Map<string, ReturnType<typeof resolveGpuName>>();
	const resolve = (gpuName: string, ramMib: number | null | undefined) => {
		const key = `${gpuName}\u0000${ramMib ?? ''}`;
		let r = resolvedNames.get(key);
		if (!r) {
			r = resolveGpuName(VASTAI_GPU_NAMES, gpuName, ramMib != null ? ramMib / MIB_PER_GB : null);
			resolvedNames.set(key, r);
		}
		return r;
	};
	for (const item of items) {
		tally.itemsSeen++;
		let o: Offer;
		if (plainOffer(item)) o = item as Offer;
		else {
			const parsed = vastaiOfferSchema.safeParse(item);
			if (!parsed.success) {
				tally.skip(zodReason(parsed.error));
				continue;
			}
			o = parsed.data;
		}
		const name = nameOf(o.gpu_name);
		const observedVramGb = o.gpu_ram != null ? o.gpu_ram / MIB_PER_GB : null;
		const resolved = resolve(o.gpu_name, o.gpu_ram);
		if (resolved.kind === 'excluded') {
			tally.skip(`excluded: ${resolved.reason}`);
			continue;
		}
		if (resolved.kind === 'vram-mismatch') {
			tally.unmapped(
				`${name} (${resolved.vramGb === null ? 'no gpu_ram' : `${Math.round(resolved.vramGb)} GB`})`
			);
			continue;
		}
		if (resolved.kind === 'unmapped') {
			tally.unmapped(name);
			continue;
		}
		const spec = gpuBySlug(resolved.slug);
		const box = boxPriceUsd(o);
		if (box === null) {
			tally.skip('no price (dph_total, search.totalHour and dph_base absent)');
			continue;
		}
		const available = o.rentable !== false && o.rented !== true;
		const cloud: Cloud | null = o.hosting_type === 1 ? 'secure' : o.hosting_type === 0 ? 'community' : null;
		const effectiveShare =
			o.cpu_cores && o.cpu_cores_effective ? Math.min(1, o.cpu_cores_effective / o.cpu_cores) : 1;
		const onDemand: NormalizedOffer = {
			provider: 'vastai',
			gpu: resolved.slug,
			gpuName: name,
			gpuCount: o.num_gpus,
			vramGb: spec?.vramGb ?? Math.round(observedVramGb ?? 0),
			cloud,
			region: countryOf(o.geolocation),
			available,
			observedAt: at,
			offerRef: refText(o.id),
			reliability: o.reliability2 ?? o.reliability ?? null,
			verified: o.verification ? o.verification === 'verified' : (o.verified ?? null),
			vcpus: o.cpu_cores_effective ?? o.cpu_cores ?? null,
			// cpu_ram is the host's MB; the offer gets its share (gpuhunt's formula, docs/providers.md §1.3).
			ramGb: o.cpu_ram != null ? round2((o.cpu_ram * effectiveShare) / 1000) : null,
			diskGb: o.disk_space ?? null,
			inetDownMbps: o.inet_down ?? null,
			inetUpMbps: o.inet_up ?? null,
			extra: {
				machineId: refText(o.machine_id),
				geolocation: placeOf(o.geolocation),
				gpuRamMiB: o.gpu_ram ?? null,
				allocatedStorageGb: VASTAI_ALLOCATED_STORAGE_GB
			},
			pricing: 'on_demand',
			pricePerHourUsd: box,
			pricePerGpuHourUsd: box / o.num_gpus
		};
		tally.add(onDemand);
		// min_bid is the current interruptible floor for the whole box; 0/absent means no spot price.
		if (o.min_bid != null && o.min_bid !== 0) {
			tally.add({
				...onDemand,
				pricing: 'spot',
				pricePerHourUsd: o.min_bid,
				pricePerGpuHourUsd: o.min_bid / o.num_gpus
			});
		}
	}
	return tally.result();
}

function round2(x: number): number {
	return Math.round(x * 100) / 100;
}

/**
 * Walks the market cheapest-first: there is no offset parameter (docs/providers.md §1.2), so when an answer
 * is full the next request asks for `dph_total >= the highest price seen` and offers are merged by id.
 */
async function fetchVastai(ctx: Parameters<Adapter['fetch']>[0]): Promise<FetchResult> {
	const byId = new Map<string, unknown>();
	const anonymous: unknown[] = [];
	const notes: string[] = [];
	let floor: number | undefined;
	let requests = 0;
	for (let page = 1; page <= VASTAI_MAX_PAGES; page++) {
		const res = await ctx.http.json({
			method: 'POST',
			url: ctx.baseUrl + VASTAI_PATH,
			body: vastaiQuery(floor),
			// Keyless: the search is public, and a bad key fails where none works (docs/providers.md §1.1).
			minIntervalMs: VASTAI_MIN_INTERVAL_MS
		});
		requests += res.attempts;
		if (page === 1 && !Array.isArray((res.body as { offers?: unknown })?.offers)) {
			// Not the known shape: hand it to parse, which reports it.
			return { payload: res.body, requests, notes };
		}
		const offers = ((res.body as { offers?: unknown }).offers ?? []) as unknown[];
		if (!Array.isArray(offers)) break;
		let maxPrice: number | undefined;
		for (const o of offers) {
			const id = (o as { id?: unknown })?.id;
			if (typeof id === 'number' || typeof id === 'string') byId.set(String(id), o);
			else anonymous.push(o);
			const p = Number((o as { dph_total?: unknown })?.dph_total);
			if (Number.isFinite(p) && (maxPrice === undefined || p > maxPrice)) maxPrice = p;
		}
		if (offers.length < VASTAI_PAGE_LIMIT) break;
		if (maxPrice === undefined || (floor !== undefined && maxPrice <= floor)) {
			notes.push(`more than ${VASTAI_PAGE_LIMIT} offers at one price: the rest were not fetched`);
			break;
		}
		if (page === VASTAI_MAX_PAGES) {
			notes.push(`answer limit reached: offers above $${maxPrice.toFixed(2)}/h were not fetched`);
			break;
		}
		floor = maxPrice;
	}
	return { payload: { offers: [...byId.values(), ...anonymous] }, requests, notes };
}

export const vastai: Adapter = {
	id: 'vastai',
	label: 'vast.ai',
	requiredKey: null,
	fetch: fetchVastai,
	parse: parseVastai
};
