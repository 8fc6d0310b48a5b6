"""Demand.team: the record's team, copied, so the stored figures find a few teams' demands by index."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_teams(apps, schema_editor):
    Demand = apps.get_model("liaison", "Demand")
    ContactRecord = apps.get_model("liaison", "ContactRecord")
    Demand.objects.update(
        team_id=Subquery(ContactRecord.objects.filter(pk=OuterRef("record_id")).values("team_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0021_plan_version_and_fewer_target_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="demand",
            name="team",
            field=models.ForeignKey(
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="liaison.team",
                verbose_name="专班",
            ),
        ),
        migrations.RunPython(copy_teams, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="demand",
            name="team",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="liaison.team",
                verbose_name="专班",
            ),
        ),
    ]
