"""Caseload and follow-ups (placeholder: being written)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QListWidget, QVBoxLayout, QWidget


class CaseloadView(QWidget):
    case_requested = Signal(str)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.search = QLineEdit()
        self.list = QListWidget()
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list)

    def reload(self) -> None:
        self.list.clear()
        for row in self.session.store.caseload():
            self.list.addItem(row.name)

    def clear(self) -> None:
        self.list.clear()
        self.search.clear()

    def focus_search(self) -> None:
        self.search.setFocus()


class FollowUpsView(CaseloadView):
    pass
