"""名寄せ in the new-case dialog: the look-up of people who may be the same, without its texts.

While the worker types, the dialog asks the store for candidates (``person_candidates``), debounced
by ``DEBOUNCE_MS``; ``CandidateMatchingMixin`` holds the parts of ``NewCaseDialog`` that ask, keep
the strong matches the worker declared different, undo a pick, and stop asking once the dialog
closes. What the worker reads (the list rows, the reasons, the picked person's summary) stays in
the dialog, under its translation context.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget

from outreach_desk.errors import OutreachDeskError
from outreach_desk.matching import Candidate

DEBOUNCE_MS = 300


def normalize_kana(text: str) -> str:
    """半角カナ → 全角 (and full-width spaces → spaces), as the reading is kept."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


class _CandidateList(QListWidget):
    """Enter picks the current person instead of falling through to the dialog's Save."""

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            self.itemActivated.emit(self.currentItem())
            event.accept()
            return
        super().keyPressEvent(event)


class CandidateMatchingMixin:
    """The 名寄せ look-up of ``NewCaseDialog`` (its widgets and state are the dialog's)."""

    def _on_person_edited(self, *_args) -> None:
        if self._picked is None:
            self._debounce.start()
        for key in ("name", "birth_year", "district"):
            self._recheck(key)

    def _query(self) -> dict:
        district = self.district.currentText() if self.district.currentIndex() >= 0 else None
        year = self.birth_year.text().strip()
        return {
            "name": self.name.text().strip(),
            "kana": normalize_kana(self.kana.text()),
            "birth_year": int(unicodedata.normalize("NFKC", year)) if year.isdecimal() else None,
            "district": district,
        }

    def refresh_candidates(self) -> None:
        """Look for possible duplicates now (the debounce timer calls this too)."""
        self._debounce.stop()
        found: list[Candidate] = []
        query = self._query()
        if not self.household_only and self._picked is None and (query["name"] or query["kana"]):
            try:
                found = self.store.person_candidates(**query)
            except OutreachDeskError:  # locked meanwhile: the dialog is being closed
                found = []
        self._show_candidates(found)

    def _strong_ids(self) -> frozenset[str]:
        return frozenset(pid for pid, c in self._candidates.items() if c.strong)

    def _on_confirm_new(self, checked: bool) -> None:
        self._confirmed = self._strong_ids() if checked else frozenset()
        if checked:
            self.candidate_error.clear()

    def open_existing(self) -> None:
        """The picked person's open case is the one: open it, write nothing."""
        if self.existing_case_id:
            self.case_id = self.existing_case_id
            self.accept()

    def unpick(self) -> None:
        """Back to entering a new person, with what was typed before picking."""
        if self._picked is None:
            return
        self._picked = None
        self.existing_case_id = None
        self.open_existing_button.setVisible(False)
        for field, text in zip((self.name, self.kana, self.birth_year), self._typed,
                               strict=True):
            field.setReadOnly(False)
            field.setText(text)
        self._apply_mode()
        self.name.setFocus()

    @property
    def picked_person_id(self) -> str | None:
        return self._picked.person_id if self._picked else None

    def done(self, result: int) -> None:
        self._debounce.stop()  # closed (or locked away): no look-up after this
        super().done(result)
