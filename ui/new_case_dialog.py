"""New case / household dialog (placeholder: being written)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog


class NewCaseDialog(QDialog):
    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.case_id: str | None = None
