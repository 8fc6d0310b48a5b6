"""The stored team figures now keep the demands raised on the team's records by kind and by topic, and the
year totals their sum (the dashboard's 诉求热点, liaison/compliance/figures.py raised_counts), instead of the
dashboard counting a year's demands across a million records after every write. Figures stored before hold
none: every team's are marked out of date and the year totals dropped, so the next read computes them all
again (as after a bulk load) and rebuilds the totals from them. The columns have a database default so that
an app server still running the previous release can store figures while the others are upgraded."""

from django.db import migrations, models


def recompute_everything(apps, schema_editor):
    apps.get_model("liaison", "TeamFigures").objects.update(computed_version=-1)
    apps.get_model("liaison", "YearFigures").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("liaison", "0019_demand_assigned_record_proposals")]

    operations = [
        migrations.AddField(
            model_name="teamfigures",
            name="raised",
            field=models.JSONField(db_default={}, default=dict, verbose_name="提出的诉求"),
        ),
        migrations.AddField(
            model_name="yearfigures",
            name="raised",
            field=models.JSONField(db_default={}, default=dict, verbose_name="提出的诉求"),
        ),
        migrations.RunPython(recompute_everything, migrations.RunPython.noop),
    ]
