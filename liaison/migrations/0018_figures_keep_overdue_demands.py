"""The stored team figures now keep each kind's overdue demands ([open, closed, overdue]) and say they are
dated while an open demand is still to fall due (liaison/compliance/team_figures.py). Figures stored before
hold two counts: every team's are marked out of date and the year totals dropped, so the next read computes
them all again (as after a bulk load) and rebuilds the totals from them."""

from django.db import migrations


def recompute_everything(apps, schema_editor):
    apps.get_model("liaison", "TeamFigures").objects.update(computed_version=-1)
    apps.get_model("liaison", "YearFigures").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("liaison", "0017_staff_active_order")]

    operations = [migrations.RunPython(recompute_everything, migrations.RunPython.noop)]
