"""Pinyin keys for searching Chinese names by full pinyin ("heping") or initials ("hpq").

Names are converted once on save and stored; searching is then an `icontains` (on PostgreSQL, for the
100,000 scientists, one that a trigram index answers: DoubledContains). The keys are stored in lower case
and queries are lowered before they are compared with them, so a case-sensitive LIKE finds the same rows
there, at a fraction of ILIKE's cost on each row it checks.
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
    offset, or inside a run of one repeated character, which then contains the query too (migration
    experts 0003 indexes the doubled columns). Queries of three characters or more have trigrams of their
    own and are matched against the column itself (experts 0005 indexes it): checking a row is then one
    ILIKE, not an ILIKE over regexp_replace (~3 µs a row; a common surname's thousands of rows). One-character
    queries (no trigram either way) and other databases use plain icontains.

    `operator`: ILIKE; LIKE (PinyinContains) for the pinyin keys, which are stored in lower case."""

    operator = "ILIKE"

    def as_postgresql(self, compiler, connection):
        if not isinstance(self.rhs, str) or len(self.rhs) < 2:
            return self.as_sql(compiler, connection)
        lhs, params = Lookup.process_lhs(self, compiler, connection)
        query = self.rhs.lower()
        if len(query) >= 3:
            pattern = f"%{connection.ops.prep_for_like_query(query)}%"
            return f"{lhs}::text {self.operator} %s", [*params, pattern]
        # Two characters: the doubled column is what the index finds rows by; the plain match before it is
        # the same test, and AND stops there on the rows that fail it, so a scan in the table's or the list's
        # order runs regexp_replace only on the rows that match.
        plain = f"%{connection.ops.prep_for_like_query(query)}%"
        pattern = f"%{connection.ops.prep_for_like_query(doubled(query))}%"
        sql = f"({lhs}::text {self.operator} %s AND {DOUBLED_SQL.format(lhs)} {self.operator} %s)"
        return sql, [*params, plain, *params, pattern]


class PinyinContains(DoubledContains):
    """DoubledContains for a pinyin key column (lower case by construction, queries lowered): LIKE."""

    operator = "LIKE"


def search_by_name(queryset: QuerySet, text: str, *, field: str = "name", indexed: bool = False) -> QuerySet:
    """Filter a queryset whose model stores `<field>_pinyin` and `<field>_initials` keys.

    `indexed`: the three columns carry the doubled-character trigram indexes on PostgreSQL (DoubledContains);
    small tables search with plain icontains."""
    query = (text or "").strip()
    if not query:
        return queryset
    if len(query) > SEARCH_MAX:
        return queryset.none()

    def contains(name: str, value: str, lookup: type[DoubledContains] = DoubledContains) -> Q:
        return Q(lookup(F(name), value)) if indexed else Q(**{f"{name}__icontains": value})

    condition = contains(field, query)
    latin = normalize_query(query)
    if latin and re.fullmatch(r"[a-z0-9]+", latin):
        # The pinyin keys first: most rows a latin query finds match there, and SQL's OR stops at the first
        # true operand, so the name's costlier case-insensitive match is checked only on the rest.
        condition = (
            contains(f"{field}_pinyin", latin, PinyinContains)
            | contains(f"{field}_initials", latin, PinyinContains)
            | condition
        )
    return queryset.filter(condition)
