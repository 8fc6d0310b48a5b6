"""Pinyin keys for searching Chinese names by full pinyin ("heping") or initials ("hpq").

Names are converted once on save and stored; searching is then a plain indexed `icontains`.
Surnames with a special reading (单 shan, 曾 zeng, …) are fixed for person names.
"""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from pypinyin import Style, lazy_pinyin

# Readings of characters when they are a surname (pypinyin reads them by their common word).
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "单": ("shan",),
    "曾": ("zeng",),
    "解": ("xie",),
    "仇": ("qiu",),
    "朴": ("piao",),
    "查": ("zha",),
    "区": ("ou",),
    "盖": ("ge",),
    "乐": ("yue",),
    "缪": ("miao",),
    "覃": ("qin",),
    "翟": ("zhai",),
    "尉": ("yu",),
    "种": ("chong",),
    "秘": ("bi",),
    "重": ("chong",),
    "柏": ("bai",),
    "召": ("shao",),
    "祭": ("zhai",),
    "万俟": ("mo", "qi"),
    "尉迟": ("yu", "chi"),
    "长孙": ("zhang", "sun"),
}


def _syllables(text: str, *, person: bool) -> list[str]:
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars.lower()))
    if person:
        for surname in sorted(SURNAME_READINGS, key=len, reverse=True):
            if text.startswith(surname):
                syllables = list(SURNAME_READINGS[surname]) + syllables[len(surname) :]
                break
    return [re.sub(r"[^a-z0-9]", "", s.lower()) for s in syllables]


def pinyin_keys(text: str, *, person: bool = False) -> tuple[str, str]:
    """Return (full pinyin, initials) of a name, lower case, without spaces or punctuation."""
    syllables = [s for s in _syllables(text or "", person=person) if s]
    return "".join(syllables), "".join(s[0] for s in syllables)


def normalize_query(text: str) -> str:
    return re.sub(r"[\s'’]", "", (text or "").strip().lower())


def search_by_name(queryset: QuerySet, text: str, *, field: str = "name") -> QuerySet:
    """Filter a queryset whose model stores `<field>_pinyin` and `<field>_initials` keys."""
    query = (text or "").strip()
    if not query:
        return queryset
    condition = Q(**{f"{field}__icontains": query})
    latin = normalize_query(query)
    if latin and re.fullmatch(r"[a-z0-9]+", latin):
        condition |= Q(**{f"{field}_pinyin__icontains": latin}) | Q(**{f"{field}_initials__icontains": latin})
    return queryset.filter(condition)
