"""Parts of the visit form that are more than one stock widget: 会えた人 as a set of check boxes,
the 同行者 choice (a colleague or an agency), and the next-due quick picks (3日後 … 1か月後).

Kept apart from :mod:`ui.visit_form` so the form module stays about the form: its fields, what
is typed, and saving it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QPushButton, QWidget

from outreach_desk.vocab import MetWith
from ui.fmt import label

log = logging.getLogger(__name__)

NO_COMPANION = None  # the first entry of the 同行者 list: nobody came along


class MetWithChoice(QWidget):
    """会えた人: one check box per kind of person met. 会えず (nobody) stands alone: ticking it
    clears the others, and ticking anyone clears it."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("metWith")
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout(self)  # two rows of three: the form stays narrow
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        for index, member in enumerate(MetWith):
            box = QCheckBox(label(member))
            box.setObjectName(f"metWith_{member.value}")
            box.toggled.connect(lambda on, code=member.value: self._toggled(code, on))
            self.boxes[member.value] = box
            grid.addWidget(box, index // 3, index % 3)
        grid.setColumnStretch(3, 1)
        self._quiet = False
        self.setFocusProxy(self.boxes[MetWith.PERSON.value])

    def _toggled(self, code: str, on: bool) -> None:
        if self._quiet:
            return
        if on:
            self._quiet = True
            try:
                if code == MetWith.NOBODY.value:
                    for other, box in self.boxes.items():
                        if other != code:
                            box.setChecked(False)
                else:
                    self.boxes[MetWith.NOBODY.value].setChecked(False)
            finally:
                self._quiet = False
        self.changed.emit()

    def values(self) -> list[str]:
        """The codes ticked, in the vocabulary's order."""
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def set_values(self, codes) -> None:
        wanted = set(codes or ())
        self._quiet = True
        try:
            for code, box in self.boxes.items():
                box.setChecked(code in wanted)
        finally:
            self._quiet = False


class CompanionCombo(QComboBox):
    """同行者: nobody, a colleague, or an agency. ``current()`` is (worker ids, agency ids); an
    entry's data is ``"worker:<id>"`` or ``"agency:<id>"`` (``key``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("companion")

    def fill(self, store) -> None:
        """The colleagues (not the worker writing) and agencies this laptop knows."""
        kept = self.currentData()
        self.clear()
        self.addItem(self.tr("なし"), NO_COMPANION)
        me = getattr(store, "author", None)
        for worker in store.list_entities("worker"):
            if worker.id != me and worker["name"]:
                self.addItem(self.tr("{name}（職員）").format(name=worker["name"]),
                             self.key("worker", worker.id))
        for agency in store.list_entities("agency"):
            if agency["name"]:
                self.addItem(agency["name"], self.key("agency", agency.id))
        self.set_current(kept)

    @staticmethod
    def key(kind: str, ref: str) -> str:
        return f"{kind}:{ref}"

    def current(self) -> tuple[list[str], list[str]]:
        data = self.currentData()
        if not data:
            return [], []
        kind, ref = data.split(":", 1)
        return ([ref], []) if kind == "worker" else ([], [ref])

    def set_current(self, data: str | None) -> None:
        index = self.findData(data) if data else 0
        self.setCurrentIndex(max(index, 0))

    @classmethod
    def data_of(cls, workers, agencies) -> str | None:
        if workers:
            return cls.key("worker", workers[0])
        if agencies:
            return cls.key("agency", agencies[0])
        return None


# (days, months) of each quick pick, in the order of its button: 3日後, 1週間後, 2週間後, 1か月後;
# each sets the due date that far after the visit's day
DUE_PICKS = ((3, 0), (7, 0), (14, 0), (0, 1))


class DuePicks(QWidget):
    """Quick picks for the next action's due date; ``picked`` carries the (days, months)."""

    picked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duePicks")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        texts = (self.tr("3日後(&3)"), self.tr("1週間後(&1)"), self.tr("2週間後(&2)"),
                 self.tr("1か月後(&4)"))
        self.buttons: list[QPushButton] = []
        for text, (days, months) in zip(texts, DUE_PICKS, strict=True):
            button = QPushButton(text)
            button.setObjectName(f"duePick_{days}d{months}m")
            button.setAutoDefault(False)
            button.setMinimumWidth(0)
            button.setStyleSheet("padding: 1px 6px;")  # small: four fit under the date
            button.setToolTip(self.tr("期限をこの日付にします（訪問日から数えます）"))
            button.clicked.connect(lambda *_, d=days, m=months: self.picked.emit(d, m))
            self.buttons.append(button)
            row.addWidget(button)
        row.addStretch(1)


def due_after(day: QDate, days: int, months: int) -> QDate:
    return day.addMonths(months).addDays(days)


__all__ = ["DUE_PICKS", "CompanionCombo", "DuePicks", "MetWithChoice", "due_after"]
