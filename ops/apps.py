from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the system: backups that restore and the health check (docs/deployment.md)."""

    name = "ops"
    verbose_name = "运维"
