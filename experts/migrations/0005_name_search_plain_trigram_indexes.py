"""Trigram indexes on the scientist name columns as they are, beside the doubled ones of 0003 (issue 17 §6).

A query of three characters or more ("wang", "zhang", 郭建华) has trigrams of its own, so it is matched
against the columns themselves (common.pinyin.DoubledContains): checking a candidate row is then a plain
ILIKE instead of an ILIKE over regexp_replace, which cost ~3 µs a row and made a common surname's search
check ~8,000–25,000 rows for 60–500 ms at 100,000 scientists (bench/results.md). The doubled indexes still
serve two-character queries. PostgreSQL only, as in 0003; nothing is declared in Meta.
"""

from django.db import migrations

COLUMNS = ("name", "name_pinyin", "name_initials")


def create_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS scientist_{column}_trgm ON experts_scientist "
            f"USING gin ({column} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS scientist_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0004_versions"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
