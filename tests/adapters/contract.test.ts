/**
 * The shared contract: every adapter runs over every recorded payload in tests/fixtures/providers.
 * Over its own provider's answers it must produce offers that satisfy the normalized-offer contract;
 * over another provider's answer it must refuse (PayloadShapeError) or produce nothing — never offers.
 * `parse` must be pure: same input → same output, input untouched.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gpuBySlug } from '#catalog/gpus.ts';
import { PayloadShapeError } from '#adapters/errors.ts';
import { ADAPTERS } from '#adapters/index.ts';
import { lambdaCatalog } from '#adapters/lambda-catalog.ts';
import { MAX_PRICE_PER_GPU_HOUR_USD } from '#adapters/normalize.ts';
import type { NormalizedOffer, OfferSource, ProviderId } from '#adapters/types.ts';
import { FIXTURES_DIR, readFixture } from '../helpers/fake-providers.ts';

interface RecordedAnswer {
	provider: ProviderId;
	/** which of the provider's sources reads it (default `api`) */
	source?: OfferSource;
	/** the part of the file that is the API's answer */
	select?: (json: unknown) => unknown;
	/** offers the adapter must find */
	minOffers: number;
	/** provider names the catalog must not know (synthetic examples) */
	unmapped: string[];
}

/** Every provider answer among the fixtures. */
const ANSWERS: Record<string, RecordedAnswer> = {
	'vast-bundles-offer-real-2024-cli-raw.json': { provider: 'vastai', minOffers: 2, unmapped: [] },
	'vast-bundles-openapi-example.json': {
		provider: 'vastai',
		select: (j) => (j as { response_example: unknown }).response_example,
		minOffers: 0,
		// The docs example's GPU is made up.
		unmapped: ['Imaginary RTX 9999']
	},
	'runpod-gputypes-real-2026-08-25.json': { provider: 'runpod', minOffers: 16, unmapped: [] },
	'runpod-v2-catalog-gpus-real.json': { provider: 'runpod', minOffers: 60, unmapped: [] },
	'lambda-instance-types-live-shape-2026-08-15.json': { provider: 'lambda', minOffers: 4, unmapped: [] },
	'lambda-instance-types-openapi-example.json': {
		provider: 'lambda',
		minOffers: 0,
		unmapped: ['gpu_8x_example']
	},
	// 22 GPU instance types × 17 regions; the 2 CPU-only types are skipped.
	'lambda-skypilot-catalog-v8-vms.csv': {
		provider: 'lambda',
		source: 'skypilot-catalog',
		minOffers: 374,
		unmapped: []
	}
};

/** The other fixtures, and why no adapter reads them. */
const NOT_ANSWERS: Record<string, string> = {
	'vast-gpu-names.json': 'name list: checked by catalog-names.test.ts',
	'runpod-gpu-type-ids.json': 'id list: checked by catalog-names.test.ts',
	'normalization-gpuhunt-skypilot.json': 'facts from other projects, not an API answer',
	'runpod-graphql-request-bodies.json': 'request bodies, not answers',
	'history-skypilot-catalog-vast-v7-excerpt.csv': 'archive material (history import)',
	'history-vastai-scraper-asks-2026-01-21.csv': 'archive material (history import)'
};

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object') {
		for (const v of Object.values(value)) deepFreeze(v);
		Object.freeze(value);
	}
	return value;
}

function load(file: string): unknown {
	// A CSV answer is the file's text, exactly as the HTTP client hands it over.
	if (file.endsWith('.csv')) return readFileSync(join(FIXTURES_DIR, file), 'utf8');
	const json = readFixture(file);
	const select = ANSWERS[file]?.select;
	return select ? select(json) : json;
}

function checkOffer(o: NormalizedOffer, provider: ProviderId, observedAt: string, source: OfferSource) {
	expect(o.provider).toBe(provider);
	const spec = gpuBySlug(o.gpu);
	expect(spec, `slug ${o.gpu}`).toBeDefined();
	expect(o.vramGb).toBe(spec!.vramGb);
	expect(o.gpuName.length).toBeGreaterThan(0);
	expect(o.gpuName.length).toBeLessThanOrEqual(80);
	expect(Number.isInteger(o.gpuCount) && o.gpuCount >= 1).toBe(true);
	expect(['on_demand', 'spot']).toContain(o.pricing);
	expect([null, 'secure', 'community']).toContain(o.cloud);
	expect(typeof o.region).toBe('string');
	expect(o.region.length).toBeLessThanOrEqual(64);
	expect(o.pricePerGpuHourUsd).toBeGreaterThan(0);
	expect(o.pricePerGpuHourUsd).toBeLessThanOrEqual(MAX_PRICE_PER_GPU_HOUR_USD);
	expect(o.pricePerHourUsd).toBeCloseTo(o.pricePerGpuHourUsd * o.gpuCount, 9);
	// SkyPilot's catalog lists prices, not stock: unknown (null), never a guess either way.
	if (source === 'skypilot-catalog') expect(o.available).toBeNull();
	else expect(typeof o.available).toBe('boolean');
	expect(o.source ?? 'api').toBe(source);
	expect(o.observedAt).toBe(observedAt);
	expect(structuredClone(o)).toEqual(o);
}

describe('recorded payloads', () => {
	it('every fixture is either a provider answer or listed with the reason it is not, each with its source', () => {
		const files = readdirSync(FIXTURES_DIR).filter((f) => !f.endsWith('.source.txt'));
		for (const f of files) {
			expect(f in ANSWERS || f in NOT_ANSWERS, `unclassified fixture ${f}`).toBe(true);
			expect(existsSync(join(FIXTURES_DIR, f.replace(/\.(json|csv)$/, '.source.txt'))), `${f} source`).toBe(
				true
			);
		}
		for (const f of [...Object.keys(ANSWERS), ...Object.keys(NOT_ANSWERS)]) expect(files).toContain(f);
	});
});

const sourceOf = (x: { source?: OfferSource }): OfferSource => x.source ?? 'api';

describe.each([...Object.values(ADAPTERS), lambdaCatalog])('adapter $id ($source)', (adapter) => {
	const observedAt = new Date('2026-08-25T12:00:00.000Z');
	const mine = (a: RecordedAnswer) => a.provider === adapter.id && sourceOf(a) === sourceOf(adapter);
	const own = Object.entries(ANSWERS).filter(([, a]) => mine(a));
	const others = Object.entries(ANSWERS).filter(([, a]) => !mine(a));

	it('has recorded answers to run over', () => {
		expect(own.length).toBeGreaterThan(0);
	});

	it.each(own)('turns %s into contract-abiding offers, purely', (file, expected) => {
		const payload = deepFreeze(load(file));
		const result = adapter.parse(payload, observedAt);
		expect(result.offers.length).toBeGreaterThanOrEqual(expected.minOffers);
		for (const o of result.offers) checkOffer(o, adapter.id, observedAt.toISOString(), sourceOf(adapter));
		expect(Object.keys(result.unmapped).sort()).toEqual([...expected.unmapped].sort());
		expect(result.itemsSeen).toBeGreaterThan(0);
		// Pure: a second run over the same (frozen, so untouched) input gives the same answer.
		expect(adapter.parse(payload, observedAt)).toEqual(result);
		// On-demand and spot are separate offers, never one blended number.
		const keys = result.offers.map((o) => `${o.offerRef}|${o.region}|${o.cloud}|${o.pricing}`);
		expect(new Set(keys).size).toBe(keys.length);
	});

	it.each(others)('never makes offers out of another provider’s answer (%s)', (file) => {
		const payload = deepFreeze(load(file));
		let offers: NormalizedOffer[] = [];
		try {
			offers = adapter.parse(payload, observedAt).offers;
		} catch (err) {
			expect(err).toBeInstanceOf(PayloadShapeError);
		}
		expect(offers).toEqual([]);
	});

	it('refuses answers of an unknown shape with PayloadShapeError', () => {
		for (const bad of [null, 'text', 42, {}, { something: [] }]) {
			expect(() => adapter.parse(bad, observedAt)).toThrow(PayloadShapeError);
		}
	});
});
