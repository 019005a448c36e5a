"""On PostgreSQL, one function takes the log's lock, checks idempotency keys and stream versions,
and inserts an append's events: one round trip per append instead of four.

It writes nothing unless every check passes, and reports instead of raising, so a caller that
catches a conflict keeps a usable transaction. Each statement in a VOLATILE plpgsql function
takes a fresh snapshot, so the checks after the LOCK see every append committed before it.
"""

from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION ledger_append(
    p_stream_types text[], p_stream_ids uuid[], p_versions integer[], p_types text[],
    p_schema_versions integer[], p_data jsonb[], p_keys text[], p_metadata jsonb,
    p_recorded_at timestamptz, p_heads uuid[], p_expected integer[], p_first_keys text[]
) RETURNS TABLE (outcome text, stream_id uuid, value bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_last bigint;
    v_conflicts integer := 0;
    v_row record;
BEGIN
    LOCK TABLE ledger_event IN EXCLUSIVE MODE;
    IF EXISTS (SELECT 1 FROM ledger_replay_checkpoint) THEN
        -- a rebuild is unfinished: it will project these events when it resumes
        RETURN QUERY SELECT 'rebuilding'::text, NULL::uuid, 0::bigint;
    END IF;
    IF cardinality(p_first_keys) > 0 AND EXISTS (
        SELECT 1 FROM ledger_event e WHERE e.idempotency_key = ANY (p_first_keys)
    ) THEN
        RETURN QUERY SELECT 'stored'::text, NULL::uuid, 0::bigint;
        RETURN;
    END IF;
    FOR v_row IN
        SELECT h.sid, h.expected,
               COALESCE((SELECT max(e.version) FROM ledger_event e WHERE e.stream_id = h.sid), 0)
                   AS actual
        FROM unnest(p_heads, p_expected) AS h(sid, expected)
    LOOP
        IF v_row.actual <> v_row.expected THEN
            v_conflicts := v_conflicts + 1;
            RETURN QUERY SELECT 'conflict'::text, v_row.sid, v_row.actual::bigint;
        END IF;
    END LOOP;
    IF v_conflicts > 0 THEN
        RETURN;
    END IF;
    SELECT COALESCE(max(e.position), 0) INTO v_last FROM ledger_event e;
    INSERT INTO ledger_event (position, stream_type, stream_id, version, type, schema_version,
                              data, metadata, idempotency_key, recorded_at)
    SELECT v_last + x.n, x.stream_type, x.stream_id, x.version, x.type, x.schema_version,
           x.data, p_metadata, x.idempotency_key, p_recorded_at
    FROM unnest(p_stream_types, p_stream_ids, p_versions, p_types, p_schema_versions, p_data,
                p_keys) WITH ORDINALITY
         AS x(stream_type, stream_id, version, type, schema_version, data, idempotency_key, n);
    RETURN QUERY SELECT 'ok'::text, NULL::uuid, v_last + 1;
END
$$;
"""
DROP = """
DROP FUNCTION IF EXISTS ledger_append(
    text[], uuid[], integer[], text[], integer[], jsonb[], text[], jsonb, timestamptz, uuid[],
    integer[], text[]
);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_edition_index")]
    operations = [
        migrations.CreateModel(
            name="ReplayCheckpoint",
            fields=[
                ("name", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("position", models.BigIntegerField()),
                (
                    "last_position",
                    models.BigIntegerField(help_text="The log's end when the rebuild started."),
                ),
                ("started_at", models.DateTimeField()),
            ],
            options={"db_table": "ledger_replay_checkpoint"},
        ),
        migrations.RunPython(forwards, backwards),
    ]
