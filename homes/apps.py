from django.apps import AppConfig


class HomesConfig(AppConfig):
    name = "homes"
    verbose_name = "科技工作者之家"

    def ready(self) -> None:
        from homes.sections import organization_home_section
        from liaison.filing.scope import open_to_grassroots
        from orgs.signals import organization_page_sections

        organization_page_sections.connect(organization_home_section, dispatch_uid="homes.organization")
        # a grassroots account fills in its own organisation's checklist (the views check the organisation)
        open_to_grassroots(
            "homes:organization", "homes:check_edit", "homes:evidence", "homes:evidence_delete"
        )
