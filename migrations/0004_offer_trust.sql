ALTER TABLE "offers" ADD COLUMN "flags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "trusted" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "flag_details" jsonb;--> statement-breakpoint
ALTER TABLE "snapshots" ADD COLUMN "flag_counts" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "snapshots" ADD COLUMN "untrusted_count" integer DEFAULT 0 NOT NULL;