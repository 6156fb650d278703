/**
 * The one place that reads the environment. Every variable is validated with zod; a bad value stops
 * the start with a message naming the variable. Plain module (no SvelteKit imports) so the CLI scripts,
 * the poller and the server share it.
 */
import { z } from 'zod';
import { DEFAULT_CATALOG_URLS } from '#adapters/lambda-catalog.ts';
import { PROVIDERS as PROVIDER_IDS, type ProviderId } from '#adapters/types.ts';
import { DEFAULT_TRUST, type TrustSettings } from '../trust.ts';

export { PROVIDER_IDS, type ProviderId };

const bool = (dflt: boolean) =>
	z
		.string()
		.trim()
		.toLowerCase()
		.optional()
		.transform((v, ctx) => {
			if (v === undefined || v === '') return dflt;
			if (['1', 'true', 'yes', 'on'].includes(v)) return true;
			if (['0', 'false', 'no', 'off'].includes(v)) return false;
			ctx.addIssue({ code: 'custom', message: `expected 1/0, true/false, yes/no or on/off, got "${v}"` });
			return z.NEVER;
		});

const int = (dflt: number, min: number, max: number) =>
	z
		.string()
		.trim()
		.optional()
		.transform((v, ctx) => {
			if (v === undefined || v === '') return dflt;
			if (!/^\d+$/.test(v)) {
				ctx.addIssue({ code: 'custom', message: `expected a whole number, got "${v}"` });
				return z.NEVER;
			}
			const n = Number(v);
			if (n < min || n > max) {
				ctx.addIssue({ code: 'custom', message: `expected a number from ${min} to ${max}, got ${n}` });
				return z.NEVER;
			}
			return n;
		});

const httpUrl = (dflt: string) =>
	z
		.string()
		.trim()
		.optional()
		.transform((v, ctx) => {
			const value = v === undefined || v === '' ? dflt : v;
			let url: URL;
			try {
				url = new URL(value);
			} catch {
				ctx.addIssue({ code: 'custom', message: `expected an http(s) URL, got "${value}"` });
				return z.NEVER;
			}
			if (url.protocol !== 'http:' && url.protocol !== 'https:') {
				ctx.addIssue({ code: 'custom', message: `expected an http(s) URL, got "${value}"` });
				return z.NEVER;
			}
			// Base URLs: the adapters append their documented paths.
			return value.replace(/\/+$/, '');
		});

/** A decimal number in [min, max] (the trust thresholds). */
const decimal = (dflt: number, min: number, max: number) =>
	z
		.string()
		.trim()
		.optional()
		.transform((v, ctx) => {
			if (v === undefined || v === '') return dflt;
			if (!/^\d+(\.\d+)?$/.test(v)) {
				ctx.addIssue({ code: 'custom', message: `expected a number such as ${dflt}, got "${v}"` });
				return z.NEVER;
			}
			const n = Number(v);
			if (n < min || n > max) {
				ctx.addIssue({ code: 'custom', message: `expected a number from ${min} to ${max}, got ${n}` });
				return z.NEVER;
			}
			return n;
		});

const secret = z
	.string()
	.optional()
	.transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const envSchema = z.object({
	PORT: int(3000, 1, 65535),
	HOST: z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? v : '0.0.0.0')),
	DATABASE_URL: z
		.string()
		.trim()
		.optional()
		.transform((v, ctx) => {
			if (v === undefined || v === '') return undefined;
			if (!/^postgres(ql)?:\/\//.test(v)) {
				ctx.addIssue({
					code: 'custom',
					message: 'expected a postgres:// or postgresql:// connection string (unset it to use PGlite)'
				});
				return z.NEVER;
			}
			return v;
		}),
	DATABASE_POOL_MAX: int(10, 1, 200),
	DATA_DIR: z
		.string()
		.optional()
		.transform((v) => (v && v.trim() ? v.trim() : './data')),
	POLL_INTERVAL_MINUTES: int(10, 0, 1440),
	PROVIDER_TIMEOUT_MS: int(30_000, 100, 600_000),
	REQUEST_TIMEOUT_MS: int(15_000, 100, 600_000),
	PROVIDERS: z
		.string()
		.optional()
		.transform((v, ctx) => {
			if (v === undefined || v.trim() === '') return [...PROVIDER_IDS];
			const list = v
				.split(',')
				.map((s) => s.trim().toLowerCase())
				.filter(Boolean);
			const unknown = list.filter((p) => !(PROVIDER_IDS as readonly string[]).includes(p));
			if (unknown.length) {
				ctx.addIssue({
					code: 'custom',
					message: `unknown provider(s) ${unknown.join(', ')}; known: ${PROVIDER_IDS.join(', ')}`
				});
				return z.NEVER;
			}
			return [...new Set(list)] as ProviderId[];
		}),
	VASTAI_API_URL: httpUrl('https://console.vast.ai'),
	RUNPOD_API_URL: httpUrl('https://api.runpod.io'),
	LAMBDA_API_URL: httpUrl('https://cloud.lambda.ai'),
	LAMBDA_API_KEY: secret,
	// Unset: SkyPilot's newest catalog version, then the one before it should that answer 404.
	LAMBDA_CATALOG_URL: httpUrl(DEFAULT_CATALOG_URLS[0]!),
	RUNPOD_API_KEY: secret,
	ARCHIVE_IMPORT: bool(true),
	ALERT_ALLOW_PRIVATE: bool(false),
	// The trust policy's thresholds (src/lib/trust.ts, README "Which offers count").
	TRUST_MIN_PRICE_USD: decimal(DEFAULT_TRUST.minPriceUsd, 0, 100),
	TRUST_OUTLIER_RATIO: decimal(DEFAULT_TRUST.outlierRatio, 0, 1),
	TRUST_MEDIAN_OFFERS: int(DEFAULT_TRUST.outlierMinOffers, 1, 1_000_000),
	TRUST_MIN_RELIABILITY: decimal(DEFAULT_TRUST.minReliability, 0, 1),
	TRUST_UNVERIFIED: z
		.string()
		.trim()
		.toLowerCase()
		.optional()
		.transform((v, ctx) => {
			if (v === undefined || v === '') return DEFAULT_TRUST.unverified;
			if (v === 'info' || v === 'untrusted') return v;
			ctx.addIssue({ code: 'custom', message: `expected info or untrusted, got "${v}"` });
			return z.NEVER;
		}),
	ALERT_CREATE_LIMIT_PER_HOUR: int(20, 1, 100_000),
	ADMIN_TOKEN: z
		.string()
		.optional()
		.transform((v, ctx) => {
			if (v === undefined || v.trim() === '') return undefined;
			// A short admin token could be guessed by trying: the manage tokens it outranks are 43 characters.
			if (v.trim().length < 16) {
				ctx.addIssue({
					code: 'custom',
					message: 'must be at least 16 characters (use a long random string)'
				});
				return z.NEVER;
			}
			return v.trim();
		}),
	HF_ENDPOINT: httpUrl('https://huggingface.co'),
	HF_TOKEN: secret
});

export type Config = {
	port: number;
	host: string;
	databaseUrl: string | undefined;
	databasePoolMax: number;
	dataDir: string;
	pollIntervalMinutes: number;
	providerTimeoutMs: number;
	/** time budget of one HTTP request to the dashboard (REQUEST_TIMEOUT_MS) */
	requestTimeoutMs: number;
	providers: ProviderId[];
	apiUrls: Record<ProviderId, string>;
	lambdaApiKey: string | undefined;
	/** Lambda's keyless source, tried in order on 404 (LAMBDA_CATALOG_URL: exactly that one, a pin) */
	lambdaCatalogUrls: string[];
	runpodApiKey: string | undefined;
	archiveImport: boolean;
	alertAllowPrivate: boolean;
	/** which offers a price may come from (TRUST_*) */
	trust: TrustSettings;
	/** watches one client address may create per hour (ALERT_CREATE_LIMIT_PER_HOUR) */
	alertCreateLimitPerHour: number;
	/** manages every watch with `Authorization: Bearer <ADMIN_TOKEN>`; unset: nobody can */
	adminToken: string | undefined;
	/** Hugging Face Hub base URL: config.json of models outside the list (HF_ENDPOINT) */
	hfEndpoint: string;
	/** sent as a Bearer token to the Hub (gated models); never shown */
	hfToken: string | undefined;
};

export class ConfigError extends Error {
	readonly variables: string[];
	constructor(problems: { variable: string; message: string }[]) {
		super('Invalid configuration:\n' + problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'));
		this.name = 'ConfigError';
		this.variables = problems.map((p) => p.variable);
	}
}

/** Reads and validates the environment. Throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	const parsed = envSchema.safeParse(env);
	if (!parsed.success) {
		throw new ConfigError(
			parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message }))
		);
	}
	const e = parsed.data;
	return {
		port: e.PORT,
		host: e.HOST,
		databaseUrl: e.DATABASE_URL,
		databasePoolMax: e.DATABASE_POOL_MAX,
		dataDir: e.DATA_DIR,
		pollIntervalMinutes: e.POLL_INTERVAL_MINUTES,
		providerTimeoutMs: e.PROVIDER_TIMEOUT_MS,
		requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
		providers: e.PROVIDERS,
		apiUrls: { vastai: e.VASTAI_API_URL, runpod: e.RUNPOD_API_URL, lambda: e.LAMBDA_API_URL },
		lambdaApiKey: e.LAMBDA_API_KEY,
		lambdaCatalogUrls: env.LAMBDA_CATALOG_URL?.trim() ? [e.LAMBDA_CATALOG_URL] : [...DEFAULT_CATALOG_URLS],
		runpodApiKey: e.RUNPOD_API_KEY,
		archiveImport: e.ARCHIVE_IMPORT,
		alertAllowPrivate: e.ALERT_ALLOW_PRIVATE,
		trust: {
			minPriceUsd: e.TRUST_MIN_PRICE_USD,
			outlierRatio: e.TRUST_OUTLIER_RATIO,
			outlierMinOffers: e.TRUST_MEDIAN_OFFERS,
			minReliability: e.TRUST_MIN_RELIABILITY,
			unverified: e.TRUST_UNVERIFIED
		},
		alertCreateLimitPerHour: e.ALERT_CREATE_LIMIT_PER_HOUR,
		adminToken: e.ADMIN_TOKEN,
		hfEndpoint: e.HF_ENDPOINT,
		hfToken: e.HF_TOKEN
	};
}

/** The variables, their defaults and meaning: the README's table is checked against this list. */
export const ENV_DOCS: { name: keyof z.input<typeof envSchema>; default: string; meaning: string }[] = [
	{ name: 'PORT', default: '3000', meaning: 'HTTP port of the dashboard' },
	{ name: 'HOST', default: '0.0.0.0', meaning: 'interface to listen on' },
	{
		name: 'DATABASE_URL',
		default: '(unset)',
		meaning: 'postgres:// connection string; unset uses embedded PGlite in DATA_DIR'
	},
	{ name: 'DATABASE_POOL_MAX', default: '10', meaning: 'max connections per app instance (Postgres only)' },
	{ name: 'DATA_DIR', default: './data', meaning: 'PGlite data directory (locked to one process)' },
	{ name: 'POLL_INTERVAL_MINUTES', default: '10', meaning: 'in-process polling interval; 0 disables' },
	{ name: 'PROVIDER_TIMEOUT_MS', default: '30000', meaning: 'timeout of each provider request' },
	{
		name: 'REQUEST_TIMEOUT_MS',
		default: '15000',
		meaning: 'time budget of one request to the dashboard; past it the answer is a 503'
	},
	{ name: 'PROVIDERS', default: 'vastai,runpod,lambda', meaning: 'comma list of enabled providers' },
	{ name: 'VASTAI_API_URL', default: 'https://console.vast.ai', meaning: 'vast.ai API base URL' },
	{ name: 'RUNPOD_API_URL', default: 'https://api.runpod.io', meaning: 'RunPod API base URL' },
	{ name: 'LAMBDA_API_URL', default: 'https://cloud.lambda.ai', meaning: 'Lambda API base URL' },
	{
		name: 'LAMBDA_API_KEY',
		default: '(unset)',
		meaning: "Lambda API key; without it Lambda's list prices come from SkyPilot's catalog"
	},
	{
		name: 'LAMBDA_CATALOG_URL',
		default: 'SkyPilot catalog v9, then v8',
		meaning: "URL of SkyPilot's Lambda vms.csv, polled without LAMBDA_API_KEY; set it to pin one version"
	},
	{ name: 'RUNPOD_API_KEY', default: '(unset)', meaning: 'optional RunPod API key' },
	{
		name: 'ARCHIVE_IMPORT',
		default: '1',
		meaning: 'import the bundled archive on the first start of an empty database'
	},
	{
		name: 'ALERT_ALLOW_PRIVATE',
		default: '0',
		meaning: 'allow alert webhooks to loopback/private addresses'
	},
	{
		name: 'TRUST_MIN_PRICE_USD',
		default: '0.01',
		meaning: 'offers under this price per GPU-hour are flagged implausible-price (untrusted)'
	},
	{
		name: 'TRUST_OUTLIER_RATIO',
		default: '0.25',
		meaning: 'offers under this fraction of the market median (GPU × pricing) are flagged price-outlier'
	},
	{
		name: 'TRUST_MEDIAN_OFFERS',
		default: '3',
		meaning: 'offers a market median needs before price-outlier applies'
	},
	{
		name: 'TRUST_MIN_RELIABILITY',
		default: '0.90',
		meaning: 'vast.ai hosts under this reliability (0..1) are flagged low-reliability'
	},
	{
		name: 'TRUST_UNVERIFIED',
		default: 'info',
		meaning: 'unverified vast.ai hosts: info (flag only) or untrusted'
	},
	{
		name: 'ALERT_CREATE_LIMIT_PER_HOUR',
		default: '20',
		meaning: 'alert watches one client address may create per hour (then 429)'
	},
	{
		name: 'ADMIN_TOKEN',
		default: '(unset)',
		meaning: 'bearer token that can show, edit, pause and delete every alert watch'
	},
	{
		name: 'HF_ENDPOINT',
		default: 'https://huggingface.co',
		meaning: 'Hugging Face Hub: config.json of models outside the estimator’s list'
	},
	{ name: 'HF_TOKEN', default: '(unset)', meaning: 'Hub token sent as Bearer, for gated models' }
];
