-- The data version's bump also sends its new value as a notification on channel "data_version", delivered at
-- commit (and not at all on rollback). An in-process PGlite server LISTENs to it and so knows the version
-- without reading the row on every request (src/lib/server/cache/data-version.ts); a Postgres server's
-- instances keep reading the row (a notification reaches another instance later than its commit).
CREATE OR REPLACE FUNCTION "bump_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	v bigint;
BEGIN
	IF current_setting('gpu_dash.data_version_bumped', true) IS DISTINCT FROM 'on' THEN
		PERFORM set_config('gpu_dash.data_version_bumped', 'on', true);
		UPDATE "data_version" SET "version" = "version" + 1, "changed_at" = now() WHERE "id" = 1
			RETURNING "version" INTO v;
		PERFORM pg_notify('data_version', v::text);
	END IF;
	RETURN NULL;
END
$$;
