from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo city (辽川市科协) and the benchmark data: `seed_demo`, `demo_workbook`. No models."""

    name = "demo"
    verbose_name = "演示数据"
