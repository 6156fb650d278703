CREATE TABLE "alert_creations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"client_address" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alert_watches" ADD COLUMN "manage_token_hash" text;--> statement-breakpoint
ALTER TABLE "alert_watches" ADD COLUMN "paused" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "alert_creations_client_time_idx" ON "alert_creations" USING btree ("client_address","created_at");--> statement-breakpoint
ALTER TABLE "alert_watches" ADD CONSTRAINT "alert_watches_manage_token_hash_key" UNIQUE("manage_token_hash");