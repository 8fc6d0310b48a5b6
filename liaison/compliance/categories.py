"""The quota categories (联系类别) as data: the seven built-in ones of the published format, keyed as the review
JSON keys them, and those a city adds (ContactCategory rows, keyed by their name). Every page, file and
JSON reads a category's label, unit, order and default through this module.
"""

from __future__ import annotations

from collections.abc import Iterable

from experts.models import Scientist, TalentCategory
from liaison.models import ContactCategory, QuotaCategory, TargetType, category_label, is_known_category
from orgs.models import Organization

label = category_label

# Measure words for the shortfall sentences: counties 个, organisations 家, people 名.
BUILTIN_UNITS = {
    QuotaCategory.DISTRICT: "个",
    QuotaCategory.VICE_CHAIR_UNIT: "家",
    QuotaCategory.SOCIETY: "家",
    QuotaCategory.ENTERPRISE: "家",
    QuotaCategory.UNIVERSITY: "家",
    QuotaCategory.EXPERT: "名",
    QuotaCategory.FRONTLINE: "名",
}
BUILTIN_ORDER = [c.value for c in QuotaCategory]
_RANK = {key: i for i, key in enumerate(BUILTIN_ORDER)}

# An organisation counts under its own kind where that kind is a built-in category (docs/workbook.md).
ORG_KIND_CATEGORIES = {
    "district": QuotaCategory.DISTRICT,
    "vice_chair_unit": QuotaCategory.VICE_CHAIR_UNIT,
    "society": QuotaCategory.SOCIETY,
    "enterprise": QuotaCategory.ENTERPRISE,
    "university": QuotaCategory.UNIVERSITY,
}
# Scientists of these talent categories count as 知名专家/高层次人才, everyone else as 基层一线.
EXPERT_TALENTS = {
    TalentCategory.ACADEMICIAN,
    TalentCategory.RENOWNED,
    TalentCategory.HIGH_LEVEL,
    TalentCategory.LEADING,
    TalentCategory.OUTSTANDING,
}


def unit(key: str) -> str:
    return BUILTIN_UNITS.get(key, "个")


def order_key(key: str) -> tuple[int, str]:
    """Built-in categories in the policy's order, then added ones by name."""
    return (_RANK.get(key, len(_RANK)), key)


def ordered(keys: Iterable[str]) -> list[str]:
    return sorted(keys, key=order_key)


def added() -> list[ContactCategory]:
    return list(ContactCategory.objects.all())


def choices() -> list[tuple[str, str]]:
    """(key, label) of every category: the seven built-in ones, then those the city added (one query)."""
    return [*QuotaCategory.choices, *((c.name, c.name) for c in added())]


is_category = is_known_category


def default_category(*, organization: Organization | None = None, scientist: Scientist | None = None) -> str:
    """The quota category a target counts under unless the liaison office says otherwise ("" = none): a
    built-in category that takes it, else the first added category whose 计入 lists its kind."""
    if organization is not None:
        builtin = ORG_KIND_CATEGORIES.get(organization.kind)
        if builtin:
            return builtin
        return _first_taking(TargetType.ORGANIZATION, organization.kind)
    if scientist is not None:
        return QuotaCategory.EXPERT if scientist.category in EXPERT_TALENTS else QuotaCategory.FRONTLINE
    return ""


def _first_taking(target_type: str, kind: str) -> str:
    for category in ContactCategory.objects.filter(target_type=target_type).order_by("created_at", "id"):
        if kind in category.takes:
            return category.name
    return ""
