"""The dashboard's demands: every count opens the demand list holding exactly those demands; 最新诉求 and
诉求热点 (by kind and by topic, this year against last) against counts worked out by hand.

One lead, 王主席, with a team in 2025 and in 2026:

2025 — record R1 (联系内容: 宣传政策, 了解困难): D1 困难诉求, still pending, due 1 March 2025 (carried over
into 2026, overdue); D2 意见建议, done. Record R2 (建言献策): D3 意见建议, done.
2026 — record R3 (了解困难): D4 困难诉求, pending, no due date; D5 项目合作, in progress, due 15 January 2026
(overdue). Record R4 (了解困难, 科研合作): D6 项目合作, done. A deleted record R5 (宣传政策) with D7 举荐表彰:
counts for nothing.

By hand, 2026's figures (raised in 2026, plus the open ones carried over): open D4 D5 D1 = 3, overdue D5 D1 = 2,
closed D6 = 1; 困难诉求 open D4 D1 = 2. Raised in 2026 by kind: 项目合作 2, 困难诉求 1, 意见建议 0, 举荐表彰 0;
in 2025: 困难诉求 1, 意见建议 2. By topic in 2026: 了解困难 3 (D4 D5 D6), 科研合作 1 (D6); in 2025: 宣传政策 2
(D1 D2), 了解困难 2 (D1 D2), 建言献策 1 (D3).
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from liaison.contacts import services as contacts
from reports.dashboard.services import hot_topics, latest_demands
from tests.conftest import count_queries
from tests.liaison.contacts.factories import log, raise_demand
from tests.liaison.plan.factories import make_leader, make_team, make_year, org

pytestmark = pytest.mark.django_db

D = datetime.date
DEMANDS = "/liaison/demands/"


def close(demand, user, day):
    contacts.demand_act(demand=demand, kind="reply", by=user, text="已办结", status="done", date=day)


@pytest.fixture
def data(dept_staff):
    user = dept_staff.user
    wang = make_leader("王主席", "wangzhuxi")
    y25, y26 = make_year(2025), make_year(2026)
    t25 = make_team(y25, wang, members=[dept_staff])
    t26 = make_team(y26, wang, members=[dept_staff])
    target = org(name="学会甲")
    r1 = log(t25, dept_staff, [target], day=D(2025, 2, 1), topics=["policy", "difficulties"])
    raise_demand(r1, user, kind="difficulty", text="D1 用房紧张", due_date=D(2025, 3, 1))
    d2 = raise_demand(r1, user, kind="suggestion", text="D2 建议简化申报")
    close(d2, user, D(2025, 3, 1))
    r2 = log(t25, dept_staff, [target], day=D(2025, 4, 1), topics=["advice"])
    close(raise_demand(r2, user, kind="suggestion", text="D3 建议设立基金"), user, D(2025, 5, 1))
    r3 = log(t26, dept_staff, [target], day=D(2026, 2, 1), topics=["difficulties"])
    raise_demand(r3, user, kind="difficulty", text="D4 子女入学")
    d5 = raise_demand(r3, user, kind="cooperation", text="D5 联合攻关", due_date=D(2026, 1, 15))
    contacts.demand_act(demand=d5, kind="progress", by=user, text="正在对接", date=D(2026, 2, 2))
    r4 = log(t26, dept_staff, [target], day=D(2026, 3, 1), topics=["difficulties", "cooperation"])
    close(raise_demand(r4, user, kind="cooperation", text="D6 成果转化"), user, D(2026, 3, 5))
    r5 = log(t26, dept_staff, [target], day=D(2026, 3, 2), topics=["policy"])
    raise_demand(r5, user, kind="commendation", text="D7 推荐表彰")
    contacts.record_delete(record=r5, reason="重复录入", by=user)
    return {"y25": y25, "y26": y26, "t25": t25, "t26": t26, "r3": r3, "target": target, "staff": dept_staff}


def texts(client, params) -> list[str]:
    page = client.get(DEMANDS, params).context["page"]
    return sorted(d.text[:2] for d in page.paginator.object_list)


def test_every_demand_figure_equals_the_rows_of_its_list(leader_client, data):
    response = leader_client.get(reverse("reports:dashboard"), {"year": 2026})
    board = response.context["board"]
    assert board.demand_totals == {"open": 3, "overdue": 2, "closed": 1}
    assert texts(leader_client, {"year": 2026, "state": "open"}) == ["D1", "D4", "D5"]
    assert texts(leader_client, {"year": 2026, "state": "overdue"}) == ["D1", "D5"]
    assert texts(leader_client, {"year": 2026, "state": "closed"}) == ["D6"]
    for kind, counts in board.demand_counts.items():
        for state, n in counts.items():
            listed = leader_client.get(DEMANDS, {"year": 2026, "kind": kind, "state": state})
            assert listed.context["page"].paginator.count == n, (kind, state)
    assert board.demand_counts["difficulty"]["open"] == 2
    html = response.content.decode()
    assert 'href="/liaison/demands/?year=2026&amp;state=open" data-testid="stat-open">3</a>' in html
    assert 'href="/liaison/demands/?year=2026&amp;kind=difficulty&amp;state=open">2</a>' in html
    # 2025 alone: D1 (open, overdue), D2 and D3 closed; nothing carried into it
    assert texts(leader_client, {"year": 2025}) == ["D1", "D2", "D3"]


def test_hot_topics_by_kind_and_topic_this_year_against_last(data):
    hot = hot_topics(data["y26"])
    assert hot.last_year == data["y25"]
    assert [(r.label, r.this_year, r.last_year, r.change) for r in hot.kinds] == [
        ("项目合作", 2, 0, 2),
        ("困难诉求", 1, 1, 0),
        ("意见建议", 0, 2, -2),
        ("举荐表彰", 0, 0, 0),
    ]
    assert [(r.label, r.this_year, r.last_year) for r in hot.topics] == [
        ("了解困难", 3, 2),
        ("科研合作", 1, 0),
        ("宣传政策", 0, 2),
        ("建言献策", 0, 1),
        ("举荐表彰", 0, 0),
    ]
    # a year without an earlier one compares with nothing
    first = hot_topics(data["y25"])
    assert first.last_year is None
    assert [(r.label, r.this_year, r.last_year) for r in first.kinds][:2] == [
        ("意见建议", 2, 0),
        ("困难诉求", 1, 0),
    ]


def test_hot_topics_follow_every_new_demand_and_deleted_record_at_once(data):
    """The counts are cached under a stamp of the year's team figures (reports/dashboard/services.py): a demand
    raised, a record deleted, in either year, shows at the next view."""

    def counts(year):
        hot = hot_topics(data[year])
        return {r.key: (r.this_year, r.last_year) for r in hot.kinds + hot.topics}

    assert counts("y26")["suggestion"] == (0, 2)
    user = data["staff"].user
    raise_demand(data["r3"], user, kind="suggestion", text="D8 建议增加经费")  # 2026, 了解困难
    assert counts("y26")["suggestion"] == (1, 2)
    assert counts("y26")["difficulties"] == (4, 2)
    r6 = log(data["t25"], data["staff"], [data["target"]], day=D(2025, 6, 1), topics=["commendation"])
    raise_demand(r6, user, kind="commendation", text="D9 推荐表彰")  # 2025
    assert counts("y26")["commendation"] == (0, 1)
    contacts.record_delete(record=data["r3"], reason="重复录入", by=user)  # D4 D5 D8 go with it
    assert counts("y26")["difficulties"] == (1, 2)
    assert counts("y26")["suggestion"] == (0, 2)


def test_each_hot_count_opens_the_demands_it_counts(leader_client, data):
    assert texts(leader_client, {"raised": 2026, "kind": "cooperation"}) == ["D5", "D6"]
    assert texts(leader_client, {"raised": 2026, "topic": "difficulties"}) == ["D4", "D5", "D6"]
    assert texts(leader_client, {"raised": 2025, "topic": "policy"}) == ["D1", "D2"]
    assert texts(leader_client, {"raised": 2025, "kind": "suggestion"}) == ["D2", "D3"]
    assert texts(leader_client, {"raised": 2026, "topic": "policy"}) == []  # D7's record was deleted
    for table in hot_topics(data["y26"]).tables:
        for row in table[1]:
            for year, n in ((2026, row.this_year), (2025, row.last_year)):
                listed = leader_client.get(DEMANDS, {"raised": year, row.param: row.key})
                assert listed.context["page"].paginator.count == n, (row.key, year)
    html = leader_client.get(reverse("reports:dashboard"), {"year": 2026}).content.decode()
    assert 'href="/liaison/demands/?raised=2026&amp;kind=cooperation">2</a>' in html
    assert 'href="/liaison/demands/?raised=2025&amp;topic=policy">2</a>' in html
    assert "诉求热点" in html


def test_latest_demands_newest_first_with_status_and_link(leader_client, data):
    latest = latest_demands(data["y26"])
    assert [d.text[:2] for d in latest] == ["D6", "D5", "D4"]  # not D7 (deleted record), not 2025's
    html = leader_client.get(reverse("reports:dashboard"), {"year": 2026}).content.decode()
    section = html.split('data-testid="latest-demands"')[1].split("</ul>")[0]
    assert section.index("D6 成果转化") < section.index("D5 联合攻关") < section.index("D4 子女入学")
    assert f'href="{latest[0].get_absolute_url()}"' in section
    assert "已办结" in section
    assert "办理中" in section
    assert "待办" in section
    assert "已超期" in section  # D5


def test_bad_demand_filters_say_so_and_keep_the_list(leader_client, data):
    response = leader_client.get(DEMANDS, {"year": 1999, "raised": "x", "topic": "nope"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "选择一个有效的选项" in text


def test_the_dashboard_query_count_does_not_grow_with_demands(leader_client, data, dept_staff):
    params = {"year": 2026}
    url = reverse("reports:dashboard")
    leader_client.get(url, params)
    before = count_queries(leader_client, url, params)
    t26 = data["t26"]
    for i in range(10):
        record = log(t26, dept_staff, [org()], day=D(2026, 4, 1 + i), topics=["advice", "policy"])
        raise_demand(record, dept_staff.user, kind="suggestion", text=f"更多 {i}")
    leader_client.get(url, params)
    assert count_queries(leader_client, url, params) == before
    board = leader_client.get(url, params).context
    assert [d.text for d in board["latest"]][:2] == ["更多 9", "更多 8"]
    assert len(board["latest"]) == 8
