"""The finder (experts/duplicates/finder.py): which pairs it lists, with which score and reasons, worked out by
hand from the weights in the module (mobile 50, name 30, pinyin 20, employer same 30 / similar 15, birth date
20, other birth date −30, other gender −30; listed from 30)."""

from __future__ import annotations

import datetime

import pytest

from experts.duplicates import finder, services
from experts.duplicates.finder import Reason
from tests.factories import ScientistFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def listed() -> dict[tuple[str, str], tuple[int, tuple[str, ...]]]:
    return {(p.first.name, p.second.name): (p.score, p.reasons) for p in finder.likely_pairs()}


def test_same_mobile_at_a_similar_employer():
    ScientistFactory(name="孙立新", employer="辽川市中心医院", mobile="13904110017")
    ScientistFactory(name="孙新", employer="辽川市中心医院急诊科", mobile="13904110017")
    # 辽川市中心医院 (7) vs 辽川市中心医院急诊科 (10): 2×7/17 = 82 %
    assert listed() == {("孙立新", "孙新"): (65, ("手机号码相同", "工作单位相近（82%）"))}


def test_same_name_and_employer_written_differently_with_the_birth_date():
    ScientistFactory(name="周文博", employer="辽川理工大学", birth_date=D(1979, 4, 12))
    ScientistFactory(name="周文博", employer="辽川 理工大学", birth_date=D(1979, 4, 12))
    assert listed() == {("周文博", "周文博"): (80, ("姓名相同", "工作单位相同", "出生日期相同"))}


def test_same_pinyin_other_characters_at_a_similar_employer():
    ScientistFactory(name="李静怡", employer="辽川市第一人民医院")
    ScientistFactory(name="李静仪", employer="辽川市第一人民医院心内科")
    # 9 vs 12 characters, 9 shared: 2×9/21 = 86 %
    assert listed() == {("李静怡", "李静仪"): (35, ("姓名拼音相同（lijingyi）", "工作单位相近（86%）"))}


def test_surname_birth_date_and_employer_find_a_mistyped_given_name():
    ScientistFactory(name="陈明", employer="沈北理工大学", birth_date=D(1980, 1, 2))
    ScientistFactory(name="陈鸣远", employer="沈北理工大学", birth_date=D(1980, 1, 2))
    assert listed() == {("陈明", "陈鸣远"): (50, ("工作单位相同", "出生日期相同"))}


def test_namesakes_elsewhere_and_contrary_evidence_are_not_listed():
    # the same name at unrelated employers: no key in common
    ScientistFactory(name="王伟", employer="沈北理工大学")
    ScientistFactory(name="王伟", employer="辽川市农业科学院")
    # the same name at the same employer but born on other days and of other genders: 30 + 30 − 30 − 30 = 0
    ScientistFactory(name="张华", employer="辽川大学", birth_date=D(1970, 1, 1), gender="M")
    ScientistFactory(name="张华", employer="辽川 大学", birth_date=D(1990, 6, 1), gender="F")
    # the same pinyin at an employer sharing only the key's four characters: 20 + 0 < 30
    ScientistFactory(name="刘洋", employer="辽川市科学技术协会")
    ScientistFactory(name="柳阳", employer="辽川市科普基地管理中心")  # 2×4/19 = 42 %
    assert listed() == {}
    scored = {(p.first.name, p.second.name): p.score for p in finder.pairs_in(finder.candidates())}
    assert scored == {("张华", "张华"): 0, ("刘洋", "柳阳"): 20}


def test_a_shared_switchboard_number_is_no_evidence():
    for i in range(finder.GROUP_LIMIT + 1):
        ScientistFactory(name=f"总机{i}", employer=f"单位{i}", mobile="024-23456789")
    assert listed() == {}


def test_a_pair_marked_not_duplicate_is_not_listed_again(liaison_officer):
    a = ScientistFactory(name="周文博", employer="辽川理工大学")
    b = ScientistFactory(name="周文博", employer="辽川 理工大学")
    assert len(finder.likely_pairs()) == 1
    services.dismiss_pair(first=b, second=a, by=liaison_officer.user)
    services.dismiss_pair(first=a, second=b, by=liaison_officer.user)  # twice: still one mark
    assert finder.likely_pairs() == []


def test_filters_by_minimum_score_and_reason():
    ScientistFactory(name="孙立新", employer="辽川市中心医院", mobile="13904110017")
    ScientistFactory(name="孙新", employer="辽川市中心医院急诊科", mobile="13904110017")
    ScientistFactory(name="李静怡", employer="辽川市第一人民医院")
    ScientistFactory(name="李静仪", employer="辽川市第一人民医院心内科")
    assert [p.score for p in finder.likely_pairs()] == [65, 35]
    assert [p.score for p in finder.likely_pairs(min_score=40)] == [65]
    assert [p.second.name for p in finder.likely_pairs(reason=Reason.PINYIN)] == ["李静仪"]
    assert [p.second.name for p in finder.likely_pairs(reason=Reason.MOBILE)] == ["孙新"]
    assert finder.likely_pairs(reason=Reason.BIRTH) == []


def test_an_edit_is_seen_at_once_despite_the_cache():
    a = ScientistFactory(name="周文博", employer="辽川理工大学")
    ScientistFactory(name="周文博", employer="辽川 理工大学")
    assert len(finder.likely_pairs()) == 1
    a.employer = "辽川市农业科学院"
    a.save()
    assert finder.likely_pairs() == []
