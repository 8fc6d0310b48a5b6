"""The quota rules of seed 000 §五 (liaison/compliance/quotas.py): tables from the seed, and properties at the edges."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.compliance.quotas import Range, Status, check_category, check_plan

# The seed's table (seed 000 §五.1–2), as docs/domain.md transcribes it.
LEADER_RULES = {
    "district": Range(2, 3),
    "vice_chair_unit": Range(2),
    "society": Range(3),
    "enterprise": Range(3),
    "university": Range(2),
    "expert": Range(10),
}
DEPARTMENT_RULES = {
    "society": Range(2),
    "district": Range(2),
    "enterprise": Range(2),
    "university": Range(2),
    "frontline": Range(5),
}
LEADER_MINIMUM = {
    "district": 2,
    "vice_chair_unit": 2,
    "society": 3,
    "enterprise": 3,
    "university": 2,
    "expert": 10,
}
DEPARTMENT_MINIMUM = {"society": 2, "district": 2, "enterprise": 2, "university": 2, "frontline": 5}


@pytest.mark.parametrize(
    ("rules", "assigned", "shortfalls"),
    [
        (LEADER_RULES, LEADER_MINIMUM, []),
        (LEADER_RULES, {**LEADER_MINIMUM, "district": 3, "expert": 14}, []),
        (LEADER_RULES, {**LEADER_MINIMUM, "district": 4}, ["区县(市)科协 超出上限 1 个"]),
        (LEADER_RULES, {**LEADER_MINIMUM, "society": 2}, ["市级学会(协会、研究会) 少 1 家"]),
        (
            LEADER_RULES,
            {**LEADER_MINIMUM, "district": 1, "expert": 7},
            ["区县(市)科协 少 1 个", "知名专家/高层次人才 少 3 名"],
        ),
        (
            LEADER_RULES,
            {},
            [
                "区县(市)科协 少 2 个",
                "兼职副主席单位 少 2 家",
                "市级学会(协会、研究会) 少 3 家",
                "企业(园区)科协 少 3 家",
                "高校院所科协 少 2 家",
                "知名专家/高层次人才 少 10 名",
            ],
        ),
        (DEPARTMENT_RULES, DEPARTMENT_MINIMUM, []),
        # a department team has no vice-chair or expert quota: such targets are fine but count for nothing
        (DEPARTMENT_RULES, {**DEPARTMENT_MINIMUM, "expert": 3, "vice_chair_unit": 1}, []),
        (
            DEPARTMENT_RULES,
            {**DEPARTMENT_MINIMUM, "frontline": 4, "district": 9},
            ["基层一线科技工作者 少 1 名"],
        ),
    ],
)
def test_tables_from_the_seed(rules, assigned, shortfalls):
    check = check_plan(rules, assigned)
    assert check.shortfalls == shortfalls
    assert check.compliant is (not shortfalls)


def test_categories_follow_the_policy_order_and_only_those_with_rules():
    check = check_plan(DEPARTMENT_RULES, {"expert": 2})
    assert [c.category for c in check.categories] == [
        "district",
        "society",
        "enterprise",
        "university",
        "frontline",
    ]
    assert check.uncounted == 2


def test_missing_rules_mean_no_requirement():
    check = check_plan({}, {"district": 5, "expert": 1})
    assert check.compliant
    assert check.categories == []


def test_range_text():
    assert str(Range(2, 3)) == "2–3"
    assert str(Range(10)) == "≥ 10"
    assert str(Range(2, 2)) == "2"


@given(
    minimum=st.integers(min_value=0, max_value=50),
    spread=st.one_of(st.none(), st.integers(min_value=0, max_value=20)),
    assigned=st.integers(min_value=0, max_value=100),
)
def test_status_matches_the_range(minimum, spread, assigned):
    maximum = None if spread is None else minimum + spread
    result = check_category("society", assigned, Range(minimum, maximum))
    inside = assigned >= minimum and (maximum is None or assigned <= maximum)
    assert (result.status == Status.OK) is inside
    assert (result.shortfall is None) is inside
    if assigned < minimum:
        assert result.shortfall == f"市级学会(协会、研究会) 少 {minimum - assigned} 家"
    elif not inside:
        assert result.shortfall == f"市级学会(协会、研究会) 超出上限 {assigned - maximum} 家"


@given(
    assigned=st.dictionaries(
        st.sampled_from(
            ["district", "vice_chair_unit", "society", "enterprise", "university", "expert", "frontline", ""]
        ),
        st.integers(min_value=0, max_value=30),
    )
)
def test_compliant_exactly_when_every_ruled_category_is_in_range(assigned):
    check = check_plan(LEADER_RULES, assigned)
    expected = all(
        rule.minimum <= assigned.get(c, 0) and (rule.maximum is None or assigned.get(c, 0) <= rule.maximum)
        for c, rule in LEADER_RULES.items()
    )
    assert check.compliant is expected
    assert len(check.shortfalls) == sum(1 for c in check.categories if c.status != Status.OK)
    assert check.uncounted == sum(n for c, n in assigned.items() if c not in LEADER_RULES)
