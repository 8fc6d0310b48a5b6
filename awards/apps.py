from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = "举荐与表彰"

    def ready(self) -> None:
        # 举荐与表彰 on the scientist's page: experts sends the signal, knowing nothing of awards
        from awards.merging import refuse_losing_a_further_nomination
        from awards.sections import scientist_awards
        from experts.signals import scientist_page_sections, scientists_merging

        scientist_page_sections.connect(scientist_awards, dispatch_uid="awards.scientist")
        # a merge of two nominated records must not drop the nomination that went further
        scientists_merging.connect(refuse_losing_a_further_nomination, dispatch_uid="awards.merging")
