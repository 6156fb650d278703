/**
 * The database schema, shared by both engines (PGlite and a Postgres server).
 *
 * Sizing (see README "Performance"): a poll every 10 minutes is ~52,560 polls a year and vast.ai alone
 * answers with thousands of offers per poll. So:
 *  - raw offers are kept only for the current snapshot of each provider (replaced atomically per poll);
 *  - per-poll aggregates by the full key are kept for a short detail window;
 *  - history is kept as series-level points (per GPU × provider × pricing × cloud) at poll, hour and day
 *    resolution, so any chart range reads at most a few hundred rows per series.
 * The two time-series tables are range-partitioned: `price_aggregates` by day (kept a few days, dropped
 * whole), `price_history` by month; the partitioning clause is added by hand to the generated migration
 * (drizzle-kit cannot express it) and the partitions are created by the app (see partitions.ts).
 */
import { sql } from 'drizzle-orm';
import {
	bigint,
	bigserial,
	boolean,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	real,
	smallint,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One row per provider per poll cycle: what was attempted and how it ended. */
export const pollRuns = pgTable(
	'poll_runs',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		cycleId: text('cycle_id').notNull(),
		provider: text('provider').notNull(),
		startedAt: tstz('started_at').notNull(),
		finishedAt: tstz('finished_at'),
		/** running | ok | failed | disabled */
		status: text('status').notNull(),
		error: text('error'),
		offersSeen: integer('offers_seen').notNull().default(0),
		offersStored: integer('offers_stored').notNull().default(0),
		skipped: integer('skipped').notNull().default(0),
		/** reason → count */
		skippedReasons: jsonb('skipped_reasons').$type<Record<string, number>>().notNull().default({}),
		/** provider GPU name → count, for names the catalog does not know */
		unmapped: jsonb('unmapped').$type<Record<string, number>>().notNull().default({}),
		rejectedPrices: integer('rejected_prices').notNull().default(0),
		durationMs: integer('duration_ms'),
		snapshotId: bigint('snapshot_id', { mode: 'number' })
	},
	(t) => [index('poll_runs_provider_started_idx').on(t.provider, t.startedAt)]
);

/** One row per successful provider poll. The newest per provider is that provider's current snapshot. */
export const snapshots = pgTable(
	'snapshots',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		provider: text('provider').notNull(),
		pollRunId: bigint('poll_run_id', { mode: 'number' }),
		observedAt: tstz('observed_at').notNull(),
		offerCount: integer('offer_count').notNull(),
		availableCount: integer('available_count').notNull(),
		/** trust flag → how many of this snapshot's offers it caught (src/lib/trust.ts) */
		flagCounts: jsonb('flag_counts').$type<Record<string, number>>().notNull().default({}),
		untrustedCount: integer('untrusted_count').notNull().default(0),
		/** api | skypilot-catalog (Lambda without a key: list prices, stock unknown) */
		source: text('source').notNull().default('api')
	},
	(t) => [
		index('snapshots_provider_observed_idx').on(t.provider, t.observedAt),
		// "the current snapshot of each provider" = its highest id (ids follow commit order per provider)
		index('snapshots_provider_id_idx').on(t.provider, t.id)
	]
);

/** Normalized offers of the current snapshot of each provider (older snapshots' offers are deleted). */
export const offers = pgTable(
	'offers',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		snapshotId: bigint('snapshot_id', { mode: 'number' }).notNull(),
		provider: text('provider').notNull(),
		gpu: text('gpu').notNull(),
		gpuName: text('gpu_name').notNull(),
		gpuCount: smallint('gpu_count').notNull(),
		vramGb: real('vram_gb').notNull(),
		/** on_demand | spot */
		pricing: text('pricing').notNull(),
		/** secure | community | null */
		cloud: text('cloud'),
		region: text('region').notNull(),
		pricePerHourUsd: doublePrecision('price_per_hour_usd').notNull(),
		pricePerGpuHourUsd: doublePrecision('price_per_gpu_hour_usd').notNull(),
		/** null: stock unknown (a list price from SkyPilot's catalog), never shown as yes or sold out */
		available: boolean('available'),
		observedAt: tstz('observed_at').notNull(),
		/** the provider's own id of the offer or instance type (ephemeral for vast.ai) */
		offerRef: text('offer_ref'),
		reliability: real('reliability'),
		verified: boolean('verified'),
		vcpus: real('vcpus'),
		ramGb: real('ram_gb'),
		diskGb: real('disk_gb'),
		inetDownMbps: real('inet_down_mbps'),
		inetUpMbps: real('inet_up_mbps'),
		extra: jsonb('extra').$type<Record<string, unknown>>(),
		/** trust flags fired when the snapshot was stored (src/lib/trust.ts), e.g. {price-outlier} */
		flags: text('flags')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		/** false when a non-informational flag fired: no price is ever taken from this offer */
		trusted: boolean('trusted').notNull().default(true),
		/** per flag: the rule, the value, the threshold (and the market median) — the API's flagDetails */
		flagDetails: jsonb('flag_details').$type<import('../../trust.ts').FlagDetail[]>(),
		/** api | skypilot-catalog */
		source: text('source').notNull().default('api')
	},
	(t) => [
		index('offers_snapshot_idx').on(t.snapshotId),
		index('offers_gpu_price_idx').on(t.gpu, t.pricePerGpuHourUsd)
	]
);

/**
 * Per-poll aggregates by the full key (provider, gpu, gpuCount, pricing, cloud, region), of the TRUSTED
 * offers only (src/lib/server/poll/snapshots.ts; so are the poll points of price_history): every "cheapest" read from them is.
 * Range-partitioned by day on observed_at (partitions.ts); kept for the detail window only.
 */
export const priceAggregates = pgTable(
	'price_aggregates',
	{
		snapshotId: bigint('snapshot_id', { mode: 'number' }).notNull(),
		observedAt: tstz('observed_at').notNull(),
		provider: text('provider').notNull(),
		gpu: text('gpu').notNull(),
		gpuCount: smallint('gpu_count').notNull(),
		pricing: text('pricing').notNull(),
		/** '' when the provider has no secure/community split */
		cloud: text('cloud').notNull(),
		region: text('region').notNull(),
		minUsd: doublePrecision('min_usd').notNull(),
		medianUsd: doublePrecision('median_usd').notNull(),
		maxUsd: doublePrecision('max_usd').notNull(),
		n: integer('n').notNull(),
		availableN: integer('available_n').notNull(),
		/** cheapest available offer of the group, null when none is available (the compare page reads it) */
		minAvailableUsd: doublePrecision('min_available_usd')
	},
	// Read by snapshot (the current snapshots' rows: the compare page); expired days are dropped whole.
	(t) => [index('price_aggregates_snapshot_idx').on(t.snapshotId)]
);

/**
 * Series-level price history per GPU × provider × pricing × cloud × source, at four resolutions:
 * `poll` (one point per poll, short retention), `hour`, `6h` and `day` (rollups, kept). Archived observations
 * are stored as `day` points with source `archive`. Prices are USD per GPU-hour.
 * Range-partitioned by month on t.
 */
export const priceHistory = pgTable(
	'price_history',
	{
		gpu: text('gpu').notNull(),
		/** poll | hour | 6h | day */
		resolution: text('resolution').notNull(),
		provider: text('provider').notNull(),
		pricing: text('pricing').notNull(),
		/** '' when the provider has no secure/community split */
		cloud: text('cloud').notNull(),
		/** live | archive */
		source: text('source').notNull(),
		t: tstz('t').notNull(),
		minUsd: doublePrecision('min_usd').notNull(),
		medianUsd: doublePrecision('median_usd').notNull(),
		maxUsd: doublePrecision('max_usd').notNull(),
		n: integer('n').notNull(),
		availableN: integer('available_n')
	},
	(t) => [
		// Series first, time last: a GPU's points at one resolution come out of the index already in
		// series-then-time order, which is the order the history query returns them in.
		primaryKey({
			name: 'price_history_pk',
			columns: [t.gpu, t.resolution, t.source, t.provider, t.pricing, t.cloud, t.t]
		}),
		// The rollups and the trends read one resolution over a time window, across GPUs.
		index('price_history_resolution_t_idx').on(t.resolution, t.t)
	]
);

/** One row per imported archive file (by content hash) so a second import of the same file adds nothing. */
export const archiveImports = pgTable(
	'archive_imports',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		fileName: text('file_name').notNull(),
		sha256: text('sha256').notNull(),
		/** tracker-csv | skypilot-vms */
		format: text('format').notNull(),
		importedAt: tstz('imported_at')
			.notNull()
			.default(sql`now()`),
		rowsTotal: integer('rows_total').notNull(),
		rowsImported: integer('rows_imported').notNull(),
		rowsDuplicate: integer('rows_duplicate').notNull().default(0),
		rowsUnmapped: integer('rows_unmapped').notNull(),
		unmapped: jsonb('unmapped').$type<Record<string, number>>().notNull().default({}),
		attribution: text('attribution')
	},
	(t) => [uniqueIndex('archive_imports_sha_idx').on(t.sha256)]
);

/** Archived observations as they were published (daily min/median/max per GPU-hour), one row per key. */
export const archiveObservations = pgTable(
	'archive_observations',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		importId: bigint('import_id', { mode: 'number' }).notNull(),
		/** start of the observation period (the day, 00:00 UTC, for daily aggregates) */
		t: tstz('t').notNull(),
		provider: text('provider').notNull(),
		gpu: text('gpu').notNull(),
		sourceGpuName: text('source_gpu_name').notNull(),
		gpuCount: smallint('gpu_count').notNull(),
		region: text('region').notNull(),
		pricing: text('pricing').notNull(),
		cloud: text('cloud').notNull(),
		minUsd: doublePrecision('min_usd').notNull(),
		medianUsd: doublePrecision('median_usd').notNull(),
		maxUsd: doublePrecision('max_usd').notNull(),
		n: integer('n').notNull(),
		sourceUrl: text('source_url'),
		fetchedAt: tstz('fetched_at')
	},
	(t) => [
		uniqueIndex('archive_observations_key_idx').on(
			t.provider,
			t.gpu,
			t.gpuCount,
			t.region,
			t.pricing,
			t.t,
			t.sourceGpuName
		),
		index('archive_observations_gpu_time_idx').on(t.gpu, t.t)
	]
);

/** Price alert watches. */
export const alertWatches = pgTable('alert_watches', {
	id: bigserial('id', { mode: 'number' }).primaryKey(),
	gpu: text('gpu').notNull(),
	pricing: text('pricing').notNull(),
	provider: text('provider'),
	region: text('region'),
	minGpuCount: smallint('min_gpu_count').notNull().default(1),
	thresholdUsd: doublePrecision('threshold_usd').notNull(),
	webhookUrl: text('webhook_url'),
	label: text('label'),
	createdAt: tstz('created_at')
		.notNull()
		.default(sql`now()`),
	/** true while the price is above the threshold (the next crossing below fires) */
	armed: boolean('armed').notNull().default(true),
	lastPriceUsd: doublePrecision('last_price_usd'),
	lastEvaluatedAt: tstz('last_evaluated_at'),
	/**
	 * SHA-256 (hex) of the watch's manage token: the token itself is shown once, to its creator. Null for
	 * watches made before tokens existed (only ADMIN_TOKEN manages those).
	 */
	manageTokenHash: text('manage_token_hash').unique('alert_watches_manage_token_hash_key'),
	/** a paused watch is not evaluated (no firing, no webhook) until resumed */
	paused: boolean('paused').notNull().default(false)
});

/**
 * One row per watch created, by client address, for the per-client creation limit
 * (ALERT_CREATE_LIMIT_PER_HOUR). In the database, not in memory, so the limit holds across instances;
 * rows older than an hour are deleted as new ones arrive. Deleting a watch does not delete its row.
 */
export const alertCreations = pgTable(
	'alert_creations',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		clientAddress: text('client_address').notNull(),
		createdAt: tstz('created_at')
			.notNull()
			.default(sql`now()`)
	},
	(t) => [index('alert_creations_client_time_idx').on(t.clientAddress, t.createdAt)]
);

/** A watch firing: recorded, shown on /alerts, in the Atom feed, and delivered to the webhook. */
export const alertFirings = pgTable(
	'alert_firings',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		watchId: bigint('watch_id', { mode: 'number' })
			.notNull()
			.references(() => alertWatches.id, { onDelete: 'cascade' }),
		firedAt: tstz('fired_at').notNull(),
		pricePerGpuHourUsd: doublePrecision('price_per_gpu_hour_usd').notNull(),
		provider: text('provider').notNull(),
		region: text('region'),
		offer: jsonb('offer').$type<Record<string, unknown>>(),
		/** pending | delivered | failed | none */
		webhookStatus: text('webhook_status').notNull().default('none'),
		webhookAttempts: integer('webhook_attempts').notNull().default(0),
		webhookError: text('webhook_error')
	},
	(t) => [index('alert_firings_watch_idx').on(t.watchId, t.firedAt)]
);

/**
 * One row per poll interval slot: the instance that inserts the slot runs that interval's cycle,
 * so several app instances sharing one database poll once per interval.
 */
export const pollSlots = pgTable('poll_slots', {
	slot: bigint('slot', { mode: 'number' }).primaryKey(),
	claimedAt: tstz('claimed_at')
		.notNull()
		.default(sql`now()`),
	instance: text('instance').notNull()
});

/** Small key/value facts about this database (e.g. whether the bundled archive was imported). */
export const meta = pgTable('meta', {
	key: text('key').primaryKey(),
	value: jsonb('value').notNull(),
	updatedAt: tstz('updated_at')
		.notNull()
		.default(sql`now()`)
});

/**
 * config.json of Hugging Face models outside the estimator's list, as fetched from the Hub (issue 13):
 * fetched once, then read from here. Only readable configs are stored; failures are not cached.
 */
export const hubConfigs = pgTable('hub_configs', {
	modelId: text('model_id').primaryKey(),
	config: jsonb('config').notNull(),
	fetchedAt: tstz('fetched_at')
		.notNull()
		.default(sql`now()`)
});

/**
 * The data version (issue 15): one row whose `version` goes up in every transaction that changes what a
 * page or API answer is built from (snapshots, poll runs, history points, archive imports, Hub configs,
 * stored trends). Triggers bump it at commit (hand-written in migration 0008), so every instance on one
 * Postgres sees the same number, and never before the data it stands for is visible.
 */
export const dataVersion = pgTable('data_version', {
	id: smallint('id').primaryKey(),
	version: bigint('version', { mode: 'number' }).notNull(),
	changedAt: tstz('changed_at')
		.notNull()
		.default(sql`now()`)
});

/**
 * The /trends view, computed once per poll cycle (after the history rollup) and read by every visit,
 * one row per provider scope. `archiveImports` is the number of archive imports it saw: an import after
 * it makes the row stale (src/lib/server/cache/stored-trends.ts).
 */
export const storedTrends = pgTable('stored_trends', {
	scope: text('scope').primaryKey(),
	trends: jsonb('trends').notNull(),
	archiveImports: integer('archive_imports').notNull(),
	computedAt: tstz('computed_at')
		.notNull()
		.default(sql`now()`)
});
