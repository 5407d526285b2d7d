DO $$
BEGIN      IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'funnel') THEN
        BEGIN
          EXECUTE 'CREATE SCHEMA IF NOT EXISTS funnel';
        EXCEPTION
          WHEN duplicate_schema THEN NULL;
          WHEN unique_violation THEN NULL;
        END;
      END IF;

END
$$;


CREATE
OR REPLACE FUNCTION funnel.mt_immutable_timestamp(value text) RETURNS timestamp without time zone LANGUAGE sql IMMUTABLE AS
$function$
select value::timestamp

$function$;


CREATE
OR REPLACE FUNCTION funnel.mt_immutable_timestamptz(value text) RETURNS timestamp with time zone LANGUAGE sql IMMUTABLE AS
$function$
select value::timestamptz

$function$;


CREATE
OR REPLACE FUNCTION funnel.mt_immutable_time(value text) RETURNS time without time zone LANGUAGE sql IMMUTABLE AS
$function$
select value::time

$function$;


CREATE
OR REPLACE FUNCTION funnel.mt_immutable_date(value text) RETURNS date LANGUAGE sql IMMUTABLE AS
$function$
select value::date

$function$;


CREATE
OR REPLACE FUNCTION funnel.mt_grams_vector(text, use_unaccent boolean DEFAULT false)
        RETURNS tsvector
        LANGUAGE plpgsql
        IMMUTABLE STRICT
AS $function$
BEGIN
RETURN (SELECT array_to_string(funnel.mt_grams_array($1, use_unaccent), ' ') ::tsvector);
END
$function$;


CREATE
OR REPLACE FUNCTION funnel.mt_grams_query(text, use_unaccent boolean DEFAULT false)
        RETURNS tsquery
        LANGUAGE plpgsql
        IMMUTABLE STRICT
AS $function$
BEGIN
RETURN (SELECT array_to_string(funnel.mt_grams_array($1, use_unaccent), ' & ') ::tsquery);
END
$function$;


CREATE
OR REPLACE FUNCTION funnel.mt_grams_array(words text, use_unaccent boolean DEFAULT false)
        RETURNS text[]
        LANGUAGE plpgsql
        IMMUTABLE STRICT
AS $function$
        DECLARE
result text[];
        DECLARE
word text;
        DECLARE
clean_word text;
BEGIN
                FOREACH
word IN ARRAY string_to_array(words, ' ')
                LOOP
                     clean_word = regexp_replace(funnel.mt_safe_unaccent(use_unaccent, word), '[^a-zA-Z0-9]+', '','g');
FOR i IN 1 .. length(clean_word)
                     LOOP
                         result := result || quote_literal(substr(lower(clean_word), i, 1));
                         result
:= result || quote_literal(substr(lower(clean_word), i, 2));
                         result
:= result || quote_literal(substr(lower(clean_word), i, 3));
END LOOP;
END LOOP;

RETURN ARRAY(SELECT DISTINCT e FROM unnest(result) AS a(e) ORDER BY e);
END;
$function$;


CREATE OR REPLACE FUNCTION funnel.mt_jsonb_append(jsonb, text[], jsonb, boolean, jsonb default null::jsonb)
    RETURNS jsonb
    LANGUAGE plpgsql
AS $function$
DECLARE
    retval ALIAS FOR $1;
    location ALIAS FOR $2;
    val ALIAS FOR $3;
    if_not_exists ALIAS FOR $4;
    patch_expression ALIAS FOR $5;
    tmp_value jsonb;
BEGIN
    tmp_value = retval #> location;
    IF tmp_value IS NOT NULL AND jsonb_typeof(tmp_value) = 'array' THEN
        CASE
            WHEN NOT if_not_exists THEN
                retval = jsonb_set(retval, location, tmp_value || val, FALSE);
            WHEN patch_expression IS NULL AND jsonb_typeof(val) = 'object' AND NOT tmp_value @> jsonb_build_array(val) THEN
                retval = jsonb_set(retval, location, tmp_value || val, FALSE);
            WHEN patch_expression IS NULL AND jsonb_typeof(val) <> 'object' AND NOT tmp_value @> val THEN
                retval = jsonb_set(retval, location, tmp_value || val, FALSE);
            WHEN patch_expression IS NOT NULL AND jsonb_typeof(patch_expression) = 'array' AND jsonb_array_length(patch_expression) = 0 THEN
                retval = jsonb_set(retval, location, tmp_value || val, FALSE);
            ELSE NULL;
            END CASE;
    END IF;
    RETURN retval;
END;
$function$;


CREATE OR REPLACE FUNCTION funnel.mt_jsonb_append_key_value(jsonb, text[], jsonb, boolean)
    RETURNS jsonb
    LANGUAGE plpgsql
AS $function$
DECLARE
    retval ALIAS FOR $1;
    location ALIAS FOR $2;
    val ALIAS FOR $3;
    if_not_exists ALIAS FOR $4;
    tmp_value jsonb;
    _key text;
BEGIN
    tmp_value = retval #> location;

    IF tmp_value IS NOT NULL AND jsonb_typeof(tmp_value) = 'object' THEN
        CASE
            WHEN NOT if_not_exists THEN
                retval = jsonb_set(retval, location, tmp_value || val, FALSE);
            WHEN NOT tmp_value ?| ARRAY(SELECT jsonb_object_keys(val)) THEN
                retval = jsonb_set(retval, location, tmp_value || val, FALSE);
            ELSE NULL;
        END CASE;
    END IF;
    RETURN retval;
END;
$function$;


CREATE OR REPLACE FUNCTION funnel.mt_jsonb_copy(jsonb, text[], text[])
    RETURNS jsonb
    LANGUAGE plpgsql
AS $function$
DECLARE
    retval ALIAS FOR $1;
    src_path ALIAS FOR $2;
    dst_path ALIAS FOR $3;
    tmp_value jsonb;
BEGIN
    tmp_value = retval #> src_path;
    retval = funnel.mt_jsonb_fix_null_parent(retval, dst_path);
    RETURN jsonb_set(retval, dst_path, tmp_value::jsonb, TRUE);
END;
$function$;


CREATE OR REPLACE FUNCTION funnel.mt_jsonb_duplicate(jsonb, text[], jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $function$
DECLARE
    retval ALIAS FOR $1;
    location ALIAS FOR $2;
    targets ALIAS FOR $3;
    tmp_value jsonb;
    target_path text[];
    target text;
BEGIN
    FOR target IN SELECT jsonb_array_elements_text(targets)
    LOOP
        target_path = funnel.mt_jsonb_path_to_array(target, '\.');
        retval = funnel.mt_jsonb_copy(retval, location, target_path);
    END LOOP;

    RETURN retval;
END;
$function$;


CREATE OR REPLACE FUNCTION funnel.mt_jsonb_fix_null_parent(jsonb, text[])
    RETURNS jsonb
    LANGUAGE plpgsql
AS $function$
DECLARE
retval ALIAS FOR $1;
    dst_path ALIAS FOR $2;
    dst_path_segment text[] = ARRAY[]::text[];
    dst_path_array_length integer;
    i integer = 1;
BEGIN
    dst_path_array_length = array_length(dst_path, 1);
    WHILE i <=(dst_path_array_length - 1)
    LOOP
        dst_path_segment = dst_path_segment || ARRAY[dst_path[i]];
        IF retval #> dst_path_segment IS NULL OR retval #> dst_path_segment = 'null'::jsonb THEN
            retval = jsonb_set(retval, dst_path_segment, '{}'::jsonb, TRUE);
        END IF;
        i = i + 1;
    END LOOP;

    RETURN retval;
END;
$function$;


CREATE OR REPLACE FUNCTION funnel.mt_jsonb_increment(jsonb, text[], numeric)
    RETURNS jsonb
    LANGUAGE plpgsql
AS $function$
DECLARE
retval ALIAS FOR $1;
    location ALIAS FOR $2;
    increment_value ALIAS FOR $3;
    tmp_value jsonb;
BEGIN
    tmp_value = retval #> location;
    IF tmp_value IS NULL THEN
        tmp_value = to_jsonb(0);
END IF;

RETURN jsonb_set(retval, location, to_jsonb(tmp_value::numeric + increment_value), TRUE);
END;
$function$;


CREATE OR REPLACE FUNCTION funnel.mt_jsonb_insert(jsonb, text[], jsonb, integer, boolean, jsonb default null::jsonb)
    RETURNS jsonb
    LANGUAGE plpgsql
AS $function$
DECLARE
    retval ALIAS FOR $1;
    location ALIAS FOR $2;
    val ALIAS FOR $3;
    elm_index ALIAS FOR $4;
    if_not_exists ALIAS FOR $5;
    patch_expression ALIAS FOR $6;
    tmp_value jsonb;
BEGIN
    tmp_value = retval #> location;
    IF tmp_value IS NOT NULL AND jsonb_typeof(tmp_value) = 'array' THEN
        IF elm_index IS NULL THEN
            elm_index = jsonb_array_length(tmp_value) + 1;
        END IF;
        CASE
            WHEN NOT if_not_exists THEN
                retval = jsonb_insert(retval, location || elm_index::text, val);
            WHEN patch_expression IS NULL AND jsonb_typeof(val) = 'object' AND NOT tmp_value @> jsonb_build_array(val) THEN
                retval = jsonb_insert(retval, location || elm_index::text, val);
            WHEN patch_expression IS NULL AND jsonb_typeof(val) <> 'object' AND NOT tmp_value @> val THEN
                retval = jsonb_insert(retval, location || elm_index::text, val);
            WHEN patch_expression IS NOT NULL AND jsonb_typeof(patch_expression) = 'array' AND jsonb_array_length(patch_expression) = 0 THEN
                retval = jsonb_insert(retval, location || elm_index::text, val);
            ELSE NULL;
        END CASE;
    END IF;
    RETURN retval;
END;
$function$;


CREATE OR REPLACE FUNCTION funnel.mt_jsonb_move(jsonb, text[], text)
    RETURNS jsonb
    LANGUAGE plpgsql
AS $function$
DECLARE
    retval ALIAS FOR $1;
    src_path ALIAS FOR $2;
    dst_name ALIAS FOR $3;
    dst_path text[];
    tmp_value jsonb;
BEGIN
    tmp_value = retval #> src_path;
    retval = retval #- src_path;
    dst_path = src_path;
    dst_path[array_length(dst_path, 1)] = dst_name;
    retval = funnel.mt_jsonb_fix_null_parent(retval, dst_path);
    RETURN jsonb_set(retval, dst_path, tmp_value, TRUE);
END;
$function$;


CREATE OR REPLACE FUNCTION funnel.mt_jsonb_path_to_array(text, character)
    RETURNS text[]
    LANGUAGE plpgsql
AS $function$
DECLARE
    location ALIAS FOR $1;
    regex_pattern ALIAS FOR $2;
BEGIN
RETURN regexp_split_to_array(location, regex_pattern)::text[];
END;
$function$;


CREATE OR REPLACE FUNCTION funnel.mt_jsonb_remove(jsonb, text[], jsonb)
    RETURNS jsonb
    LANGUAGE plpgsql
AS $function$
DECLARE
    retval ALIAS FOR $1;
    location ALIAS FOR $2;
    val ALIAS FOR $3;
    tmp_value jsonb;
    tmp_remove jsonb;
    patch_remove jsonb;
BEGIN
    tmp_value = retval #> location;
    IF tmp_value IS NOT NULL AND jsonb_typeof(tmp_value) = 'array' THEN
        IF jsonb_typeof(val) = 'array' THEN
            tmp_remove = val;
        ELSE
            tmp_remove = jsonb_build_array(val);
        END IF;

        FOR patch_remove IN SELECT * FROM jsonb_array_elements(tmp_remove)
        LOOP
            tmp_value =(SELECT jsonb_agg(elem)
            FROM jsonb_array_elements(tmp_value) AS elem
            WHERE elem <> patch_remove);
        END LOOP;

        IF tmp_value IS NULL THEN
            tmp_value = '[]'::jsonb;
        END IF;
    END IF;
    RETURN jsonb_set(retval, location, tmp_value, FALSE);
END;
$function$;


CREATE OR REPLACE FUNCTION funnel.mt_jsonb_remove_key(jsonb, text[], text)
    RETURNS jsonb
    LANGUAGE plpgsql
AS $function$
DECLARE
    retval ALIAS FOR $1;
    location ALIAS FOR $2;
    _key ALIAS FOR $3;
    tmp_value jsonb;
    tmp_remove jsonb;
    patch_remove jsonb;
BEGIN
    tmp_value = retval #> location;
    IF tmp_value IS NOT NULL AND jsonb_typeof(tmp_value) = 'object' THEN
        RETURN jsonb_set(retval, location, tmp_value - _key, FALSE);
    END IF;
    RETURN retval;
END;
$function$;


CREATE OR REPLACE FUNCTION funnel.mt_jsonb_patch(jsonb, jsonb)
    RETURNS jsonb
    LANGUAGE plpgsql
AS $function$
DECLARE
    retval ALIAS FOR $1;
    patchset ALIAS FOR $2;
    patch jsonb;
    patch_path text[];
    patch_expression jsonb;
    value jsonb;
BEGIN
    FOR patch IN SELECT * from jsonb_array_elements(patchset)
    LOOP
        patch_path = funnel.mt_jsonb_path_to_array((patch->>'path')::text, '\.');

        patch_expression = null;
        IF (patch->>'type') IN ('remove', 'append_if_not_exists', 'insert_if_not_exists') AND (patch->>'expression') IS NOT NULL THEN
            patch_expression = jsonb_path_query_array(retval #> patch_path, (patch->>'expression')::jsonpath);
        END IF;

        CASE patch->>'type'
            WHEN 'set' THEN
                retval = jsonb_set(retval, patch_path, (patch->'value')::jsonb, TRUE);
            WHEN 'delete' THEN
                retval = retval#-patch_path;
            WHEN 'append' THEN
                retval = funnel.mt_jsonb_append(retval, patch_path, (patch->'value')::jsonb, FALSE);
            WHEN 'append_if_not_exists' THEN
                retval = funnel.mt_jsonb_append(retval, patch_path, (patch->'value')::jsonb, TRUE, patch_expression);
            WHEN 'append_key_value' THEN
                retval = funnel.mt_jsonb_append_key_value(retval, patch_path, (patch->'key_value')::jsonb, FALSE);
            WHEN 'append_key_value_if_not_exists' THEN
                retval = funnel.mt_jsonb_append_key_value(retval, patch_path, (patch->'key_value')::jsonb, TRUE);
            WHEN 'insert' THEN
                retval = funnel.mt_jsonb_insert(retval, patch_path, (patch->'value')::jsonb, (patch->>'index')::integer, FALSE);
            WHEN 'insert_if_not_exists' THEN
                retval = funnel.mt_jsonb_insert(retval, patch_path, (patch->'value')::jsonb, (patch->>'index')::integer, TRUE, patch_expression);
            WHEN 'remove' THEN
                retval = funnel.mt_jsonb_remove(retval, patch_path, COALESCE(patch_expression, (patch->'value')::jsonb));
            WHEN 'remove_key' THEN
                retval = funnel.mt_jsonb_remove_key(retval, patch_path, (patch->>'key'));
            WHEN 'duplicate' THEN
                retval = funnel.mt_jsonb_duplicate(retval, patch_path, (patch->'targets')::jsonb);
            WHEN 'rename' THEN
                retval = funnel.mt_jsonb_move(retval, patch_path, (patch->>'to')::text);
            WHEN 'increment' THEN
                retval = funnel.mt_jsonb_increment(retval, patch_path, (patch->>'increment')::numeric);
            WHEN 'increment_float' THEN
                retval = funnel.mt_jsonb_increment(retval, patch_path, (patch->>'increment')::numeric);
            ELSE NULL;
        END CASE;
    END LOOP;
    RETURN retval;
END;
$function$;


CREATE
OR REPLACE FUNCTION funnel.mt_safe_unaccent(use_unaccent BOOLEAN, word TEXT)
        RETURNS TEXT
        LANGUAGE plpgsql
        IMMUTABLE STRICT
AS $function$
BEGIN
IF use_unaccent THEN
    RETURN public.unaccent(word);
ELSE
    RETURN word;
END IF;
END;
$function$;


CREATE TABLE IF NOT EXISTS funnel.mt_doc_apikey (
    id                  varchar                     NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_version          uuid                        NOT NULL DEFAULT (md5(random()::text || clock_timestamp()::text)::uuid),
    mt_dotnet_type      varchar                     NULL,
CONSTRAINT pkey_mt_doc_apikey_id PRIMARY KEY (id)
);

CREATE UNIQUE INDEX mt_doc_apikey_uidx_hash ON funnel.mt_doc_apikey USING btree ((data ->> 'hash'));
CREATE TABLE IF NOT EXISTS funnel.mt_doc_batchreply (
    tenant_id           varchar                     NOT NULL DEFAULT '*DEFAULT*',
    id                  varchar                     NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_version          uuid                        NOT NULL DEFAULT (md5(random()::text || clock_timestamp()::text)::uuid),
    mt_dotnet_type      varchar                     NULL,
CONSTRAINT pkey_mt_doc_batchreply_tenant_id_id PRIMARY KEY (tenant_id, id)
);
DROP POLICY IF EXISTS marten_tenant_isolation ON funnel.mt_doc_batchreply;
ALTER TABLE funnel.mt_doc_batchreply NO FORCE ROW LEVEL SECURITY;
ALTER TABLE funnel.mt_doc_batchreply DISABLE ROW LEVEL SECURITY;

CREATE TABLE IF NOT EXISTS funnel.mt_doc_deadletterevent (
    id                  uuid                        NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_version          uuid                        NOT NULL DEFAULT (md5(random()::text || clock_timestamp()::text)::uuid),
    mt_dotnet_type      varchar                     NULL,
CONSTRAINT pkey_mt_doc_deadletterevent_id PRIMARY KEY (id)
);
CREATE TABLE IF NOT EXISTS funnel.mt_doc_deal (
    tenant_id           varchar                     NOT NULL DEFAULT '*DEFAULT*',
    id                  varchar                     NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_dotnet_type      varchar                     NULL,
    mt_version          bigint                      NOT NULL DEFAULT 0,
CONSTRAINT pkey_mt_doc_deal_tenant_id_id PRIMARY KEY (tenant_id, id)
);

CREATE INDEX mt_doc_deal_idx_pipeline_id ON funnel.mt_doc_deal USING btree ((data ->> 'pipelineId'));

CREATE INDEX mt_doc_deal_idx_owner ON funnel.mt_doc_deal USING btree ((data ->> 'owner'));
DROP POLICY IF EXISTS marten_tenant_isolation ON funnel.mt_doc_deal;
ALTER TABLE funnel.mt_doc_deal NO FORCE ROW LEVEL SECURITY;
ALTER TABLE funnel.mt_doc_deal DISABLE ROW LEVEL SECURITY;

CREATE TABLE IF NOT EXISTS funnel.mt_doc_envelope (
    id                  uuid                        NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_version          uuid                        NOT NULL DEFAULT (md5(random()::text || clock_timestamp()::text)::uuid),
    mt_dotnet_type      varchar                     NULL,
CONSTRAINT pkey_mt_doc_envelope_id PRIMARY KEY (id)
);
CREATE TABLE IF NOT EXISTS funnel.mt_doc_eventcursorsecret (
    id                  varchar                     NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_version          uuid                        NOT NULL DEFAULT (md5(random()::text || clock_timestamp()::text)::uuid),
    mt_dotnet_type      varchar                     NULL,
CONSTRAINT pkey_mt_doc_eventcursorsecret_id PRIMARY KEY (id)
);
CREATE TABLE IF NOT EXISTS funnel.mt_doc_idempotentanswer (
    tenant_id           varchar                     NOT NULL DEFAULT '*DEFAULT*',
    id                  varchar                     NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_version          uuid                        NOT NULL DEFAULT (md5(random()::text || clock_timestamp()::text)::uuid),
    mt_dotnet_type      varchar                     NULL,
CONSTRAINT pkey_mt_doc_idempotentanswer_tenant_id_id PRIMARY KEY (tenant_id, id)
);
DROP POLICY IF EXISTS marten_tenant_isolation ON funnel.mt_doc_idempotentanswer;
ALTER TABLE funnel.mt_doc_idempotentanswer NO FORCE ROW LEVEL SECURITY;
ALTER TABLE funnel.mt_doc_idempotentanswer DISABLE ROW LEVEL SECURITY;

CREATE TABLE IF NOT EXISTS funnel.mt_doc_loggedactivity (
    tenant_id           varchar                     NOT NULL DEFAULT '*DEFAULT*',
    id                  varchar                     NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_version          uuid                        NOT NULL DEFAULT (md5(random()::text || clock_timestamp()::text)::uuid),
    mt_dotnet_type      varchar                     NULL,
CONSTRAINT pkey_mt_doc_loggedactivity_tenant_id_id PRIMARY KEY (tenant_id, id)
);
DROP POLICY IF EXISTS marten_tenant_isolation ON funnel.mt_doc_loggedactivity;
ALTER TABLE funnel.mt_doc_loggedactivity NO FORCE ROW LEVEL SECURITY;
ALTER TABLE funnel.mt_doc_loggedactivity DISABLE ROW LEVEL SECURITY;

CREATE TABLE IF NOT EXISTS funnel.mt_doc_pipeline (
    tenant_id           varchar                     NOT NULL DEFAULT '*DEFAULT*',
    id                  varchar                     NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_dotnet_type      varchar                     NULL,
    mt_version          bigint                      NOT NULL DEFAULT 0,
CONSTRAINT pkey_mt_doc_pipeline_tenant_id_id PRIMARY KEY (tenant_id, id)
);
DROP POLICY IF EXISTS marten_tenant_isolation ON funnel.mt_doc_pipeline;
ALTER TABLE funnel.mt_doc_pipeline NO FORCE ROW LEVEL SECURITY;
ALTER TABLE funnel.mt_doc_pipeline DISABLE ROW LEVEL SECURITY;

CREATE TABLE IF NOT EXISTS funnel.mt_doc_storedprotectionkey (
    id                  varchar                     NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_version          uuid                        NOT NULL DEFAULT (md5(random()::text || clock_timestamp()::text)::uuid),
    mt_dotnet_type      varchar                     NULL,
CONSTRAINT pkey_mt_doc_storedprotectionkey_id PRIMARY KEY (id)
);
CREATE TABLE IF NOT EXISTS funnel.mt_doc_targetplan (
    tenant_id           varchar                     NOT NULL DEFAULT '*DEFAULT*',
    id                  varchar                     NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_dotnet_type      varchar                     NULL,
    mt_version          bigint                      NOT NULL DEFAULT 0,
CONSTRAINT pkey_mt_doc_targetplan_tenant_id_id PRIMARY KEY (tenant_id, id)
);
DROP POLICY IF EXISTS marten_tenant_isolation ON funnel.mt_doc_targetplan;
ALTER TABLE funnel.mt_doc_targetplan NO FORCE ROW LEVEL SECURITY;
ALTER TABLE funnel.mt_doc_targetplan DISABLE ROW LEVEL SECURITY;

CREATE TABLE IF NOT EXISTS funnel.mt_doc_tenant (
    id                  varchar                     NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_version          uuid                        NOT NULL DEFAULT (md5(random()::text || clock_timestamp()::text)::uuid),
    mt_dotnet_type      varchar                     NULL,
CONSTRAINT pkey_mt_doc_tenant_id PRIMARY KEY (id)
);
CREATE TABLE IF NOT EXISTS funnel.mt_streams (
    tenant_id            varchar        NOT NULL DEFAULT '*DEFAULT*',
    id                   varchar        NOT NULL,
    type                 varchar        NULL,
    version              bigint         NULL,
    timestamp            timestamptz    NOT NULL DEFAULT (now()),
    created              timestamptz    NOT NULL DEFAULT (now()),
    compacted_version    bigint         NOT NULL DEFAULT 0,
    is_archived          bool           NULL DEFAULT FALSE,
CONSTRAINT pkey_mt_streams_tenant_id_id PRIMARY KEY (tenant_id, id)
);
CREATE TABLE IF NOT EXISTS funnel.mt_events (
    seq_id            bigint                      NOT NULL,
    id                uuid                        NOT NULL,
    stream_id         varchar                     NULL,
    version           bigint                      NOT NULL,
    data              jsonb                       NOT NULL,
    bdata             bytea                       NULL,
    type              varchar(500)                NOT NULL,
    timestamp         timestamp with time zone    NOT NULL DEFAULT '(now())',
    tenant_id         varchar                     NULL DEFAULT '*DEFAULT*',
    mt_dotnet_type    varchar                     NULL,
    correlation_id    varchar                     NULL,
    causation_id      varchar                     NULL,
    headers           jsonb                       NULL,
    is_archived       bool                        NULL DEFAULT FALSE,
CONSTRAINT pkey_mt_events_seq_id PRIMARY KEY (seq_id)
);

DO $do$
BEGIN
ALTER TABLE funnel.mt_events
ADD CONSTRAINT fkey_mt_events_stream_id_tenant_id FOREIGN KEY(tenant_id, stream_id)
REFERENCES funnel.mt_streams(tenant_id, id);
EXCEPTION
    WHEN duplicate_object THEN NULL;
END
$do$;

CREATE UNIQUE INDEX pk_mt_events_stream_and_version ON funnel.mt_events USING btree (tenant_id, stream_id, version);
CREATE SEQUENCE funnel.mt_events_sequence;
ALTER SEQUENCE funnel.mt_events_sequence OWNED BY funnel.mt_events.seq_id;
CREATE TABLE IF NOT EXISTS funnel.mt_event_progression (
    name                         varchar                     NOT NULL,
    last_seq_id                  bigint                      NULL,
    last_updated                 timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mode                         varchar                     NULL DEFAULT 'none',
    rebuild_threshold            integer                     NULL DEFAULT 0,
    assigned_node                integer                     NULL DEFAULT 0,
    heartbeat                    timestamp with time zone    NULL,
    agent_status                 varchar(20)                 NULL,
    pause_reason                 text                        NULL,
    running_on_node              integer                     NULL,
    warning_behind_threshold     bigint                      NULL,
    critical_behind_threshold    bigint                      NULL,
    failure_category             varchar(50)                 NULL,
    failure_event_sequence       bigint                      NULL,
    failure_event_type           varchar(500)                NULL,
    failure_event_tenant_id      varchar(500)                NULL,
CONSTRAINT pk_mt_event_progression PRIMARY KEY (name)
);
CREATE TABLE IF NOT EXISTS funnel.mt_event_projection_floors (
    name            varchar                     NOT NULL,
    tenant_id       varchar                     NOT NULL,
    floor           bigint                      NOT NULL,
    last_updated    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
CONSTRAINT pkey_mt_event_projection_floors_name_tenant_id PRIMARY KEY (name, tenant_id)
);
CREATE
OR REPLACE FUNCTION funnel.mt_mark_event_progression(name varchar, last_encountered bigint) RETURNS VOID LANGUAGE plpgsql AS
$function$
BEGIN
INSERT INTO funnel.mt_event_progression (name, last_seq_id, last_updated)
VALUES (name, last_encountered, transaction_timestamp())
ON CONFLICT ON CONSTRAINT pk_mt_event_progression
    DO
UPDATE SET last_seq_id = last_encountered, last_updated = transaction_timestamp();

END;

$function$;



CREATE OR REPLACE FUNCTION funnel.mt_archive_stream(streamid varchar, tenantid varchar) RETURNS VOID LANGUAGE plpgsql AS
$function$
BEGIN
  update funnel.mt_streams set is_archived = TRUE where id = streamid  and tenant_id = tenantid;
  update funnel.mt_events set is_archived = TRUE where stream_id = streamid  and tenant_id = tenantid;
END;
$function$;


CREATE OR REPLACE FUNCTION funnel.mt_quick_append_events(stream varchar, stream_type varchar, tenantid varchar, event_ids uuid[], event_types varchar[], dotnet_types varchar[], bodies jsonb[], bdatas bytea[], causation_ids varchar[], correlation_ids varchar[], headers jsonb[], timestamps timestamp with time zone[], expected_version bigint DEFAULT NULL::bigint) RETURNS bigint[] AS $$
DECLARE
	event_version bigint;
	stream_is_archived boolean;
	event_type varchar;
	event_id uuid;
	body jsonb;
	index int;
	seq bigint;
    actual_tenant varchar;
    is_new_stream boolean := false;
	return_value bigint[];
BEGIN
    if expected_version IS NOT NULL then
        -- COALESCE turns the NULL we get for a brand-new stream into 0, so a
        -- FetchForWriting against a non-existent stream (which sets
        -- ExpectedVersionOnServer = 0) and a StartStream(id, version: 0) both
        -- land on the new-stream branch instead of mis-firing the guard.
        select version, is_archived into event_version, stream_is_archived from funnel.mt_streams where id = stream AND tenant_id = tenantid;
        if COALESCE(event_version, 0) != expected_version then
            RAISE EXCEPTION 'Stream version mismatch on ''%'': expected %, actual %', stream, expected_version, COALESCE(event_version, 0) USING ERRCODE = 'MT003';
        end if;
    else
        select version, is_archived into event_version, stream_is_archived from funnel.mt_streams where id = stream AND tenant_id = tenantid;
    end if;

	if event_version IS NULL then
		event_version = 0;
		is_new_stream := true;
		-- #5456 follow-up: insert the FINAL version straight away rather than 0 plus a
		-- trailing UPDATE of the row we just wrote in this same transaction. That UPDATE
		-- is a second heap tuple + WAL record per stream creation for no observable gain
		-- -- nothing outside this transaction can see the intermediate 0. The trailing
		-- UPDATE below is skipped for this branch via is_new_stream.
		insert into funnel.mt_streams (id, type, version, timestamp, tenant_id) values (stream, stream_type, COALESCE(array_length(event_ids, 1), 0), now(), tenantid);
    else
        if stream_is_archived then
            RAISE EXCEPTION 'Attempted to append event to archived stream with Id ''%''.', stream USING ERRCODE = 'MT001';
        end if;
        if tenantid IS NOT NULL then
            select tenant_id into actual_tenant from funnel.mt_streams where id = stream AND tenant_id = tenantid;
            if actual_tenant != tenantid then
                RAISE EXCEPTION 'The tenantid does not match the existing stream';
            end if;
        end if;
	end if;

	index := 1;
	-- #5062: array_length('{}', 1) is NULL in PostgreSQL, not 0, so a call with an
	-- empty event array used to return ARRAY[NULL] -- a bigint[] whose only element
	-- is NULL, which Npgsql cannot read into long[] ('Cannot read a non-nullable
	-- collection of elements because the returned array contains nulls'). COALESCE
	-- makes the empty case mean what it says: zero events appended, so the final
	-- version is the stream's current version.
	return_value := ARRAY[event_version + COALESCE(array_length(event_ids, 1), 0)];

	foreach event_id in ARRAY event_ids
	loop
        seq := nextval('funnel.mt_events_sequence');
		return_value := array_append(return_value, seq);

	    event_version := event_version + 1;
		event_type = event_types[index];
		body = bodies[index];

		-- #4515 / #4578 / Phase 2: bdatas[index] carries the binary payload
		-- for events opted in to binary serialization (NULL otherwise).
		-- bodies[index] is the {} JSON placeholder for those events so the
		-- existing data jsonb NOT NULL constraint stays intact.
		insert into funnel.mt_events
			(seq_id, id, stream_id, version, data, bdata, type, tenant_id, timestamp, mt_dotnet_type, is_archived, causation_id, correlation_id, headers)
		values
			(seq, event_id, stream, event_version, body, bdatas[index], event_type, tenantid, timestamps[index], dotnet_types[index], FALSE, causation_ids[index], correlation_ids[index], headers[index]);

		index := index + 1;
	end loop;

	-- A brand-new stream already carries its final version from the insert above, so the
	-- UPDATE is only needed when we appended onto a stream that already existed.
	--
	-- #5539: and only when we actually appended something. With ZERO events this was a BLIND write-back
	-- of the version read at the top of the function, and under READ COMMITTED that is a lost update: the
	-- UPDATE waits on a concurrent appender's row lock, the winner commits, the WHERE clause is
	-- re-evaluated against the new row, and `set version = <the stale value>` lands -- leaving
	-- mt_streams.version BELOW the stream's own events. Every later append then computes a version that
	-- already exists and dies on pk_mt_events_stream_and_version, forever, until the row is repaired by
	-- hand. A non-empty call cannot do this: its first INSERT collides with the winner on that same
	-- primary key and rolls the whole thing back, which is why only the empty case was exposed.
	--
	-- Two independent guards, because either alone would have been enough and the cost of both is nil:
	--   * the append count -- appending nothing has nothing to write, so the correct number of statements
	--     is zero rather than one that happens to be harmless;
	--   * greatest(), so the write-back can never LOWER a stream's version whoever calls it. An append
	--     only ever moves a version forward, so this is a no-op on every correct path and a backstop on
	--     any future caller that reads the version and then writes it back.
	if not is_new_stream and COALESCE(array_length(event_ids, 1), 0) > 0 then
		update funnel.mt_streams set version = greatest(version, event_version), timestamp = now() where id = stream AND tenant_id = tenantid;
	end if;

	return return_value;
END
$$ LANGUAGE plpgsql;

CREATE TABLE IF NOT EXISTS funnel.pipeline_versions (
    pipeline_id    text           NOT NULL,
    version        integer        NOT NULL,
    name           text           NOT NULL,
    stages         jsonb          NOT NULL,
    valid_from     timestamptz    NOT NULL,
    valid_to       timestamptz    NULL,
    seq            bigint         NOT NULL,
    recorded_at    timestamptz    NOT NULL,
CONSTRAINT pkey_pipeline_versions_pipeline_id_version PRIMARY KEY (pipeline_id, version)
);
CREATE TABLE IF NOT EXISTS funnel.deal_intervals (
    deal_id               text           NOT NULL,
    version               integer        NOT NULL,
    pipeline_id           text           NOT NULL,
    stage                 text           NOT NULL,
    status                text           NOT NULL,
    amount                numeric        NOT NULL,
    currency              text           NOT NULL,
    owner                 text           NOT NULL,
    team                  text           NULL,
    region                text           NULL,
    product               text           NULL,
    account               text           NULL,
    expected_close        date           NULL,
    loss_reason           text           NULL,
    valid_from            timestamptz    NOT NULL,
    valid_to              timestamptz    NULL,
    period                tstzrange      NOT NULL,
    seq                   bigint         NOT NULL,
    recorded_at           timestamptz    NOT NULL,
    closed_seq            bigint         NULL,
    closed_recorded_at    timestamptz    NULL,
    handover_reason       text           NULL,
    previous_owner        text           NULL,
    move                  text           NULL,
CONSTRAINT pkey_deal_intervals_deal_id_version PRIMARY KEY (deal_id, version)
);

CREATE INDEX ix_deal_intervals_open_period ON funnel.deal_intervals USING gist (period) INCLUDE (pipeline_id, recorded_at, deal_id, version, stage, status, amount, owner, team, region, product, expected_close) WHERE (status = 'open');

CREATE INDEX ix_deal_intervals_closed_from ON funnel.deal_intervals USING btree (pipeline_id, valid_from) INCLUDE (valid_to, recorded_at, deal_id, version, stage, status, amount, owner, team, region, product, expected_close) WHERE (status <> 'open');

CREATE INDEX ix_deal_intervals_recorded ON funnel.deal_intervals USING btree (pipeline_id, recorded_at);

CREATE INDEX ix_deal_intervals_valid_from ON funnel.deal_intervals USING btree (pipeline_id, valid_from) INCLUDE (deal_id);

CREATE INDEX ix_deal_intervals_valid_to ON funnel.deal_intervals USING btree (pipeline_id, valid_to) WHERE (valid_to is not null);

CREATE INDEX ix_deal_intervals_closed_recorded ON funnel.deal_intervals USING btree (closed_recorded_at) WHERE (closed_recorded_at is not null);

CREATE INDEX ix_deal_intervals_handovers ON funnel.deal_intervals USING btree (pipeline_id, valid_from, deal_id) INCLUDE (version, owner, previous_owner, team, region, handover_reason, stage, amount) WHERE (handover_reason is not null);

CREATE INDEX ix_deal_intervals_owner_from ON funnel.deal_intervals USING btree (owner, valid_from);

CREATE INDEX ix_deal_intervals_previous_owner ON funnel.deal_intervals USING btree (previous_owner, valid_from) WHERE (previous_owner is not null);
CREATE TABLE IF NOT EXISTS funnel.stage_residencies (
    deal_id              text           NOT NULL,
    n                    integer        NOT NULL,
    pipeline_id          text           NOT NULL,
    stage                text           NOT NULL,
    entered_at           timestamptz    NOT NULL,
    exited_at            timestamptz    NULL,
    exit_kind            text           NULL,
    next_stage           text           NULL,
    entered_seq          bigint         NOT NULL,
    exited_seq           bigint         NULL,
    days                 numeric        NULL,
    status               text           NOT NULL,
    status_changed_at    timestamptz    NOT NULL,
    owner                text           NOT NULL,
    team                 text           NULL,
    region               text           NULL,
    product              text           NULL,
CONSTRAINT pkey_stage_residencies_deal_id_n PRIMARY KEY (deal_id, n)
);

CREATE INDEX ix_stage_residencies_stage ON funnel.stage_residencies USING btree (pipeline_id, stage, exited_at);

CREATE INDEX ix_stage_residencies_exited ON funnel.stage_residencies USING btree (pipeline_id, exited_at) INCLUDE (stage, days, entered_at, deal_id, owner, team, region, product) WHERE (exited_at is not null);

CREATE INDEX ix_stage_residencies_open ON funnel.stage_residencies USING btree (pipeline_id, stage, entered_at) INCLUDE (deal_id, owner, team, region, product) WHERE (exited_at is null);

CREATE INDEX ix_stage_residencies_entered ON funnel.stage_residencies USING btree (pipeline_id, entered_at);

CREATE INDEX ix_stage_residencies_days ON funnel.stage_residencies USING btree (pipeline_id, stage, days) INCLUDE (exited_at, owner, team, region, product) WHERE (days is not null);

CREATE INDEX ix_stage_residencies_owner ON funnel.stage_residencies USING btree (pipeline_id, owner) INCLUDE (deal_id, stage, entered_at, exited_at);
CREATE TABLE IF NOT EXISTS funnel.deal_stage_facts (
    deal_id              text           NOT NULL,
    stage                text           NOT NULL,
    pipeline_id          text           NOT NULL,
    first_entered_at     timestamptz    NOT NULL,
    advanced_at          timestamptz    NULL,
    status               text           NOT NULL,
    status_changed_at    timestamptz    NOT NULL,
    owner                text           NOT NULL,
    team                 text           NULL,
    region               text           NULL,
    product              text           NULL,
CONSTRAINT pkey_deal_stage_facts_deal_id_stage PRIMARY KEY (deal_id, stage)
);

CREATE INDEX ix_deal_stage_facts_stage ON funnel.deal_stage_facts USING btree (pipeline_id, stage, first_entered_at) INCLUDE (advanced_at, status, status_changed_at, deal_id, owner, team, region, product);

CREATE INDEX ix_deal_stage_facts_owner ON funnel.deal_stage_facts USING btree (pipeline_id, owner) INCLUDE (deal_id, stage, first_entered_at, advanced_at, status, status_changed_at);
CREATE TABLE IF NOT EXISTS funnel.deal_current (
    deal_id              text           NOT NULL,
    pipeline_id          text           NOT NULL,
    stage                text           NOT NULL,
    status               text           NOT NULL,
    amount               numeric        NOT NULL,
    currency             text           NOT NULL,
    owner                text           NOT NULL,
    team                 text           NULL,
    region               text           NULL,
    product              text           NULL,
    account              text           NULL,
    expected_close       date           NULL,
    loss_reason          text           NULL,
    captured_at          timestamptz    NOT NULL,
    stage_entered_at     timestamptz    NOT NULL,
    closed_at            timestamptz    NULL,
    status_changed_at    timestamptz    NOT NULL,
    version              integer        NOT NULL,
    last_seq             bigint         NOT NULL,
    last_activity_at     timestamptz    NULL,
    last_touch_at        timestamptz    NULL,
CONSTRAINT pkey_deal_current_deal_id PRIMARY KEY (deal_id)
);

CREATE INDEX ix_deal_current_status ON funnel.deal_current USING btree (pipeline_id, status, stage);

CREATE INDEX ix_deal_current_page ON funnel.deal_current USING btree (pipeline_id, status, deal_id);

CREATE INDEX ix_deal_current_untouched ON funnel.deal_current USING btree (pipeline_id, last_touch_at, deal_id) INCLUDE (owner, team, region, product) WHERE (status = 'open');

CREATE INDEX ix_deal_current_owner ON funnel.deal_current USING btree (pipeline_id, owner);

CREATE INDEX ix_deal_current_closed ON funnel.deal_current USING btree (pipeline_id, closed_at) INCLUDE (status, amount, captured_at, owner, team, region, product) WHERE (status <> 'open');
CREATE TABLE IF NOT EXISTS funnel.stage_counts (
    pipeline_id    text       NOT NULL,
    span           text       NOT NULL,
    bucket         date       NOT NULL,
    stage          text       NOT NULL,
    advanced       boolean    NOT NULL,
    status         text       NOT NULL,
    owner          text       NOT NULL,
    team           text       NOT NULL,
    region         text       NOT NULL,
    product        text       NOT NULL,
    n              bigint     NOT NULL,
CONSTRAINT pkey_stage_counts_pipeline_id_span_bucket_stage_advanced_status_owner_team_region_product PRIMARY KEY (pipeline_id, span, bucket, stage, advanced, status, owner, team, region, product)
) PARTITION BY LIST (span);

CREATE TABLE IF NOT EXISTS funnel.stage_counts_day partition of funnel.stage_counts for values in ('day');

CREATE TABLE IF NOT EXISTS funnel.stage_counts_month partition of funnel.stage_counts for values in ('month');

CREATE TABLE IF NOT EXISTS funnel.stage_counts_year partition of funnel.stage_counts for values in ('year');

CREATE TABLE IF NOT EXISTS funnel.dwell_counts (
    pipeline_id    text       NOT NULL,
    stage          text       NOT NULL,
    day            integer    NOT NULL,
    owner          text       NOT NULL,
    team           text       NOT NULL,
    region         text       NOT NULL,
    product        text       NOT NULL,
    n              bigint     NOT NULL,
    sum_days       numeric    NOT NULL,
CONSTRAINT pkey_dwell_counts_pipeline_id_stage_day_owner_team_region_product PRIMARY KEY (pipeline_id, stage, day, owner, team, region, product)
);
CREATE TABLE IF NOT EXISTS funnel.deal_counts (
    pipeline_id    text       NOT NULL,
    loss_reason    text       NOT NULL,
    status         text       NOT NULL,
    owner          text       NOT NULL,
    team           text       NOT NULL,
    region         text       NOT NULL,
    product        text       NOT NULL,
    n              bigint     NOT NULL,
    amount         numeric    NOT NULL,
CONSTRAINT pkey_deal_counts_pipeline_id_loss_reason_status_owner_team_region_product PRIMARY KEY (pipeline_id, loss_reason, status, owner, team, region, product)
);
CREATE TABLE IF NOT EXISTS funnel.interval_counts (
    pipeline_id     text       NOT NULL,
    span            text       NOT NULL,
    bucket          date       NOT NULL,
    status          text       NOT NULL,
    stage           text       NOT NULL,
    owner           text       NOT NULL,
    team            text       NOT NULL,
    region          text       NOT NULL,
    product         text       NOT NULL,
    n               bigint     NOT NULL,
    amount          numeric    NOT NULL,
    began           bigint     NOT NULL,
    began_amount    numeric    NOT NULL,
    captured        bigint     NOT NULL,
CONSTRAINT pkey_interval_counts_pipeline_id_span_bucket_status_stage_owner_team_region_product PRIMARY KEY (pipeline_id, span, bucket, status, stage, owner, team, region, product)
) PARTITION BY LIST (span);

CREATE TABLE IF NOT EXISTS funnel.interval_counts_day partition of funnel.interval_counts for values in ('day');

CREATE TABLE IF NOT EXISTS funnel.interval_counts_month partition of funnel.interval_counts for values in ('month');

CREATE TABLE IF NOT EXISTS funnel.interval_counts_year partition of funnel.interval_counts for values in ('year');

CREATE TABLE IF NOT EXISTS funnel.open_close_counts (
    pipeline_id    text       NOT NULL,
    span           text       NOT NULL,
    bucket         date       NOT NULL,
    stage          text       NOT NULL,
    owner          text       NOT NULL,
    team           text       NOT NULL,
    close_month    date       NOT NULL,
    n              bigint     NOT NULL,
    amount         numeric    NOT NULL,
CONSTRAINT pkey_open_close_counts_pipeline_id_span_bucket_stage_owner_team_close_month PRIMARY KEY (pipeline_id, span, bucket, stage, owner, team, close_month)
) PARTITION BY LIST (span);

CREATE TABLE IF NOT EXISTS funnel.open_close_counts_day partition of funnel.open_close_counts for values in ('day');

CREATE TABLE IF NOT EXISTS funnel.open_close_counts_month partition of funnel.open_close_counts for values in ('month');

CREATE TABLE IF NOT EXISTS funnel.open_close_counts_year partition of funnel.open_close_counts for values in ('year');

CREATE TABLE IF NOT EXISTS funnel.stage_status_counts (
    pipeline_id    text      NOT NULL,
    span           text      NOT NULL,
    bucket         date      NOT NULL,
    stage          text      NOT NULL,
    status         text      NOT NULL,
    owner          text      NOT NULL,
    team           text      NOT NULL,
    region         text      NOT NULL,
    product        text      NOT NULL,
    n              bigint    NOT NULL,
CONSTRAINT pkey_stage_status_counts_pipeline_id_span_bucket_stage_status_owner_team_region_product PRIMARY KEY (pipeline_id, span, bucket, stage, status, owner, team, region, product)
) PARTITION BY LIST (span);

CREATE TABLE IF NOT EXISTS funnel.stage_status_counts_day partition of funnel.stage_status_counts for values in ('day');

CREATE TABLE IF NOT EXISTS funnel.stage_status_counts_month partition of funnel.stage_status_counts for values in ('month');

CREATE TABLE IF NOT EXISTS funnel.stage_status_counts_year partition of funnel.stage_status_counts for values in ('year');

CREATE TABLE IF NOT EXISTS funnel.counter_calendar (
    id              integer    NOT NULL,
    zone            text       NOT NULL,
    version         integer    NOT NULL,
    counted_from    bigint     NOT NULL,
CONSTRAINT pkey_counter_calendar_id PRIMARY KEY (id)
);
CREATE TABLE IF NOT EXISTS funnel.deal_projection_state (
    deal_id    text     NOT NULL,
    state      jsonb    NOT NULL,
CONSTRAINT pkey_deal_projection_state_deal_id PRIMARY KEY (deal_id)
);
CREATE TABLE IF NOT EXISTS funnel.activities (
    activity_id         text           NOT NULL,
    rep                 text           NOT NULL,
    kind                text           NOT NULL,
    deal_id             text           NULL,
    pipeline_id         text           NULL,
    team                text           NULL,
    account             text           NULL,
    duration_minutes    integer        NULL,
    outcome             text           NULL,
    notes               text           NULL,
    occurred_at         timestamptz    NOT NULL,
    recorded_at         timestamptz    NOT NULL,
    seq                 bigint         NOT NULL,
    stage               text           NULL,
CONSTRAINT pkey_activities_activity_id PRIMARY KEY (activity_id)
);

CREATE INDEX ix_activities_rep ON funnel.activities USING btree (rep, occurred_at);

CREATE INDEX ix_activities_deal ON funnel.activities USING btree (deal_id, occurred_at) INCLUDE (kind, rep) WHERE (deal_id is not null);

CREATE INDEX ix_activities_pipeline ON funnel.activities USING btree (pipeline_id, occurred_at) INCLUDE (rep, kind, deal_id, team, duration_minutes, stage);
CREATE TABLE IF NOT EXISTS funnel.activity_counts (
    pipeline_id    text      NOT NULL,
    span           text      NOT NULL,
    bucket         date      NOT NULL,
    rep            text      NOT NULL,
    team           text      NOT NULL,
    kind           text      NOT NULL,
    n              bigint    NOT NULL,
    minutes        bigint    NOT NULL,
CONSTRAINT pkey_activity_counts_pipeline_id_span_bucket_rep_team_kind PRIMARY KEY (pipeline_id, span, bucket, rep, team, kind)
) PARTITION BY LIST (span);

CREATE TABLE IF NOT EXISTS funnel.activity_counts_day partition of funnel.activity_counts for values in ('day');

CREATE TABLE IF NOT EXISTS funnel.activity_counts_month partition of funnel.activity_counts for values in ('month');

CREATE TABLE IF NOT EXISTS funnel.activity_counts_year partition of funnel.activity_counts for values in ('year');

CREATE TABLE IF NOT EXISTS funnel.effort_counts (
    pipeline_id    text       NOT NULL,
    span           text       NOT NULL,
    bucket         date       NOT NULL,
    stage          text       NOT NULL,
    advanced       boolean    NOT NULL,
    worked         boolean    NOT NULL,
    kind           text       NOT NULL,
    owner          text       NOT NULL,
    team           text       NOT NULL,
    region         text       NOT NULL,
    product        text       NOT NULL,
    n              bigint     NOT NULL,
CONSTRAINT pkey_effort_counts_pipeline_id_span_bucket_stage_advanced_worked_kind_owner_team_region_product PRIMARY KEY (pipeline_id, span, bucket, stage, advanced, worked, kind, owner, team, region, product)
) PARTITION BY LIST (span);

CREATE TABLE IF NOT EXISTS funnel.effort_counts_day partition of funnel.effort_counts for values in ('day');

CREATE TABLE IF NOT EXISTS funnel.effort_counts_month partition of funnel.effort_counts for values in ('month');

CREATE TABLE IF NOT EXISTS funnel.effort_counts_year partition of funnel.effort_counts for values in ('year');

CREATE TABLE IF NOT EXISTS funnel.effort_dated_counts (
    pipeline_id    text       NOT NULL,
    span           text       NOT NULL,
    bucket         date       NOT NULL,
    stage          text       NOT NULL,
    advanced       boolean    NOT NULL,
    worked         boolean    NOT NULL,
    kind           text       NOT NULL,
    owner          text       NOT NULL,
    team           text       NOT NULL,
    region         text       NOT NULL,
    product        text       NOT NULL,
    n              bigint     NOT NULL,
CONSTRAINT pkey_effort_dated_counts_pipeline_id_span_bucket_stage_advanced_worked_kind_owner_team_region_product PRIMARY KEY (pipeline_id, span, bucket, stage, advanced, worked, kind, owner, team, region, product)
) PARTITION BY LIST (span);

CREATE TABLE IF NOT EXISTS funnel.effort_dated_counts_day partition of funnel.effort_dated_counts for values in ('day');

CREATE TABLE IF NOT EXISTS funnel.effort_dated_counts_month partition of funnel.effort_dated_counts for values in ('month');

CREATE TABLE IF NOT EXISTS funnel.effort_dated_counts_year partition of funnel.effort_dated_counts for values in ('year');

CREATE TABLE IF NOT EXISTS funnel.advance_counts (
    pipeline_id    text       NOT NULL,
    span           text       NOT NULL,
    bucket         date       NOT NULL,
    stage          text       NOT NULL,
    lag_days       integer    NOT NULL,
    owner          text       NOT NULL,
    team           text       NOT NULL,
    region         text       NOT NULL,
    product        text       NOT NULL,
    n              bigint     NOT NULL,
CONSTRAINT pkey_advance_counts_pipeline_id_span_bucket_stage_lag_days_owner_team_region_product PRIMARY KEY (pipeline_id, span, bucket, stage, lag_days, owner, team, region, product)
) PARTITION BY LIST (span);

CREATE TABLE IF NOT EXISTS funnel.advance_counts_day partition of funnel.advance_counts for values in ('day');

CREATE TABLE IF NOT EXISTS funnel.advance_counts_month partition of funnel.advance_counts for values in ('month');

CREATE TABLE IF NOT EXISTS funnel.advance_counts_year partition of funnel.advance_counts for values in ('year');


CREATE INDEX ix_advance_counts_owner ON funnel.advance_counts USING btree (pipeline_id, owner, stage);
CREATE TABLE IF NOT EXISTS funnel.close_counts (
    pipeline_id     text       NOT NULL,
    span            text       NOT NULL,
    bucket          date       NOT NULL,
    status          text       NOT NULL,
    owner           text       NOT NULL,
    team            text       NOT NULL,
    region          text       NOT NULL,
    product         text       NOT NULL,
    n               bigint     NOT NULL,
    amount          numeric    NOT NULL,
    cycle_micros    bigint     NOT NULL,
CONSTRAINT pkey_close_counts_pipeline_id_span_bucket_status_owner_team_region_product PRIMARY KEY (pipeline_id, span, bucket, status, owner, team, region, product)
) PARTITION BY LIST (span);

CREATE TABLE IF NOT EXISTS funnel.close_counts_day partition of funnel.close_counts for values in ('day');

CREATE TABLE IF NOT EXISTS funnel.close_counts_month partition of funnel.close_counts for values in ('month');

CREATE TABLE IF NOT EXISTS funnel.close_counts_year partition of funnel.close_counts for values in ('year');

CREATE TABLE IF NOT EXISTS funnel.open_stay_counts (
    pipeline_id    text      NOT NULL,
    span           text      NOT NULL,
    bucket         date      NOT NULL,
    stage          text      NOT NULL,
    owner          text      NOT NULL,
    team           text      NOT NULL,
    region         text      NOT NULL,
    product        text      NOT NULL,
    n              bigint    NOT NULL,
CONSTRAINT pkey_open_stay_counts_pipeline_id_span_bucket_stage_owner_team_region_product PRIMARY KEY (pipeline_id, span, bucket, stage, owner, team, region, product)
) PARTITION BY LIST (span);

CREATE TABLE IF NOT EXISTS funnel.open_stay_counts_day partition of funnel.open_stay_counts for values in ('day');

CREATE TABLE IF NOT EXISTS funnel.open_stay_counts_month partition of funnel.open_stay_counts for values in ('month');

CREATE TABLE IF NOT EXISTS funnel.open_stay_counts_year partition of funnel.open_stay_counts for values in ('year');

CREATE TABLE IF NOT EXISTS funnel.open_touch_counts (
    pipeline_id    text      NOT NULL,
    span           text      NOT NULL,
    bucket         date      NOT NULL,
    owner          text      NOT NULL,
    team           text      NOT NULL,
    region         text      NOT NULL,
    product        text      NOT NULL,
    n              bigint    NOT NULL,
CONSTRAINT pkey_open_touch_counts_pipeline_id_span_bucket_owner_team_region_product PRIMARY KEY (pipeline_id, span, bucket, owner, team, region, product)
) PARTITION BY LIST (span);

CREATE TABLE IF NOT EXISTS funnel.open_touch_counts_day partition of funnel.open_touch_counts for values in ('day');

CREATE TABLE IF NOT EXISTS funnel.open_touch_counts_month partition of funnel.open_touch_counts for values in ('month');

CREATE TABLE IF NOT EXISTS funnel.open_touch_counts_year partition of funnel.open_touch_counts for values in ('year');

CREATE TABLE IF NOT EXISTS funnel.handover_counts (
    pipeline_id    text       NOT NULL,
    span           text       NOT NULL,
    bucket         date       NOT NULL,
    n              bigint     NOT NULL,
    amount         numeric    NOT NULL,
CONSTRAINT pkey_handover_counts_pipeline_id_span_bucket PRIMARY KEY (pipeline_id, span, bucket)
) PARTITION BY LIST (span);

CREATE TABLE IF NOT EXISTS funnel.handover_counts_day partition of funnel.handover_counts for values in ('day');

CREATE TABLE IF NOT EXISTS funnel.handover_counts_month partition of funnel.handover_counts for values in ('month');

CREATE TABLE IF NOT EXISTS funnel.handover_counts_year partition of funnel.handover_counts for values in ('year');

CREATE TABLE IF NOT EXISTS funnel.rep_day_deals (
    pipeline_id    text      NOT NULL,
    day            date      NOT NULL,
    rep            text      NOT NULL,
    n              bigint    NOT NULL,
CONSTRAINT pkey_rep_day_deals_pipeline_id_day_rep PRIMARY KEY (pipeline_id, day, rep)
);
CREATE TABLE IF NOT EXISTS funnel.rep_day_moves (
    rep       text       NOT NULL,
    day       date       NOT NULL,
    move      text       NOT NULL,
    n         bigint     NOT NULL,
    amount    numeric    NOT NULL,
CONSTRAINT pkey_rep_day_moves_rep_day_move PRIMARY KEY (rep, day, move)
);
CREATE TABLE IF NOT EXISTS funnel.known_interval_counts (
    pipeline_id    text       NOT NULL,
    span           text       NOT NULL,
    bucket         date       NOT NULL,
    status         text       NOT NULL,
    stage          text       NOT NULL,
    owner          text       NOT NULL,
    team           text       NOT NULL,
    region         text       NOT NULL,
    product        text       NOT NULL,
    n              bigint     NOT NULL,
    amount         numeric    NOT NULL,
CONSTRAINT pkey_known_interval_counts_pipeline_id_span_bucket_status_stage_owner_team_region_product PRIMARY KEY (pipeline_id, span, bucket, status, stage, owner, team, region, product)
) PARTITION BY LIST (span);

CREATE TABLE IF NOT EXISTS funnel.known_interval_counts_day partition of funnel.known_interval_counts for values in ('day');

CREATE TABLE IF NOT EXISTS funnel.known_interval_counts_month partition of funnel.known_interval_counts for values in ('month');

CREATE TABLE IF NOT EXISTS funnel.known_interval_counts_year partition of funnel.known_interval_counts for values in ('year');

CREATE TABLE IF NOT EXISTS funnel.dwell_hour_counts (
    pipeline_id    text       NOT NULL,
    stage          text       NOT NULL,
    hour           integer    NOT NULL,
    owner          text       NOT NULL,
    team           text       NOT NULL,
    region         text       NOT NULL,
    product        text       NOT NULL,
    n              bigint     NOT NULL,
CONSTRAINT pkey_dwell_hour_counts_pipeline_id_stage_hour_owner_team_region_product PRIMARY KEY (pipeline_id, stage, hour, owner, team, region, product)
);

CREATE INDEX ix_dwell_hour_counts_read ON funnel.dwell_hour_counts USING btree (pipeline_id, stage, hour) INCLUDE (owner, team, region, product, n);
CREATE TABLE IF NOT EXISTS funnel.dwell_totals (
    pipeline_id    text       NOT NULL,
    stage          text       NOT NULL,
    day            integer    NOT NULL,
    n              bigint     NOT NULL,
    sum_days       numeric    NOT NULL,
CONSTRAINT pkey_dwell_totals_pipeline_id_stage_day PRIMARY KEY (pipeline_id, stage, day)
);
CREATE TABLE IF NOT EXISTS funnel.dwell_hour_totals (
    pipeline_id    text       NOT NULL,
    stage          text       NOT NULL,
    hour           integer    NOT NULL,
    n              bigint     NOT NULL,
CONSTRAINT pkey_dwell_hour_totals_pipeline_id_stage_hour PRIMARY KEY (pipeline_id, stage, hour)
);
CREATE TABLE IF NOT EXISTS funnel.effort_dated_totals (
    pipeline_id    text       NOT NULL,
    span           text       NOT NULL,
    bucket         date       NOT NULL,
    stage          text       NOT NULL,
    advanced       boolean    NOT NULL,
    worked         boolean    NOT NULL,
    kind           text       NOT NULL,
    n              bigint     NOT NULL,
CONSTRAINT pkey_effort_dated_totals_pipeline_id_span_bucket_stage_advanced_worked_kind PRIMARY KEY (pipeline_id, span, bucket, stage, advanced, worked, kind)
) PARTITION BY LIST (span);

CREATE TABLE IF NOT EXISTS funnel.effort_dated_totals_day partition of funnel.effort_dated_totals for values in ('day');

CREATE TABLE IF NOT EXISTS funnel.effort_dated_totals_month partition of funnel.effort_dated_totals for values in ('month');

CREATE TABLE IF NOT EXISTS funnel.effort_dated_totals_year partition of funnel.effort_dated_totals for values in ('year');

CREATE TABLE IF NOT EXISTS funnel.touch_spans (
    deal_id        text           NOT NULL,
    valid_from     timestamptz    NOT NULL,
    pipeline_id    text           NOT NULL,
    touched_at     timestamptz    NOT NULL,
    worked         boolean        NOT NULL,
    valid_to       timestamptz    NOT NULL,
    touch_day      date           NOT NULL,
CONSTRAINT pkey_touch_spans_deal_id_valid_from PRIMARY KEY (deal_id, valid_from)
);

CREATE INDEX ix_touch_spans_day ON funnel.touch_spans USING btree (pipeline_id, touch_day, valid_to) INCLUDE (valid_from, touched_at, worked);
CREATE TABLE IF NOT EXISTS funnel.touch_span_counts (
    pipeline_id    text      NOT NULL,
    touch_day      date      NOT NULL,
    day            date      NOT NULL,
    n              bigint    NOT NULL,
CONSTRAINT pkey_touch_span_counts_pipeline_id_touch_day_day PRIMARY KEY (pipeline_id, touch_day, day)
);
CREATE TABLE IF NOT EXISTS funnel.open_span_counts (
    pipeline_id    text      NOT NULL,
    span           text      NOT NULL,
    bucket         date      NOT NULL,
    n              bigint    NOT NULL,
CONSTRAINT pkey_open_span_counts_pipeline_id_span_bucket PRIMARY KEY (pipeline_id, span, bucket)
) PARTITION BY LIST (span);

CREATE TABLE IF NOT EXISTS funnel.open_span_counts_day partition of funnel.open_span_counts for values in ('day');

CREATE TABLE IF NOT EXISTS funnel.open_span_counts_month partition of funnel.open_span_counts for values in ('month');

CREATE TABLE IF NOT EXISTS funnel.open_span_counts_year partition of funnel.open_span_counts for values in ('year');

CREATE TABLE IF NOT EXISTS funnel.open_stay_totals (
    pipeline_id    text      NOT NULL,
    span           text      NOT NULL,
    bucket         date      NOT NULL,
    stage          text      NOT NULL,
    n              bigint    NOT NULL,
CONSTRAINT pkey_open_stay_totals_pipeline_id_span_bucket_stage PRIMARY KEY (pipeline_id, span, bucket, stage)
) PARTITION BY LIST (span);

CREATE TABLE IF NOT EXISTS funnel.open_stay_totals_day partition of funnel.open_stay_totals for values in ('day');

CREATE TABLE IF NOT EXISTS funnel.open_stay_totals_month partition of funnel.open_stay_totals for values in ('month');

CREATE TABLE IF NOT EXISTS funnel.open_stay_totals_year partition of funnel.open_stay_totals for values in ('year');

CREATE TABLE IF NOT EXISTS funnel.mt_high_water_skips (
    ending_sequence      bigint                      NOT NULL,
    starting_sequence    bigint                      NOT NULL,
    timestamp            timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
CONSTRAINT pkey_mt_high_water_skips_ending_sequence PRIMARY KEY (ending_sequence)
);
CREATE
OR REPLACE FUNCTION funnel.mt_mark_progression_with_skip(shard_name varchar, ending_sequence bigint, starting_sequence bigint) RETURNS bigint AS
$$
DECLARE
    current_value bigint;
BEGIN
    select last_seq_id into current_value from funnel.mt_event_progression where name = shard_name;

    IF current_value is null then
        -- Bootstrap the high-water row on first invocation. Previously this branch
        -- returned 0, which left HighWaterAgent.CheckNowAsync polling forever because
        -- statistics.CurrentMark never advanced. Issue #4425.
        INSERT INTO funnel.mt_event_progression (name, last_seq_id, last_updated)
        VALUES (shard_name, ending_sequence, transaction_timestamp())
        ON CONFLICT ON CONSTRAINT pk_mt_event_progression
            DO UPDATE SET last_seq_id = ending_sequence, last_updated = transaction_timestamp();
        IF ending_sequence > starting_sequence THEN
            -- Idempotent: a rebuild/replay re-marks the same skip (ending_sequence is the
            -- PK). Re-recording an existing gap is a no-op. Conflict target is the PK
            -- constraint (the bare column name collides with the function parameter). #4530.
            insert into funnel.mt_high_water_skips (ending_sequence, starting_sequence) values (ending_sequence, starting_sequence)
                on conflict on constraint pkey_mt_high_water_skips_ending_sequence do nothing;
        END IF;
        return ending_sequence;
    ELSIF current_value = starting_sequence THEN
        update funnel.mt_event_progression SET last_seq_id = ending_sequence, last_updated = transaction_timestamp() where shard_name = name;
        insert into funnel.mt_high_water_skips (ending_sequence, starting_sequence) values (ending_sequence, starting_sequence)
            on conflict on constraint pkey_mt_high_water_skips_ending_sequence do nothing;
        return ending_sequence;
    ELSE
        return current_value;
    END IF;
END
$$
LANGUAGE plpgsql;


CREATE INDEX IF NOT EXISTS idx_mt_events_tenant_seq ON funnel.mt_events (tenant_id, seq_id);
