from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = "联系工作"

    def ready(self) -> None:
        # connects the receivers that keep the stored team figures current
        from liaison.compliance import signals  # noqa: F401

        # writes the view log when a page or an export below liaison shows personal data
        from liaison.privacy import log  # noqa: F401
