"""Japanese for the few strings of Qt's own dialogs that Qt's Japanese catalogue lacks.

``qtbase_ja.qm`` (shipped with PySide6) still has the file dialog's older texts: Qt 6 asks for
「&Look in:」 and 「Files of &type:」 (with mnemonics) and names folders through
``QAbstractFileIconProvider``, none of which it translates, so the worker saw English labels in
an otherwise Japanese 保存先 dialog. This translator, installed over Qt's own for Japanese only,
answers just those (context, text) pairs and nothing else.
"""

from __future__ import annotations

from PySide6.QtCore import QTranslator

GAPS_JA: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "ファイルの場所(&L):",
    ("QFileDialog", "Files of &type:"): "ファイルの種類(&T):",
    ("QAbstractFileIconProvider", "Folder"): "フォルダー",
    ("QAbstractFileIconProvider", "Drive"): "ドライブ",
    ("QAbstractFileIconProvider", "File"): "ファイル",
    ("QAbstractFileIconProvider", "%1 File"): "%1 ファイル",
    ("QAbstractFileIconProvider", "Shortcut"): "ショートカット",
}
_CONTEXTS = frozenset(context for context, _ in GAPS_JA)


class QtGapsTranslator(QTranslator):
    """Answers ``GAPS_JA``; every other text goes on to the next translator."""

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D102
        if context not in _CONTEXTS:
            return None  # a null string: the next translator is asked
        return GAPS_JA.get((context, source_text))

    def isEmpty(self) -> bool:  # noqa: N802 (Qt override)
        return False


__all__ = ["GAPS_JA", "QtGapsTranslator"]
