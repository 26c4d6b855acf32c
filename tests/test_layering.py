"""The data core and the sync layer must never depend on Qt or on the ui package."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("PySide6", "PyQt4", "PyQt5", "PyQt6", "shiboken6", "ui")


def imported_modules(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def is_forbidden(module: str) -> bool:
    top = module.split(".")[0]
    return top in FORBIDDEN or top.startswith("PyQt")


def test_core_and_sync_do_not_import_qt_or_ui():
    files = {pkg: sorted((ROOT / pkg).rglob("*.py")) for pkg in ("outreach_desk", "sync")}
    assert files["outreach_desk"], "no .py files found under outreach_desk/"
    offences = [
        f"{path.relative_to(ROOT)}:{line}: imports {module}"
        for path in files["outreach_desk"] + files["sync"]
        for line, module in imported_modules(ast.parse(path.read_text("utf-8"), str(path)))
        if is_forbidden(module)
    ]
    assert not offences, "forbidden imports:\n" + "\n".join(offences)


@pytest.mark.parametrize("module", ["PySide6.QtCore", "PyQt5", "shiboken6", "ui.app", "ui"])
def test_checker_flags(module):
    assert is_forbidden(module)


@pytest.mark.parametrize("module", ["sqlite3", "uitools", "outreach_desk.ui_text"])
def test_checker_allows(module):
    assert not is_forbidden(module)
