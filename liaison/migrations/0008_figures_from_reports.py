# TeamFigures and YearFigures, defined in liaison.compliance now, over the tables reports 0002 created
# (reports_teamfigures, reports_yearfigures): only Django's state changes, no row moves.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('liaison', '0007_demand_list_order'),
        ('reports', '0003_figures_move_to_liaison'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='TeamFigures',
                    fields=[
                        ('team', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='figures', serialize=False, to='liaison.team', verbose_name='专班')),
                        ('version', models.PositiveBigIntegerField(default=0, verbose_name='数据版本')),
                        ('computed_version', models.BigIntegerField(default=-1, verbose_name='统计所据版本')),
                        ('computed_at', models.DateTimeField(null=True, verbose_name='统计时间')),
                        ('assigned', models.PositiveIntegerField(default=0, verbose_name='联系对象数')),
                        ('uncontacted', models.PositiveIntegerField(default=0, verbose_name='全年未联系的对象数')),
                        ('visits', models.PositiveIntegerField(default=0, verbose_name='下基层次数')),
                        ('visits_short', models.BooleanField(default=False, verbose_name='下基层不足')),
                        ('scientists', models.PositiveIntegerField(default=0, verbose_name='在册科技工作者数')),
                        ('spring_greeted', models.PositiveIntegerField(default=0, verbose_name='春节已慰问人数')),
                        ('workers_day_greeted', models.PositiveIntegerField(default=0, verbose_name='科技工作者日已慰问人数')),
                        ('open_demands', models.PositiveIntegerField(default=0, verbose_name='待办诉求数')),
                        ('compliant', models.BooleanField(default=False, verbose_name='达标')),
                        ('shortfalls', models.JSONField(default=list, verbose_name='未达标事项')),
                        ('counts', models.JSONField(default=dict, verbose_name='统计数据')),
                        ('records', models.JSONField(default=dict, verbose_name='每月联系记录')),
                        ('days_to_close', models.JSONField(default=dict, verbose_name='诉求办结用时')),
                    ],
                    options={
                        'verbose_name': '专班统计',
                        'verbose_name_plural': '专班统计',
                        'db_table': 'reports_teamfigures',
                    },
                ),
                migrations.CreateModel(
                    name='YearFigures',
                    fields=[
                        ('year', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='figures', serialize=False, to='liaison.year', verbose_name='年度')),
                        ('team_rows', models.PositiveIntegerField(default=0, verbose_name='所含专班数')),
                        ('version_sum', models.BigIntegerField(default=0, verbose_name='所含统计版本之和')),
                        ('records', models.JSONField(default=dict, verbose_name='每月联系记录')),
                        ('demands', models.JSONField(default=dict, verbose_name='诉求')),
                        ('days_to_close', models.JSONField(default=dict, verbose_name='诉求办结用时')),
                    ],
                    options={
                        'verbose_name': '年度统计',
                        'verbose_name_plural': '年度统计',
                        'db_table': 'reports_yearfigures',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
