CREATE TABLE "data_version" (
	"id" smallint PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stored_trends" (
	"scope" text PRIMARY KEY NOT NULL,
	"trends" jsonb NOT NULL,
	"archive_imports" integer NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Hand-written from here to the end (drizzle-kit cannot express functions or triggers): the data version's
-- one row, and the triggers that bump it (src/lib/server/cache/data-version.ts reads it).
INSERT INTO "data_version" ("id", "version") VALUES (1, 1);
--> statement-breakpoint
-- Once per transaction (a transaction-local setting remembers it), at commit: constraint triggers are
-- deferred, so the row is locked only for the instant before the commit, and a reader never sees the new
-- version before the data. A rollup or an import of thousands of rows bumps it once.
CREATE FUNCTION "bump_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('gpu_dash.data_version_bumped', true) IS DISTINCT FROM 'on' THEN
		PERFORM set_config('gpu_dash.data_version_bumped', 'on', true);
		UPDATE "data_version" SET "version" = "version" + 1, "changed_at" = now() WHERE "id" = 1;
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "snapshots_data_version" AFTER INSERT OR UPDATE OR DELETE ON "snapshots"
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_data_version"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "poll_runs_data_version" AFTER INSERT OR UPDATE OR DELETE ON "poll_runs"
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_data_version"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "price_history_data_version" AFTER INSERT OR UPDATE OR DELETE ON "price_history"
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_data_version"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "archive_imports_data_version" AFTER INSERT OR UPDATE OR DELETE ON "archive_imports"
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_data_version"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "hub_configs_data_version" AFTER INSERT OR UPDATE OR DELETE ON "hub_configs"
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_data_version"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "stored_trends_data_version" AFTER INSERT OR UPDATE OR DELETE ON "stored_trends"
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_data_version"();
