/**
 * Property-based tests of the adapters' pure parsers (fast-check): whatever a provider sends — any JSON
 * value, or its real recorded answer with fields replaced by hostile values (markup, control characters,
 * lone surrogates, numbers as odd strings, huge and negative numbers, nested junk, very long text) — a
 * parser either returns a ParseResult or throws its documented PayloadShapeError, and every offer it
 * returns keeps the normalized-offer contract: a known catalog slug, the pricing/cloud enums, a price
 * above 0 and at most $100 per GPU-hour, a whole GPU count that fits its column, spec figures that fit
 * theirs, and provider strings capped and free of control characters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gpuBySlug } from '#catalog/gpus.ts';
import { RUNPOD_GPU_IDS } from '#adapters/runpod-names.ts';
import { VASTAI_GPU_NAMES } from '#adapters/vastai-names.ts';
import { PayloadShapeError } from '#adapters/errors.ts';
import { plainOffer, vastaiOfferSchema } from '#adapters/vastai.ts';
import { ADAPTERS } from '#adapters/index.ts';
import {
	capText,
	MAX_GPUS_PER_OFFER,
	MAX_NAME_LENGTH,
	MAX_PRICE_PER_GPU_HOUR_USD,
	MAX_REF_LENGTH,
	MAX_REGION_LENGTH,
	MAX_UNMAPPED_NAMES
} from '#adapters/normalize.ts';
import type { NormalizedOffer, ParseResult, ProviderId } from '#adapters/types.ts';
import { readFixture } from '../helpers/fake-providers.ts';

const OBSERVED_AT = new Date('2026-09-01T12:00:00.000Z');
const RUNS = Number(process.env.FC_RUNS ?? 300);

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function expectCleanText(value: unknown, max: number, what: string): void {
	if (value === null || value === undefined) return;
	expect(typeof value, what).toBe('string');
	const s = value as string;
	expect(s.length, `${what} length`).toBeLessThanOrEqual(max);
	expect(CONTROL.test(s), `${what} has control characters: ${JSON.stringify(s)}`).toBe(false);
	expect(LONE_SURROGATE.test(s), `${what} has a lone surrogate`).toBe(false);
}

function expectSpec(value: unknown, what: string): void {
	if (value === null || value === undefined) return;
	expect(typeof value, what).toBe('number');
	const n = value as number;
	// real columns: finite, not negative, nowhere near float4 overflow
	expect(Number.isFinite(n) && n >= 0 && n <= 1e9, `${what} = ${n}`).toBe(true);
}

/** The normalized-offer contract (adapters/types.ts), as the database and the pages rely on it. */
export function expectOfferContract(o: NormalizedOffer, provider: ProviderId): void {
	expect(o.provider).toBe(provider);
	expect(gpuBySlug(o.gpu), `unknown slug ${o.gpu}`).toBeDefined();
	expect(['on_demand', 'spot']).toContain(o.pricing);
	expect([null, 'secure', 'community']).toContain(o.cloud);
	expect(Number.isInteger(o.gpuCount) && o.gpuCount >= 1 && o.gpuCount <= MAX_GPUS_PER_OFFER).toBe(true);
	expect(Number.isFinite(o.pricePerGpuHourUsd)).toBe(true);
	expect(o.pricePerGpuHourUsd).toBeGreaterThan(0);
	expect(o.pricePerGpuHourUsd).toBeLessThanOrEqual(MAX_PRICE_PER_GPU_HOUR_USD);
	expect(Number.isFinite(o.pricePerHourUsd) && o.pricePerHourUsd > 0).toBe(true);
	// the box price is the per-GPU price times the GPUs (to float precision)
	expect(Math.abs(o.pricePerHourUsd - o.pricePerGpuHourUsd * o.gpuCount)).toBeLessThanOrEqual(
		1e-9 * o.pricePerHourUsd
	);
	expect(Number.isFinite(o.vramGb) && o.vramGb >= 0 && o.vramGb <= 10_000).toBe(true);
	expect(typeof o.available).toBe('boolean');
	expect(o.observedAt).toBe(OBSERVED_AT.toISOString());
	expect(typeof o.region).toBe('string');
	expectCleanText(o.gpuName, MAX_NAME_LENGTH, 'gpuName');
	expectCleanText(o.region, MAX_REGION_LENGTH, 'region');
	expectCleanText(o.offerRef, MAX_REF_LENGTH, 'offerRef');
	for (const k of ['reliability', 'vcpus', 'ramGb', 'diskGb', 'inetDownMbps', 'inetUpMbps'] as const) {
		expectSpec(o[k], k);
	}
	if (o.verified !== undefined && o.verified !== null) expect(typeof o.verified).toBe('boolean');
	if (o.extra) {
		// stored as jsonb: must serialize, every string in it capped
		const text = JSON.stringify(o.extra);
		expect(typeof text).toBe('string');
		for (const v of Object.values(o.extra)) {
			if (typeof v === 'string') expectCleanText(v, MAX_NAME_LENGTH, 'extra');
			else if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
		}
	}
}

function expectResult(r: ParseResult, provider: ProviderId): void {
	expect(Number.isInteger(r.itemsSeen) && r.itemsSeen >= 0).toBe(true);
	expect(Number.isInteger(r.rejectedPrices) && r.rejectedPrices >= 0).toBe(true);
	const unmapped = Object.keys(r.unmapped);
	expect(unmapped.length).toBeLessThanOrEqual(MAX_UNMAPPED_NAMES + 1);
	for (const name of unmapped) expectCleanText(name, MAX_NAME_LENGTH + 20, 'unmapped name');
	for (const reason of Object.keys(r.skippedReasons)) expectCleanText(reason, 200, 'skip reason');
	for (const o of r.offers) expectOfferContract(o, provider);
}

/** Parses; the only error allowed is the adapter's documented PayloadShapeError. */
function parseChecked(provider: ProviderId, payload: unknown): ParseResult | undefined {
	try {
		const r = ADAPTERS[provider].parse(payload, OBSERVED_AT);
		expectResult(r, provider);
		return r;
	} catch (err) {
		if (err instanceof PayloadShapeError) return undefined;
		throw err;
	}
}

/** Strings a hostile or broken provider might send. */
const nastyString = fc.oneof(
	fc.constantFrom(
		'<script>alert(1)</script>',
		'"><img src=x onerror=alert(1)>',
		"'; drop table offers; --",
		'\u0000',
		'a\u0000b',
		'\u0085\u009f',
		'\ud800',
		'\udfff tail',
		'\u202eRTX 4090',
		'',
		' ',
		'NaN',
		'Infinity',
		'-1',
		'0',
		'1e309',
		'0x10',
		' 0.25 ',
		'1,5',
		'null',
		'true',
		'RTX 4090',
		'H100 SXM',
		'NVIDIA GeForce RTX 4090',
		'gpu_8x_h100_sxm5',
		'x'.repeat(10_000)
	),
	fc.string({ unit: 'binary', maxLength: 200 }),
	fc.string({ unit: 'grapheme', maxLength: 50 })
);

const nastyNumber = fc.oneof(
	fc.constantFrom(
		0,
		-0,
		-1,
		1e-300,
		1e300,
		3.5e38,
		Number.MAX_SAFE_INTEGER,
		0.5,
		16,
		65,
		100,
		100.01,
		1e9 + 1
	),
	fc.double({ noNaN: true, noDefaultInfinity: true }),
	fc.integer({ min: -1000, max: 100_000 })
);

/** Any JSON value (what JSON.parse can give), hostile strings and numbers favoured. */
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
	{ depthSize: 'small' },
	nastyString,
	nastyNumber,
	fc.boolean(),
	fc.constant(null),
	fc.jsonValue({ maxDepth: 2 }),
	fc.array(nastyString, { maxLength: 3 }),
	fc.dictionary(nastyString, nastyNumber, { maxKeys: 3 })
);

/** The recorded answers the mutations start from. */
function baseItems(provider: ProviderId): { wrap(items: unknown[]): unknown; items: unknown[] } {
	if (provider === 'vastai') {
		const offers = readFixture<unknown[]>('vast-bundles-offer-real-2024-cli-raw.json');
		return { items: offers, wrap: (items) => ({ offers: items }) };
	}
	if (provider === 'runpod') {
		const p = readFixture<{ data: { gpuTypes: unknown[] } }>('runpod-gputypes-real-2026-08-25.json');
		return { items: p.data.gpuTypes, wrap: (items) => ({ data: { gpuTypes: items } }) };
	}
	const p = readFixture<{ data: Record<string, unknown> }>(
		'lambda-instance-types-live-shape-2026-08-15.json'
	);
	return {
		items: Object.values(p.data),
		wrap: (items) => ({ data: Object.fromEntries(items.map((it, i) => [`type_${i}`, it])) })
	};
}

/** Every key path (objects only, up to depth 3) of a value: where mutations may land. */
function keyPaths(value: unknown, prefix: string[] = [], depth = 0): string[][] {
	if (!value || typeof value !== 'object' || Array.isArray(value) || depth > 2) return [];
	const out: string[][] = [];
	for (const [k, v] of Object.entries(value)) {
		out.push([...prefix, k]);
		out.push(...keyPaths(v, [...prefix, k], depth + 1));
	}
	return out;
}

function setPath(target: unknown, path: string[], value: unknown): void {
	let cur = target as Record<string, unknown>;
	for (const k of path.slice(0, -1)) {
		const next = cur[k];
		if (!next || typeof next !== 'object') return;
		cur = next as Record<string, unknown>;
	}
	cur[path[path.length - 1]!] = value;
}

const PROVIDER_IDS: ProviderId[] = ['vastai', 'runpod', 'lambda'];

describe.each(PROVIDER_IDS)('%s parser under generated input', (provider) => {
	it('never throws anything but PayloadShapeError on any JSON value', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (payload) => {
				parseChecked(provider, payload);
			}),
			{ numRuns: RUNS }
		);
	});

	it('never throws on envelopes holding arbitrary items', () => {
		const { wrap } = baseItems(provider);
		fc.assert(
			fc.property(fc.array(nastyValue, { maxLength: 20 }), (items) => {
				parseChecked(provider, wrap(items));
			}),
			{ numRuns: RUNS }
		);
	});

	it('keeps the offer contract when fields of real answers are replaced by hostile values', () => {
		const { items, wrap } = baseItems(provider);
		const paths = items.map((it) => keyPaths(it));
		const mutation = fc.record({
			item: fc.nat({ max: items.length - 1 }),
			path: fc.nat(),
			value: nastyValue
		});
		fc.assert(
			fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
				const copy = structuredClone(items);
				for (const m of mutations) {
					const ps = paths[m.item]!;
					if (ps.length) setPath(copy[m.item], ps[m.path % ps.length]!, m.value);
				}
				parseChecked(provider, wrap(copy));
			}),
			{ numRuns: RUNS }
		);
	});
});

describe('hostile provider strings', () => {
	/** Names a provider really sends with markup around them. */
	const decorated = fc
		.tuple(
			fc.constantFrom(...Object.keys(VASTAI_GPU_NAMES).slice(0, 30)),
			nastyString,
			fc.constantFrom('prefix', 'suffix', 'replace')
		)
		.map(([name, junk, where]) =>
			where === 'prefix' ? junk + name : where === 'suffix' ? name + junk : junk
		);

	it('vast.ai: markup in names and places is capped, kept out of the catalog mapping, never thrown', () => {
		const [real] = readFixture<Record<string, unknown>[]>('vast-bundles-offer-real-2024-cli-raw.json');
		fc.assert(
			fc.property(
				fc.array(fc.tuple(decorated, nastyString, nastyString), { minLength: 1, maxLength: 10 }),
				(rows) => {
					const offers = rows.map(([gpuName, geo, id], i) => ({
						...real,
						id: i % 2 ? id : i,
						gpu_name: gpuName,
						geolocation: geo,
						machine_id: id
					}));
					const r = parseChecked('vastai', { offers })!;
					// a mapped offer's GPU name is exactly one the catalog knows (markup never maps)
					for (const o of r.offers) expect(Object.keys(VASTAI_GPU_NAMES)).toContain(o.gpuName);
				}
			),
			{ numRuns: RUNS }
		);
	});

	it('RunPod: markup in ids is never mapped to a GPU', () => {
		const p = readFixture<{ data: { gpuTypes: Record<string, unknown>[] } }>(
			'runpod-gputypes-real-2026-08-25.json'
		);
		fc.assert(
			fc.property(fc.array(fc.tuple(nastyString, nastyString), { maxLength: 10 }), (rows) => {
				const types = rows.map(([id, display], i) => ({
					...p.data.gpuTypes[i % 3],
					id,
					displayName: display
				}));
				const r = parseChecked('runpod', { data: { gpuTypes: types } })!;
				for (const o of r.offers) expect(Object.keys(RUNPOD_GPU_IDS)).toContain(o.gpuName);
			}),
			{ numRuns: RUNS }
		);
	});

	it('Lambda: markup in region names stays data, capped', () => {
		fc.assert(
			fc.property(fc.array(nastyString, { minLength: 1, maxLength: 5 }), (regions) => {
				const payload = {
					data: {
						gpu_1x_h100_sxm5: {
							instance_type: { name: 'gpu_1x_h100_sxm5', price_cents_per_hour: 249 },
							regions_with_capacity_available: regions.map((name) => ({ name }))
						}
					}
				};
				const r = parseChecked('lambda', payload)!;
				// one offer per named region (an empty name is no region: then one sold-out offer)
				expect(r.offers.length).toBe(Math.max(1, regions.filter((x) => x.length > 0).length));
				const allowed = new Set(['', ...regions.map((x) => capText(x, MAX_REGION_LENGTH))]);
				for (const o of r.offers) expect(allowed.has(o.region)).toBe(true);
			}),
			{ numRuns: RUNS }
		);
	});

	it('caps the list of unmapped names a hostile answer can grow', () => {
		const [real] = readFixture<Record<string, unknown>[]>('vast-bundles-offer-real-2024-cli-raw.json');
		const offers = Array.from({ length: 500 }, (_, i) => ({ ...real, id: i, gpu_name: `<b>GPU ${i}</b>` }));
		const r = ADAPTERS.vastai.parse({ offers }, OBSERVED_AT);
		expect(Object.keys(r.unmapped).length).toBe(MAX_UNMAPPED_NAMES + 1);
		expect(Object.values(r.unmapped).reduce((a, b) => a + b, 0)).toBe(500);
	});
});

describe('capText', () => {
	const text = fc.oneof(
		nastyString,
		fc.string({ unit: 'binary', maxLength: 120 }),
		fc.string({ maxLength: 120 })
	);
	it('returns clean, trimmed text within the cap; clean short text comes back as it was, trimmed', () => {
		fc.assert(
			fc.property(text, fc.integer({ min: 2, max: 100 }), (s, max) => {
				const out = capText(s, max);
				expectCleanText(out, max, 'capText');
				expect(out).toBe(out.trim());
				if (s.length <= max && !CONTROL.test(s) && !LONE_SURROGATE.test(s)) expect(out).toBe(s.trim());
			}),
			{ numRuns: RUNS * 3 }
		);
	});

	it('pins the cases the fast path must leave to the slow one', () => {
		expect(capText(' RTX 4090 ', 80)).toBe('RTX 4090');
		expect(capText('\u00a0A100\u3000', 80)).toBe('A100');
		expect(capText('\ufeffH100', 80)).toBe('H100');
		expect(capText('H100\u2028', 80)).toBe('H100');
		expect(capText('a\u0000b', 80)).toBe('a b');
		expect(capText('x\ud800', 80)).toBe('x\ufffd');
		expect(capText('😀😀', 80)).toBe('😀😀');
		expect(capText('abcdef', 4)).toBe('abc…');
		expect(capText('', 80)).toBe('');
	});
});

describe('vast.ai: offers read without zod (plainOffer)', () => {
	const real = readFixture<Record<string, unknown>[]>('vast-bundles-offer-real-2024-cli-raw.json');
	const fields = Object.keys(vastaiOfferSchema.shape);

	it('lets the real recorded offers through', () => {
		expect(real.length).toBeGreaterThan(0);
		for (const item of real) expect(plainOffer(item)).toBe(true);
	});

	it('sends an item to zod when any field the schema reads is of another type', () => {
		// A field added to the schema but not to plainOffer fails here: an array is no field's plain type.
		for (const field of fields) {
			const item = { ...real[0]!, [field]: [1] };
			expect(plainOffer(item), field).toBe(false);
		}
	});

	it('lets through only items zod accepts unchanged (ids aside, which zod turns into text)', () => {
		const plainValue = fc.oneof(
			nastyValue,
			fc.double({ noNaN: true, noDefaultInfinity: true }),
			fc.boolean(),
			fc.constant(null),
			fc.constant(undefined),
			fc.record({ totalHour: nastyNumber, diskHour: fc.oneof(nastyNumber, nastyString) })
		);
		const mutation = fc.record({ field: fc.constantFrom(...fields), value: plainValue });
		fc.assert(
			fc.property(
				fc.nat({ max: real.length - 1 }),
				fc.array(mutation, { maxLength: 4 }),
				(index, mutations) => {
					const item: Record<string, unknown> = { ...real[index]! };
					for (const m of mutations) item[m.field] = m.value;
					if (!plainOffer(item)) return;
					const parsed = vastaiOfferSchema.safeParse(item);
					expect(parsed.success).toBe(true);
					const data = parsed.data as Record<string, unknown>;
					for (const field of fields) {
						const raw = item[field];
						if (field === 'id' || field === 'machine_id')
							expect(data[field], field).toEqual(typeof raw === 'number' ? String(raw) : raw);
						else if (field === 'search' && raw != null) {
							const s = raw as Record<string, unknown>;
							expect(data.search).toEqual({ totalHour: s.totalHour, diskHour: s.diskHour });
						} else expect(data[field], field).toEqual(raw);
					}
				}
			),
			{ numRuns: RUNS }
		);
	});
});
