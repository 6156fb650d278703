CREATE TABLE "alert_firings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"watch_id" bigint NOT NULL,
	"fired_at" timestamp with time zone NOT NULL,
	"price_per_gpu_hour_usd" double precision NOT NULL,
	"provider" text NOT NULL,
	"region" text,
	"offer" jsonb,
	"webhook_status" text DEFAULT 'none' NOT NULL,
	"webhook_attempts" integer DEFAULT 0 NOT NULL,
	"webhook_error" text
);
--> statement-breakpoint
CREATE TABLE "alert_watches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"gpu" text NOT NULL,
	"pricing" text NOT NULL,
	"provider" text,
	"region" text,
	"min_gpu_count" smallint DEFAULT 1 NOT NULL,
	"threshold_usd" double precision NOT NULL,
	"webhook_url" text,
	"label" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"armed" boolean DEFAULT true NOT NULL,
	"last_price_usd" double precision,
	"last_evaluated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "archive_imports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"file_name" text NOT NULL,
	"sha256" text NOT NULL,
	"format" text NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rows_total" integer NOT NULL,
	"rows_imported" integer NOT NULL,
	"rows_duplicate" integer DEFAULT 0 NOT NULL,
	"rows_unmapped" integer NOT NULL,
	"unmapped" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"attribution" text
);
--> statement-breakpoint
CREATE TABLE "archive_observations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"import_id" bigint NOT NULL,
	"t" timestamp with time zone NOT NULL,
	"provider" text NOT NULL,
	"gpu" text NOT NULL,
	"source_gpu_name" text NOT NULL,
	"gpu_count" smallint NOT NULL,
	"region" text NOT NULL,
	"pricing" text NOT NULL,
	"cloud" text NOT NULL,
	"min_usd" double precision NOT NULL,
	"median_usd" double precision NOT NULL,
	"max_usd" double precision NOT NULL,
	"n" integer NOT NULL,
	"source_url" text,
	"fetched_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"snapshot_id" bigint NOT NULL,
	"provider" text NOT NULL,
	"gpu" text NOT NULL,
	"gpu_name" text NOT NULL,
	"gpu_count" smallint NOT NULL,
	"vram_gb" real NOT NULL,
	"pricing" text NOT NULL,
	"cloud" text,
	"region" text NOT NULL,
	"price_per_hour_usd" double precision NOT NULL,
	"price_per_gpu_hour_usd" double precision NOT NULL,
	"available" boolean NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"offer_ref" text,
	"reliability" real,
	"verified" boolean,
	"vcpus" real,
	"ram_gb" real,
	"disk_gb" real,
	"inet_down_mbps" real,
	"inet_up_mbps" real,
	"extra" jsonb
);
--> statement-breakpoint
CREATE TABLE "poll_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"cycle_id" text NOT NULL,
	"provider" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text NOT NULL,
	"error" text,
	"offers_seen" integer DEFAULT 0 NOT NULL,
	"offers_stored" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"skipped_reasons" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"unmapped" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"rejected_prices" integer DEFAULT 0 NOT NULL,
	"duration_ms" integer,
	"snapshot_id" bigint
);
--> statement-breakpoint
CREATE TABLE "poll_slots" (
	"slot" bigint PRIMARY KEY NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"instance" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "price_aggregates" (
	"snapshot_id" bigint NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"provider" text NOT NULL,
	"gpu" text NOT NULL,
	"gpu_count" smallint NOT NULL,
	"pricing" text NOT NULL,
	"cloud" text NOT NULL,
	"region" text NOT NULL,
	"min_usd" double precision NOT NULL,
	"median_usd" double precision NOT NULL,
	"max_usd" double precision NOT NULL,
	"n" integer NOT NULL,
	"available_n" integer NOT NULL
) PARTITION BY RANGE ("observed_at");
--> statement-breakpoint
-- Hand-added (drizzle-kit cannot express partitioning): monthly partitions are created by the app
-- (src/lib/server/db/partitions.ts); the default partition catches anything outside them.
CREATE TABLE "price_aggregates_default" PARTITION OF "price_aggregates" DEFAULT;
--> statement-breakpoint
CREATE TABLE "price_history" (
	"gpu" text NOT NULL,
	"resolution" text NOT NULL,
	"provider" text NOT NULL,
	"pricing" text NOT NULL,
	"cloud" text NOT NULL,
	"source" text NOT NULL,
	"t" timestamp with time zone NOT NULL,
	"min_usd" double precision NOT NULL,
	"median_usd" double precision NOT NULL,
	"max_usd" double precision NOT NULL,
	"n" integer NOT NULL,
	"available_n" integer,
	CONSTRAINT "price_history_pk" PRIMARY KEY("gpu","resolution","t","provider","pricing","cloud","source")
) PARTITION BY RANGE ("t");
--> statement-breakpoint
CREATE TABLE "price_history_default" PARTITION OF "price_history" DEFAULT;
--> statement-breakpoint
CREATE TABLE "snapshots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"poll_run_id" bigint,
	"observed_at" timestamp with time zone NOT NULL,
	"offer_count" integer NOT NULL,
	"available_count" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alert_firings" ADD CONSTRAINT "alert_firings_watch_id_alert_watches_id_fk" FOREIGN KEY ("watch_id") REFERENCES "public"."alert_watches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_firings_watch_idx" ON "alert_firings" USING btree ("watch_id","fired_at");--> statement-breakpoint
CREATE UNIQUE INDEX "archive_imports_sha_idx" ON "archive_imports" USING btree ("sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "archive_observations_key_idx" ON "archive_observations" USING btree ("provider","gpu","gpu_count","region","pricing","t","source_gpu_name");--> statement-breakpoint
CREATE INDEX "archive_observations_gpu_time_idx" ON "archive_observations" USING btree ("gpu","t");--> statement-breakpoint
CREATE INDEX "offers_snapshot_idx" ON "offers" USING btree ("snapshot_id");--> statement-breakpoint
CREATE INDEX "offers_gpu_price_idx" ON "offers" USING btree ("gpu","price_per_gpu_hour_usd");--> statement-breakpoint
CREATE INDEX "poll_runs_provider_started_idx" ON "poll_runs" USING btree ("provider","started_at");--> statement-breakpoint
CREATE INDEX "price_aggregates_gpu_time_idx" ON "price_aggregates" USING btree ("gpu","observed_at");--> statement-breakpoint
CREATE INDEX "price_aggregates_snapshot_idx" ON "price_aggregates" USING btree ("snapshot_id");--> statement-breakpoint
CREATE INDEX "snapshots_provider_observed_idx" ON "snapshots" USING btree ("provider","observed_at");