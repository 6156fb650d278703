ALTER TABLE "offers" ALTER COLUMN "available" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "source" text DEFAULT 'api' NOT NULL;--> statement-breakpoint
ALTER TABLE "snapshots" ADD COLUMN "source" text DEFAULT 'api' NOT NULL;