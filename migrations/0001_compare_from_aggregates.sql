ALTER TABLE "price_aggregates" ADD COLUMN "min_available_usd" double precision;--> statement-breakpoint
CREATE INDEX "snapshots_provider_id_idx" ON "snapshots" USING btree ("provider","id");