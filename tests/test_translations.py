"""Every user-visible string is wrapped for translation and translated into English.

The source language is Japanese (what workers see by default); English comes from
``resources/translations/outreach_desk_en.ts``. ``python3 dev.py translations`` refreshes the
.ts file from the code; these tests fail when a string is not wrapped, missing from the .ts
file, untranslated, or loses a ``{placeholder}`` in translation.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "ui"
TS = ROOT / "resources" / "translations" / "outreach_desk_en.ts"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
WRAPPERS = {"tr", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP"}
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            found[(name, message.findtext("source"))] = message
    return found


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[tuple[str, str], ET.Element]:
    """What pyside6-lupdate finds in ui/ right now."""
    out = tmp_path_factory.mktemp("ts") / "current.ts"
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    sources = sorted(str(p) for p in UI.glob("*.py"))
    subprocess.run([str(lupdate), "-silent", *sources, "-ts", str(out)], check=True)
    return _messages(out)


def _wrapped_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in WRAPPERS


def _unwrapped_japanese(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    bad = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if id(node) in docstrings or not JAPANESE.search(node.value):
            continue
        if _wrapped_call(parents.get(node)):
            continue
        bad.append(f"{path.name}:{node.lineno}: {node.value!r}")
    return bad


def test_every_japanese_string_in_the_ui_is_wrapped_for_translation():
    bad = [line for path in sorted(UI.glob("*.py")) for line in _unwrapped_japanese(path)]
    assert bad == [], "wrap these in self.tr() / QCoreApplication.translate():\n" + "\n".join(bad)


def test_every_string_has_an_english_translation(extracted):
    assert len(extracted) > 50, "lupdate found suspiciously few strings"
    committed = _messages(TS)
    missing = [f"[{ctx}] {src}" for ctx, src in extracted if (ctx, src) not in committed]
    assert missing == [], "run `python3 dev.py translations`, then translate:\n" + "\n".join(
        missing)
    untranslated = []
    for key in extracted:
        translation = committed[key].find("translation")
        text = (translation.text or "") if translation is not None else ""
        if not text.strip() or translation.get("type") in ("unfinished", "vanished", "obsolete"):
            untranslated.append(f"[{key[0]}] {key[1]}")
        elif JAPANESE.search(text):
            untranslated.append(f"[{key[0]}] {key[1]} -> still Japanese: {text}")
    assert untranslated == [], "translate these in the .ts file:\n" + "\n".join(untranslated)


def test_translations_keep_every_placeholder(extracted):
    committed = _messages(TS)
    broken = []
    for key in extracted:
        text = committed[key].findtext("translation") or "" if key in committed else ""
        if sorted(PLACEHOLDER.findall(key[1])) != sorted(PLACEHOLDER.findall(text)):
            broken.append(f"[{key[0]}] {key[1]!r} -> {text!r}")
    assert broken == [], "\n".join(broken)


def test_every_sync_message_is_listed_for_translation():
    """``sync`` has no Qt: the UI lists the client's messages so they are translated too."""
    from sync.client import MESSAGES
    from ui.status_bar import SYNC_MESSAGES, localize

    assert set(SYNC_MESSAGES) == set(MESSAGES.values())
    assert localize(MESSAGES["offline"]) == MESSAGES["offline"]  # Japanese UI: unchanged
    assert localize(MESSAGES["refused"].format(status=403)) == MESSAGES["refused"].format(
        status=403)
    assert localize("something else") == "something else"
