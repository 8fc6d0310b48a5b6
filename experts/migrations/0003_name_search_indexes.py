"""Trigram indexes for the scientist search on PostgreSQL (100,000 rows: a sequential scan per keystroke).

Each index covers a column with every character doubled, the expression common.pinyin.DoubledContains
queries (written out here so that this migration does not change if that code does), so that two-character
queries such as 郭建 find trigrams too. pg_trgm ships with PostgreSQL and is a trusted extension (13+): the
database owner may create it. SQLite and other databases get nothing: their search stays a scan, and the
indexes are not declared in Meta, so `makemigrations` sees no change on any database.
"""

from django.db import migrations

COLUMNS = ("name", "name_pinyin", "name_initials")


def create_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS scientist_{column}_grams ON experts_scientist "
            f"USING gin ((regexp_replace({column}::text, '(.)', '\\1\\1', 'g')) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS scientist_{column}_grams")


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0002_lunar_birthday"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
