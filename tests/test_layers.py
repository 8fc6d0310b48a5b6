"""Imports run one way (docs/design.md, "Layout"): kexie → ops → demo → reports → surveys → awards → homes →
liaison → experts → orgs, with
common below all. A lower app never imports a higher one; inside liaison, the compliance package (the one
definition of 达标, 已联系, 下基层 and the stored figures) sits right above the models and below every page,
so liaison's and reports' pages can both read it.

The check reads the source (ast), so an import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

# top to bottom: each may import itself and anything after it
LAYERS = [
    "kexie",
    "ops",
    "demo",
    "reports",
    "surveys",
    "awards",
    "homes",
    "liaison",
    "experts",
    "orgs",
    "common",
]

# Inside liaison: what the lowest packages may import from their own app.
INNER_RULES = {
    "liaison.models": ("liaison.models", "liaison.compliance.models"),
    "liaison.compliance": ("liaison.models", "liaison.compliance"),
}


def imported_modules(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
            # `from liaison import plans` names the module liaison.plans
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def wrong_way_imports(module: str, source: str) -> list[str]:
    """Every import in `source` (the text of `module`) that points up the layers, as readable lines."""
    top = module.split(".")[0]
    problems = []
    for lineno, target in imported_modules(source):
        target_top = target.split(".")[0]
        if target_top not in LAYERS or target_top == top:
            pass
        elif LAYERS.index(target_top) < LAYERS.index(top):
            problems.append(f"{module}:{lineno} imports {target} ({target_top} sits above {top})")
            continue
        for package, allowed in INNER_RULES.items():
            if (
                _within(module, package)
                and _within(target, top)
                and target != top
                and not any(_within(target, ok) for ok in allowed)
            ):
                problems.append(f"{module}:{lineno} imports {target} ({package} may import only {allowed})")
    return problems


def project_modules() -> list[tuple[str, Path]]:
    root = Path(settings.BASE_DIR)
    modules = []
    for app in LAYERS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            dotted = ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
            modules.append((dotted, path))
    return modules


def test_every_app_imports_only_itself_and_the_layers_below():
    modules = project_modules()
    assert len(modules) > 100  # the walk found the code
    problems = [p for dotted, path in modules for p in wrong_way_imports(dotted, path.read_text())]
    assert problems == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("orgs.models", "from liaison.models import Team\n", "orgs.models:1 imports liaison.models"),
        (
            "liaison.plan.views",
            "def f():\n    from reports.review import services\n",
            "imports reports.review",
        ),
        ("experts.views", "import reports.dashboard.services\n", "imports reports.dashboard.services"),
        (
            "liaison.compliance.figures",
            "from liaison.contacts import services\n",
            "compliance may import only",
        ),
        ("liaison.compliance.quotas", "from liaison import plan\n", "imports liaison.plan"),
        (
            "liaison.models.plan",
            "from liaison.plan.services import team_create\n",
            "liaison.models may import",
        ),
    ],
)
def test_the_check_refuses_an_upward_import(module, source, expected):
    problems = wrong_way_imports(module, source)
    assert len(problems) >= 1
    assert expected in problems[0]


@pytest.mark.parametrize(
    ("module", "source"),
    [
        (
            "reports.review.services",
            "from liaison.compliance import quotas\nfrom orgs.models import OrgKind\n",
        ),
        (
            "liaison.plan.views",
            "from liaison.compliance.quotas import check_year\nfrom common import picker\n",
        ),
        (
            "liaison.compliance.team_figures",
            "from liaison.models import Team\nfrom common.occasions import x\n",
        ),
        ("liaison.models", "from liaison.compliance.models import TeamFigures\n"),
        ("demo.seed", "from reports.workbook.imports import import_workbook\n"),
    ],
)
def test_the_check_allows_imports_down_the_layers(module, source):
    assert wrong_way_imports(module, source) == []
