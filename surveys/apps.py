from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "科技工作者状况调查"

    def ready(self) -> None:
        # the questionnaires on a contact record's page (liaison sends the signals, knowing nothing of surveys)
        from liaison.contacts.signals import record_page_sections
        from liaison.plan.signals import team_page_sections
        from surveys.sections import record_surveys, team_surveys

        record_page_sections.connect(record_surveys, dispatch_uid="surveys.record_section")
        # the team's progress on the team's page
        team_page_sections.connect(team_surveys, dispatch_uid="surveys.team_section")
