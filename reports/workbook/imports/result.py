"""What an import did, or would do: counts per sheet and every problem found."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .format import SHEET_ORDER

DEPARTMENTS = "部室"  # created on the way by the 干部 sheet
YEARS = "年度"  # created on the way by the 专班 sheet
OFFICERS = "组织负责人"  # created on the way by the 备案 sheet
FILING_REVISIONS = "备案版本（已报备）"  # filed by the 备案 sheet: one per organisation and year that changed
SIDE_EFFECTS = (DEPARTMENTS, YEARS, OFFICERS, FILING_REVISIONS)


@dataclass(frozen=True)
class Problem:
    """One thing wrong: where (sheet, row, column), the value found, and why, in Chinese."""

    sheet: str
    row: int | None
    column: str
    value: str
    reason: str
    letter: str = ""  # the column's letter in the sheet, when the column exists

    def __str__(self) -> str:
        where = [self.sheet or "工作簿"]
        if self.row:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"“{self.column}”列" + (f"（{self.letter}）" if self.letter else ""))
        value = f"值“{self.value}”：" if self.value else ""
        return f"{' '.join(where)}：{value}{self.reason}"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # called on every count (a row done), for the progress of an import run as a job
    on_row: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    def __setattr__(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)
        if name != "on_row" and self.__dict__.get("on_row") is not None:
            self.on_row()

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportResult:
    dry_run: bool = False
    counts: dict[str, Counts] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)
    # what deserves a look but does not stop the import: likely duplicate scientists (experts/duplicates/)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def sheets(self) -> list[tuple[str, Counts]]:
        """Counts of the sheets the file had, in the order they were applied."""
        return [(name, self.counts[name]) for name in SHEET_ORDER if name in self.counts]

    @property
    def side_effects(self) -> list[tuple[str, int]]:
        """Departments, years, officers and filed revisions created on the way (they have no sheet of their
        own)."""
        return [(name, self.counts[name].created) for name in SIDE_EFFECTS if name in self.counts]

    @property
    def created(self) -> int:
        return sum(c.created for name, c in self.sheets)

    @property
    def updated(self) -> int:
        return sum(c.updated for name, c in self.sheets)

    def count(self, name: str) -> Counts:
        return self.counts.setdefault(name, Counts())

    def summary(self) -> str:
        """One line for a message or the command's last line."""
        if self.problems:
            return f"发现 {len(self.problems)} 个问题，未写入任何数据。"
        parts = "；".join(
            f"{name}：新建 {c.created}，更新 {c.updated}，不变 {c.unchanged}" for name, c in self.sheets
        )
        extra = "".join(f"；新建{name} {n} 个" for name, n in self.side_effects if n)
        head = "检查通过，未写入（仅检查）" if self.dry_run else "导入完成"
        return f"{head}：{parts or '没有数据行'}{extra}。"
