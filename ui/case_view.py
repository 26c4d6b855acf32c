"""Case view (placeholder: being written)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class CaseView(QWidget):
    title_changed = Signal(str)

    def __init__(self, session, case_id: str, parent=None):
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.title()))

    def title(self) -> str:
        row = self.session.store.caseload([self.case_id])
        return row[0].name if row else self.tr("ケース")

    def save_draft(self) -> None:
        pass

    def new_visit(self) -> None:
        pass
