"""Demo of the duty report's text (述职正文): 赵磊 (the demo staff login zhaolei) has kept his, started from the
draft of his figures with a sentence and a self-assessment of his own; everyone else's report still shows the
draft. Written through reports/duty/narrative.py. Idempotent: nothing is written when his text exists already.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from demo.data import DEMO_LOGINS
from liaison.models import Year
from liaison.people.access import Role
from reports.duty.models import DutyNarrative
from reports.duty.narrative import narrative_save
from reports.duty.services import duty_report

ADDED = "结合科普部工作，把联系科技工作者与科普进基层结合起来，邀请联系的专家参加科普讲座。"
ASSESSMENT = (
    "本年度能按专班分工联系科技工作者，及时登记联系记录。不足是走访基层的次数还不够多，"
    "对诉求的跟踪还不够及时。明年将按季度安排下基层，诉求做到件件有回音。"
)


def seed_demo_narratives(*, year: int) -> str:
    """One kept text for the year; a line for the seed's output."""
    the_year = Year.objects.filter(year=year).first()
    user = get_user_model().objects.filter(username=DEMO_LOGINS[Role.STAFF]).select_related("staff").first()
    staff = getattr(user, "staff", None) if user is not None else None
    if the_year is None or staff is None:
        return f"{year} 年度述职正文：未找到演示人员，跳过"
    if DutyNarrative.objects.filter(staff=staff, year=the_year).exists():
        return f"{year} 年度述职正文：已有，未改动"
    draft = duty_report(staff, the_year).draft
    narrative_save(
        narrative=DutyNarrative(
            staff=staff, year=the_year, text=f"{draft}\n{ADDED}", self_assessment=ASSESSMENT
        ),
        draft=draft,
        adopted=False,
        by=user,
    )
    return f"{year} 年度述职正文：{staff.name} 已保存 1 份，其余人员显示自动生成的草稿"
