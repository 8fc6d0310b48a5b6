"""Likely duplicate scientists (issue 20 §4): pairs of records that may be one person, with a score and the
reasons in Chinese.

Candidates are found set-wise, never by comparing every scientist with every other: the database groups the
registry by three keys and returns only the rows that share one with another row —
- the mobile number (stored in normal form, common/phones.py),
- the name's pinyin (stored on save, common/pinyin.py; the same name always has the same pinyin) with the
  employer's first EMPLOYER_KEY characters,
- the birth date with the surname (first character) and the same employer key;
then each group's pairs are scored from their evidence. A key shared by more than GROUP_LIMIT records (an
office's switchboard number, a name common at one big employer) is not evidence of anything and is passed
over. Pairs the office marked "不是重复" (DuplicateDismissal) are left out.
The same rules check the rows of an imported workbook (`likely_in_rows`), against the registry and against
each other.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Max, Q, QuerySet, Value
from django.db.models.functions import Replace, Substr

from common.phones import normalize_phone
from common.pinyin import pinyin_keys
from experts.duplicates.models import DuplicateDismissal
from experts.models import Scientist

EMPLOYER_KEY = 4  # characters of the employer two records must share to be compared by name or birth date
GROUP_LIMIT = 30  # a key shared by more records than this is not evidence of a duplicate
SIMILAR_EMPLOYER = 0.6  # difflib ratio from which two employers are "相近"

# Evidence → points (a pair's score is their sum, 0–100). Contrary evidence takes points away: two records
# with different birth dates or genders are two people whatever else they share.
SAME_MOBILE = 50
SAME_NAME = 30
SAME_PINYIN = 20
SAME_EMPLOYER = 30
SIMILAR_EMPLOYER_POINTS = 15
SAME_BIRTH_DATE = 20
OTHER_BIRTH_DATE = -30
OTHER_GENDER = -30
LISTED_FROM = 30  # a pair scoring less is not listed
CACHED_FOR = 3600  # seconds the candidates of an unchanged registry are kept


class Reason:
    """The evidence kinds a list can be filtered by: code → label."""

    MOBILE = "mobile"
    NAME = "name"
    PINYIN = "pinyin"
    EMPLOYER = "employer"
    BIRTH = "birth"
    CHOICES = [
        (MOBILE, "手机号码相同"),
        (NAME, "姓名相同"),
        (PINYIN, "姓名拼音相同"),
        (EMPLOYER, "工作单位相同或相近"),
        (BIRTH, "出生日期相同"),
    ]


FIELDS = ("id", "name", "name_pinyin", "employer", "mobile", "birth_date", "gender")


@dataclass(frozen=True)
class Person:
    """What the finder compares of a record (a scientist, or a row of a workbook)."""

    id: int | str
    name: str
    name_pinyin: str
    employer: str
    mobile: str
    birth_date: datetime.date | None
    gender: str

    @property
    def surname(self) -> str:
        return self.name[:1]

    @property
    def employer_key(self) -> str:
        return employer_key(self.employer)


@dataclass(frozen=True)
class Pair:
    first: Person
    second: Person
    score: int
    reasons: tuple[str, ...]
    codes: frozenset[str] = field(default_factory=frozenset)

    @property
    def ids(self) -> tuple:
        return (self.first.id, self.second.id)


_NOT_WORD = re.compile(r"[\s()（）·.,，、\-—_]+")


@functools.lru_cache(maxsize=65536)
def normal_employer(text: str) -> str:
    """An employer as compared: full-width forms folded (NFKC), spaces, brackets and punctuation dropped."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text or "")).lower()


# What the grouping key drops from an employer, the same in Python and in SQL (employer_key_sql).
KEY_DROPS = (" ", "\u3000", "(", ")", "（", "）", "·", "-")


def employer_key(text: str) -> str:
    for char in KEY_DROPS:
        text = text.replace(char, "")
    return text[:EMPLOYER_KEY]


def employer_key_sql():
    expression = F("employer")
    for char in KEY_DROPS:
        expression = Replace(expression, Value(char), Value(""))
    return Substr(expression, 1, EMPLOYER_KEY)


@functools.lru_cache(maxsize=65536)
def employer_similarity(a: str, b: str) -> float:
    """How alike two employers are (difflib's ratio, 0–1), exactly where it reaches SIMILAR_EMPLOYER; below
    it, an upper bound (which the score reads only as "not similar"). difflib's cheap upper bounds go first,
    as its get_close_matches does, and answers are cached: the full ratio was most of the finder's time on a
    20,000-row sheet (bench/importer.py)."""
    a, b = normal_employer(a), normal_employer(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for bound in (matcher.real_quick_ratio, matcher.quick_ratio):
        upper = bound()
        if upper < SIMILAR_EMPLOYER:
            return upper
    return matcher.ratio()


def score(a: Person, b: Person) -> Pair:
    """The pair's score and reasons, from its evidence alone."""
    points, reasons, codes = 0, [], set()
    if a.mobile and a.mobile == b.mobile:
        points += SAME_MOBILE
        reasons.append("手机号码相同")
        codes.add(Reason.MOBILE)
    if a.name == b.name:
        points += SAME_NAME
        reasons.append("姓名相同")
        codes.add(Reason.NAME)
    elif a.name_pinyin and a.name_pinyin == b.name_pinyin:
        points += SAME_PINYIN
        reasons.append(f"姓名拼音相同（{a.name_pinyin}）")
        codes.add(Reason.PINYIN)
    similarity = employer_similarity(a.employer, b.employer)
    if similarity == 1.0:
        points += SAME_EMPLOYER
        reasons.append("工作单位相同")
        codes.add(Reason.EMPLOYER)
    elif similarity >= SIMILAR_EMPLOYER:
        points += SIMILAR_EMPLOYER_POINTS
        reasons.append(f"工作单位相近（{round(similarity * 100)}%）")
        codes.add(Reason.EMPLOYER)
    if a.birth_date and b.birth_date:
        if a.birth_date == b.birth_date:
            points += SAME_BIRTH_DATE
            reasons.append("出生日期相同")
            codes.add(Reason.BIRTH)
        else:
            points += OTHER_BIRTH_DATE
            reasons.append("出生日期不同")
    if a.gender and b.gender and a.gender != b.gender:
        points += OTHER_GENDER
        reasons.append("性别不同")
    first, second = (a, b) if _order(a) <= _order(b) else (b, a)
    return Pair(first, second, max(0, min(100, points)), tuple(reasons), frozenset(codes))


def _order(person: Person) -> tuple:
    return (isinstance(person.id, str), str(person.id).zfill(20))


def keys(person: Person) -> list[tuple]:
    """The keys under which a record is grouped with others (see the module's docstring)."""
    found = []
    if person.mobile:
        found.append(("mobile", person.mobile))
    if person.name_pinyin and person.employer_key:
        found.append(("pinyin", person.name_pinyin, person.employer_key))
    if person.birth_date and person.surname and person.employer_key:
        found.append(("birth", person.birth_date, person.surname, person.employer_key))
    return found


def pairs_in(
    people: Iterable[Person], *, only_with: set | None = None, not_within: set | None = None
) -> list[Pair]:
    """Every scored pair of records sharing a key, listed or not (each pair once, scored once however many keys
    it shares). With `only_with`, only the pairs of which at least one record's id is in it; with
    `not_within`, not the pairs of which both are."""
    groups: dict[tuple, list[Person]] = defaultdict(list)
    for person in people:
        for key in keys(person):
            groups[key].append(person)
    seen: set[frozenset] = set()
    found = []
    for members in groups.values():
        if not 1 < len(members) <= GROUP_LIMIT:
            continue
        for a, b in itertools.combinations(members, 2):
            if a.id == b.id or (only_with is not None and a.id not in only_with and b.id not in only_with):
                continue
            if not_within is not None and a.id in not_within and b.id in not_within:
                continue
            ids = frozenset((a.id, b.id))
            if ids not in seen:
                seen.add(ids)
                found.append(score(a, b))
    return found


def _grouped(queryset: QuerySet, *names: str) -> QuerySet:
    return queryset.order_by().values(*names).annotate(n=Count("id")).filter(n__gt=1, n__lte=GROUP_LIMIT)


def _people(rows: Iterable[tuple]) -> list[Person]:
    return [Person(*row) for row in rows]


def candidates() -> list[Person]:
    """The records sharing at least one key with another record: three GROUP BYs over the registry (about a
    second at 100,000 scientists on PostgreSQL), kept in the cache until the registry changes — a new,
    edited or deleted record changes the stamp (count, latest change, highest id), read in one aggregate."""
    stamp = Scientist.objects.order_by().aggregate(n=Count("id"), changed=Max("updated_at"), top=Max("id"))
    key = f"duplicates:candidates:{stamp['n']}:{stamp['changed'] and stamp['changed'].isoformat()}:{stamp['top']}"
    found = cache.get(key)
    if found is None:
        found = _candidates()
        cache.set(key, found, CACHED_FOR)
    return found


def _candidates() -> list[Person]:
    keyed = Scientist.objects.annotate(employer_key=employer_key_sql(), surname=Substr("name", 1, 1))
    mobiles = _grouped(keyed.exclude(mobile=""), "mobile").values("mobile")
    pinyins = _grouped(keyed.exclude(name_pinyin=""), "name_pinyin", "employer_key").values("name_pinyin")
    births = _grouped(keyed.filter(birth_date__isnull=False), "birth_date", "surname", "employer_key").values(
        "birth_date"
    )
    rows = (
        Scientist.objects.order_by()
        .filter(Q(mobile__in=mobiles) | Q(name_pinyin__in=pinyins) | Q(birth_date__in=births))
        .values_list(*FIELDS)
    )
    return _people(rows)


def dismissed() -> set[tuple[int, int]]:
    return set(DuplicateDismissal.objects.values_list("first_id", "second_id"))


def likely_pairs(*, min_score: int = LISTED_FROM, reason: str = "") -> list[Pair]:
    """The pairs to list, best first: scoring at least `min_score` (never below LISTED_FROM), with the given
    evidence if any, not marked "不是重复"."""
    min_score = max(min_score, LISTED_FROM)
    skip = dismissed()
    found = [
        pair
        for pair in pairs_in(candidates())
        if pair.score >= min_score and pair.ids not in skip and (not reason or reason in pair.codes)
    ]
    found.sort(key=lambda pair: (-pair.score, pair.first.id, pair.second.id))
    return found


def pair_of(first: Scientist, second: Scientist) -> Pair:
    """The finder's view of any two records (the pair page may show a pair the finder would not list)."""
    return score(person_of(first), person_of(second))


def person_of(scientist: Scientist) -> Person:
    return Person(*(getattr(scientist, name) for name in FIELDS))


# --- rows of a workbook ------------------------------------------------------------------------------------


def workbook_person(
    ref: str, *, name: str, employer: str, mobile: str = "", birth_date=None, gender: str = ""
) -> Person:
    """A row of an imported 科技工作者 sheet as the finder compares it; `ref` names the row (e.g. "第 5 行")."""
    return Person(
        ref,
        (name or "").strip(),
        pinyin_keys((name or "").strip(), person=True)[0],
        (employer or "").strip(),
        _phone(mobile),
        birth_date if isinstance(birth_date, datetime.date) else None,
        gender or "",
    )


def _phone(value) -> str:
    try:
        return normalize_phone(str(value).strip()) if value else ""
    except ValidationError:
        return ""


def likely_in_workbook(rows: Sequence[Person], *, chunk: int = 1000) -> list[Pair]:
    """Pairs among the rows of a workbook (the records it would create) and between a row and a record of
    the registry, scoring at least LISTED_FROM. The rows are compared with each other in memory by their keys;
    the registry is read for each chunk's keys only (one indexed query a chunk), before the import writes."""
    found = [pair for pair in pairs_in(rows) if pair.score >= LISTED_FROM]
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        refs = {p.id for p in part}
        # a record pairs with a row by the row's keys only (keys()): the same mobile, or the same pinyin or
        # birth date at an employer with the same key — so the namesakes at other employers (most of them at
        # 100,000 scientists: 207 s for a 20,000-row sheet when they were all read) are never read
        employers = {p.employer_key for p in part if p.employer_key}
        registry = (
            Scientist.objects.order_by()
            .annotate(employer_key=employer_key_sql())
            .filter(
                Q(mobile__in={p.mobile for p in part if p.mobile})
                | Q(
                    name_pinyin__in={p.name_pinyin for p in part if p.name_pinyin}, employer_key__in=employers
                )
                | Q(birth_date__in={p.birth_date for p in part if p.birth_date}, employer_key__in=employers)
            )
            .values_list(*FIELDS)
        )
        # a pair of two rows is found above, once, whichever chunks they are in
        for pair in pairs_in([*_people(registry), *part], only_with=refs, not_within=refs):
            if pair.score >= LISTED_FROM:
                found.append(pair)
    return found
