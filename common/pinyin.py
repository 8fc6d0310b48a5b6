"""Pinyin keys for searching Chinese names by full pinyin ("heping") or initials ("hpq").

Names are converted once on save and stored; searching is then an `icontains` (on PostgreSQL, for the
100,000 scientists, one that a trigram index answers: DoubledContains).
Surnames with a special reading (单 shan, 曾 zeng, …) are fixed for person names.
"""

from __future__ import annotations

import re

from django.db.models import F, Lookup, Q, QuerySet
from django.db.models.lookups import IContains
from pypinyin import Style, lazy_pinyin

from common.limits import SEARCH_MAX

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


# The SQL of a column with every character doubled; migration experts 0003 indexes exactly this expression.
DOUBLED_SQL = r"regexp_replace({}::text, '(.)', '\1\1', 'g')"


def doubled(text: str) -> str:
    return "".join(ch + ch for ch in text)


class DoubledContains(IContains):
    """Case-insensitive "contains" that PostgreSQL answers from a trigram (pg_trgm) index, even for the
    two-character queries people type to find a Chinese name (郭建).

    pg_trgm indexes runs of three characters, so `LIKE '%郭建%'` has nothing to look up and scans the table.
    Doubling every character of the column ("郭建华" → "郭郭建建华华") and of the query ("郭郭建建") gives a
    two-character query two trigrams and keeps the meaning: the doubled query can only match at an even
    offset, or inside a run of one repeated character, which then contains the query too. One-character
    queries (no trigram either way) and other databases use plain icontains."""

    def as_postgresql(self, compiler, connection):
        if not isinstance(self.rhs, str) or len(self.rhs) < 2:
            return self.as_sql(compiler, connection)
        lhs, params = Lookup.process_lhs(self, compiler, connection)
        pattern = f"%{connection.ops.prep_for_like_query(doubled(self.rhs.lower()))}%"
        return f"{DOUBLED_SQL.format(lhs)} ILIKE %s", [*params, pattern]


def search_by_name(queryset: QuerySet, text: str, *, field: str = "name", indexed: bool = False) -> QuerySet:
    """Filter a queryset whose model stores `<field>_pinyin` and `<field>_initials` keys.

    `indexed`: the three columns carry the doubled-character trigram indexes on PostgreSQL (DoubledContains);
    small tables search with plain icontains."""
    query = (text or "").strip()
    if not query:
        return queryset
    if len(query) > SEARCH_MAX:
        return queryset.none()

    def contains(name: str, value: str) -> Q:
        return Q(DoubledContains(F(name), value)) if indexed else Q(**{f"{name}__icontains": value})

    condition = contains(field, query)
    latin = normalize_query(query)
    if latin and re.fullmatch(r"[a-z0-9]+", latin):
        condition |= contains(f"{field}_pinyin", latin) | contains(f"{field}_initials", latin)
    return queryset.filter(condition)
