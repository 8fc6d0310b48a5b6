"""One index fewer on the records and two fewer on their participants: each led by a column that a composite
index already leads with, so no query needs it, while every record written (a save, a 100,000-row import)
maintains it (docs/performance.md, "The sixth round").

- liaison_contactrecord.team_id: record_team_date (team_id, date) leads with it;
- the participants' link table (the one Django creates for ContactRecord.participants, so not declared on a
  model; 0006 created participant_staff_record the same way): contactrecord_id alone, led by the unique
  (contactrecord_id, staff_id), and staff_id alone, led by participant_staff_record (staff_id,
  contactrecord_id). Found by introspection, as Django named them; recreated on the way back.
"""

import django.db.models.deletion
from django.db import migrations, models

LINK_COLUMNS = ("contactrecord_id", "staff_id")


def _link_table(apps, schema_editor):
    record = apps.get_model("liaison", "ContactRecord")
    return record._meta.get_field("participants").remote_field.through._meta.db_table


def drop_single_column_indexes(apps, schema_editor) -> None:
    table = _link_table(apps, schema_editor)
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
    for name, info in constraints.items():
        if (
            info["index"]
            and not info["unique"]
            and not info["primary_key"]
            and info["columns"] in ([column] for column in LINK_COLUMNS)
        ):
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def create_single_column_indexes(apps, schema_editor) -> None:
    table = _link_table(apps, schema_editor)
    quote = schema_editor.quote_name
    for column in LINK_COLUMNS:
        name = schema_editor._create_index_name(table, [column])
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} ({quote(column)})")


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0024_planned_contacts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="contactrecord",
            name="team",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="records",
                to="liaison.team",
                verbose_name="专班",
            ),
        ),
        migrations.RunPython(drop_single_column_indexes, create_single_column_indexes, elidable=False),
    ]
