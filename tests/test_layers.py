"""Imports only point down the layers: portal_core ← assessments ← measures ← ita_portal."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "portal_core": {"assessments", "measures", "ita_portal"},
    "assessments": {"measures", "ita_portal"},
    "measures": {"ita_portal"},
}


def _imported_top_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_an_app_never_imports_a_layer_above_it(app):
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_top_packages(path) & FORBIDDEN[app])
        for path in (ROOT / app).rglob("*.py")
        if _imported_top_packages(path) & FORBIDDEN[app]
    }
    assert offenders == {}
