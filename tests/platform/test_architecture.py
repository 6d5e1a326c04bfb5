"""The packages' dependency order (design.md): a lower package never imports a higher one; higher
ones plug into lower pages through cop/panels.py and learn of changes through cop/signals.py."""

from __future__ import annotations

import ast
from pathlib import Path

ORDER = [
    "accounts",
    "guide",
    "places",
    "discussions",
    "circles",
    "contributions",
    "moderation",
    "notifications",
    "search",
    "api",
    "demo",
    "site",
]
COP = Path(__file__).resolve().parents[2] / "cop"


def imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if len(parts) > 1 and parts[0] == "cop" and parts[1] in ORDER:
                found.add(parts[1])
    return found


def test_every_package_is_in_the_order():
    packages = {p.name for p in COP.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages - {"translations"} == set(ORDER)


def test_lower_packages_never_import_higher_ones():
    wrong = []
    for package in ORDER:
        rank = ORDER.index(package)
        for path in (COP / package).rglob("*.py"):
            for other in imported_packages(path):
                if ORDER.index(other) > rank:
                    wrong.append(f"{path.relative_to(COP.parent)} imports cop.{other}")
    assert not wrong, "\n".join(wrong)
