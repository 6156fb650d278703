CREATE TABLE "hub_configs" (
	"model_id" text PRIMARY KEY NOT NULL,
	"config" jsonb NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL
);
