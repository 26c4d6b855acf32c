"""What the new-case dialog writes, by mode: a person's case (with or without a new household)
or a household-only case.

``NewCaseWritingMixin`` holds the parts of ``NewCaseDialog`` that follow from the mode: which rows
of the form show, whether a household is written, and the one transaction that writes the household
(when new), the person (when new) and the case. ``_ERROR_KEYS`` says under which field a refusal of
that write is shown. The dialog's texts stay in the dialog, under its translation context.
"""

from __future__ import annotations

# where a core ValidationError for (entity, field) is shown
_ERROR_KEYS = {
    ("person", "name"): "name", ("person", "kana"): "kana",
    ("person", "birth_year"): "birth_year", ("person", "district"): "district",
    ("household", "name"): "household_name", ("household", "address_note"): "address_note",
    ("household", "district"): "district", ("case", "district"): "district",
    ("case", "referral_source"): "referral", ("case", "referral_note"): "note",
}


class NewCaseWritingMixin:
    """Mode and writing of ``NewCaseDialog`` (its widgets and state are the dialog's)."""

    @property
    def household_only(self) -> bool:
        return self.household_mode.isChecked()

    def _wants_household(self) -> bool:
        if self.household_only:
            return True
        return self._picked is None and self.with_household.isChecked()

    def _apply_mode(self, *_args) -> None:
        person = not self.household_only
        picked = self._picked is not None
        visible = {
            "name": person, "kana": person, "birth_year": person,
            "candidates": person and not picked and bool(self._candidates),
            "picked": person and picked,
            "with_household": person and not picked,
            "household_name": self._wants_household(),
            "address_note": self._wants_household(),
        }
        for key, shown in visible.items():
            self.form.setRowVisible(self.rows[key], shown)
            if not shown and key in self.errors:
                self.errors[key].clear()
        if not person:
            self.candidate_error.clear()
        self.refresh_candidates()
        if self.sender() is self.person_mode:
            (self.name if person else self.household_name).setFocus()

    def _write(self) -> str:
        store = self.store
        worker = store.worker()
        worker_id = worker.id if worker else None
        team_id = worker["team_id"] if worker else None
        district = self.district.currentText()
        query = self._query()
        with store.batch():
            household_id = None
            if self._wants_household():
                self._step = "household"
                household_id = store.create_household(
                    self.household_name.text().strip(), district,
                    self.address_note.text().strip() or None)
            person_id = None
            if not self.household_only:
                if self._picked is not None:
                    person_id = self._picked.person_id
                    household_id = store.get("person", person_id)["household_id"]
                else:
                    self._step = "person"
                    person_id = store.add_person(
                        query["name"], query["kana"], district, household_id=household_id,
                        birth_year=query["birth_year"])
            self._step = "case"
            return store.open_case(
                referral_source=self.referral.currentData(), district=district,
                person_id=person_id, household_id=household_id,
                referral_note=self.note.toPlainText().strip() or None,
                team_id=team_id, worker_id=worker_id)
