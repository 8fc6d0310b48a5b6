# The stored figures moved to liaison.compliance (liaison 0008 takes them over): the state forgets them
# here, the tables and their rows stay where they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_team_figures'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='TeamFigures'),
                migrations.DeleteModel(name='YearFigures'),
            ],
            database_operations=[],
        ),
    ]
