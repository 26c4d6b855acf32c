"""New case (新規ケース): a person — or a household only — found through one of the 入口.

名寄せ: while the worker types the name, reading, birth year and district (debounced), people
already in the store who may be the same person are listed with the reasons (同じよみ …). The
worker either picks one — the case is then opened for that person and no new person is written —
or, when a match is strong (same reading or same written name), confirms 「別の人として登録」.
A strong match is never saved as a new person silently: saving re-checks the candidates first.

Saving writes the household (when new), the person (when new) and the case in one transaction,
assigned to the current worker and their team; a mistake shows under its field and writes nothing.
What is typed (and the person picked) is kept as a draft (``ui.drafts``) until the case is saved or
the dialog cancelled, so locking the screen reopens the dialog as it was.
"""

from __future__ import annotations

import logging
import re
from datetime import date

from PySide6.QtCore import QRegularExpression, Qt, QTimer
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from outreach_desk.errors import OutreachDeskError, ValidationError
from outreach_desk.matching import Candidate
from outreach_desk.model import clean_fields
from outreach_desk.vocab import ReferralSource
from ui.drafts import DialogDrafts, form_state
from ui.fmt import DISTRICTS, format_date, label
from ui.new_case_matching import (
    DEBOUNCE_MS,
    CandidateMatchingMixin,
    _CandidateList,
    normalize_kana,
)
from ui.new_case_writing import _ERROR_KEYS, NewCaseWritingMixin
from ui.widgets import ErrorLabel, field_cell, hint_label, row

log = logging.getLogger(__name__)

TEXT_MAX = 100  # the core's limit for names and readings
NOTE_MAX = 1000


class NewCaseDialog(CandidateMatchingMixin, NewCaseWritingMixin, DialogDrafts, QDialog):
    def __init__(self, store, parent: QWidget | None = None, *, drafts=None) -> None:
        super().__init__(parent)
        self.setObjectName("newCaseDialog")
        self.setWindowTitle(self.tr("新規ケース"))
        self.setMinimumWidth(600)
        self.store = store
        self.case_id: str | None = None
        self._candidates: dict[str, Candidate] = {}
        self._confirmed: frozenset[str] = frozenset()  # strong matches declared different
        self._picked: Candidate | None = None
        self._typed: tuple[str, str, str] = ("", "", "")
        self._attempted = False
        self._step = ""  # what _write was writing when the store refused it
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh_candidates)
        self._build()
        self._apply_mode()
        self._preselect_district()
        self.name.setFocus()
        self.keep_drafts_with(drafts, "new_case")

    # -- widgets ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.person_mode = QRadioButton(self.tr("対象者のケース(&P)"))
        self.person_mode.setObjectName("personMode")
        self.person_mode.setChecked(True)
        self.household_mode = QRadioButton(self.tr("世帯のみのケース(&H)"))
        self.household_mode.setObjectName("householdMode")
        self.household_mode.setToolTip(self.tr(
            "まだ誰が支援の対象か分からないときなど、世帯として記録します。"))
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.person_mode)
        self.mode_group.addButton(self.household_mode)
        self.person_mode.toggled.connect(self._apply_mode)

        self.name = self._line_edit("personName", self.tr("例: 黒木 花子"))
        self.kana = self._line_edit("personKana", self.tr("例: くろき はなこ"))
        self.birth_year = self._line_edit("birthYear", self.tr("例: 1950（分からなければ空欄）"))
        self.birth_year.setMaxLength(4)
        self.birth_year.setValidator(QRegularExpressionValidator(
            QRegularExpression("[0-9０-９]{0,4}"), self.birth_year))
        self.district = QComboBox()
        self.district.setObjectName("district")
        self.district.addItems(DISTRICTS)
        self.district.setPlaceholderText(self.tr("選択してください"))
        self.district.setCurrentIndex(-1)

        # 名寄せ: possible duplicates
        self.candidate_box = QFrame()
        self.candidate_box.setObjectName("candidateBox")
        self.candidate_box.setFrameShape(QFrame.Shape.StyledPanel)
        candidate_title = QLabel(self.tr("似ている対象者が登録されています（名寄せ）"))
        font = candidate_title.font()
        font.setBold(True)
        candidate_title.setFont(font)
        self.candidate_hint = hint_label(self.tr(
            "同じ人なら選んで「この人のケースを開く」を押してください。"
            "新しい対象者は登録されません。"))
        self.candidate_list = _CandidateList()
        self.candidate_list.setObjectName("candidateList")
        self.candidate_list.setAccessibleName(self.tr("似ている対象者"))
        self.candidate_list.setMaximumHeight(130)
        self.candidate_list.itemActivated.connect(self.pick)
        self.candidate_list.currentItemChanged.connect(
            lambda current, _previous: self.pick_button.setEnabled(current is not None))
        self.pick_button = QPushButton(self.tr("この人のケースを開く(&E)"))
        self.pick_button.setObjectName("pickCandidateButton")
        self.pick_button.setAutoDefault(False)
        self.pick_button.clicked.connect(lambda: self.pick())
        self.confirm_new = QCheckBox(self.tr("別の人として登録する(&A)"))
        self.confirm_new.setObjectName("confirmNewPerson")
        self.confirm_new.setToolTip(self.tr(
            "よみか氏名が同じ人とは別の人であることを確かめたら、チェックしてください。"))
        self.confirm_new.toggled.connect(self._on_confirm_new)
        self.candidate_error = ErrorLabel("candidateError")
        box = QVBoxLayout(self.candidate_box)
        box.addWidget(candidate_title)
        box.addWidget(self.candidate_hint)
        box.addWidget(self.candidate_list)
        box.addLayout(row(self.pick_button, self.confirm_new, stretch=True))
        box.addWidget(self.candidate_error)

        self.picked_box = QFrame()
        self.picked_box.setObjectName("pickedBox")
        self.picked_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.picked_label = QLabel()
        self.picked_label.setObjectName("pickedLabel")
        self.picked_label.setWordWrap(True)
        self.picked_label.setTextFormat(Qt.TextFormat.PlainText)
        self.unpick_button = QPushButton(self.tr("選択を取り消す(&U)"))
        self.unpick_button.setObjectName("unpickButton")
        self.unpick_button.setAutoDefault(False)
        self.unpick_button.clicked.connect(self.unpick)
        self.existing_case_id: str | None = None
        self.open_existing_button = QPushButton(self.tr("既存のケースを開く(&X)"))
        self.open_existing_button.setObjectName("openExistingCaseButton")
        self.open_existing_button.clicked.connect(self.open_existing)
        self.open_existing_button.setAutoDefault(False)
        self.open_existing_button.setVisible(False)
        picked = QVBoxLayout(self.picked_box)
        picked.addWidget(self.picked_label)
        picked.addLayout(row(self.open_existing_button, self.unpick_button, stretch=True))

        self.with_household = QCheckBox(self.tr("この人の世帯も登録する(&W)"))
        self.with_household.setObjectName("withHousehold")
        self.with_household.toggled.connect(self._on_with_household)
        self.household_name = self._line_edit("householdName", self.tr("例: 黒木家"))
        self.address_note = self._line_edit("addressNote", self.tr("例: 〇〇商店の裏、青い屋根"))
        self.address_note.setMaxLength(200)

        self.referral = QComboBox()
        self.referral.setObjectName("referralSource")
        for source in ReferralSource:
            self.referral.addItem(label(source), source.value)
        self.referral.setPlaceholderText(self.tr("選択してください"))
        self.referral.setCurrentIndex(-1)
        self.note = QPlainTextEdit()
        self.note.setObjectName("referralNote")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(
            self.tr("例: 近所の方から、新聞がたまっていると連絡があった。"))
        self.note.setMaximumHeight(90)

        self.errors = {name: ErrorLabel(f"error_{name}") for name in (
            "name", "kana", "birth_year", "district", "household_name", "address_note",
            "referral", "note")}
        self.error = ErrorLabel("newCaseError")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form = form
        self.rows: dict[str, int] = {}

        def add(key: str, caption: str | None, field: QWidget, *below: QWidget) -> None:
            self.rows[key] = form.rowCount()
            cell = field_cell(field, *below)
            if caption is None:
                form.addRow(cell)
                return
            text = QLabel(caption)
            text.setBuddy(field)
            form.addRow(text, cell)

        modes = QWidget()
        modes.setLayout(row(self.person_mode, self.household_mode, stretch=True))
        modes.layout().setContentsMargins(0, 0, 0, 0)
        add("mode", self.tr("種類"), modes)
        add("name", self.tr("氏名(&N)"), self.name, self.errors["name"])
        add("kana", self.tr("ふりがな(&K)"), self.kana, self.errors["kana"])
        add("birth_year", self.tr("生年(&B)"), self.birth_year, self.errors["birth_year"])
        add("district", self.tr("地区(&D)"), self.district, self.errors["district"])
        add("candidates", None, self.candidate_box)
        add("picked", None, self.picked_box)
        add("with_household", "", self.with_household)
        add("household_name", self.tr("世帯名(&O)"), self.household_name,
            self.errors["household_name"])
        add("address_note", self.tr("所在地メモ(&L)"), self.address_note,
            self.errors["address_note"])
        add("referral", self.tr("把握の経路（入口）(&R)"), self.referral, self.errors["referral"])
        add("note", self.tr("把握の経緯(&M)"), self.note, self.errors["note"])

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.setObjectName("newCaseButtons")
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("登録(&S)"))
        self.save_button.setToolTip(self.tr("登録して、ケースを開きます (Ctrl+Enter)"))
        self.save_button.setObjectName("saveCaseButton")
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)
        for field in (self.name, self.kana, self.birth_year):
            field.textChanged.connect(self._on_person_edited)
        self.district.currentIndexChanged.connect(self._on_person_edited)
        self.kana.textChanged.connect(self._check_kana_now)
        for key, widget in (("household_name", self.household_name),
                            ("address_note", self.address_note)):
            widget.textChanged.connect(lambda *_, k=key: self._recheck(k))
        self.referral.currentIndexChanged.connect(lambda *_: self._recheck("referral"))
        self.note.textChanged.connect(lambda: self._recheck("note"))

    def _line_edit(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setMaxLength(TEXT_MAX)
        edit.setPlaceholderText(placeholder)
        return edit

    def _preselect_district(self) -> None:
        """The district in the worker's team name (野尻担当 → 野尻), when there is exactly one."""
        try:
            worker = self.store.worker()
            team = self.store.get("team", worker["team_id"]) if worker and worker["team_id"] \
                else None
        except OutreachDeskError:
            return
        named = [d for d in DISTRICTS if team is not None and d in (team["name"] or "")]
        if len(named) == 1:
            self.district.setCurrentText(named[0])

    # -- the draft ------------------------------------------------------------------------------

    def draft_state(self) -> dict | None:
        """The fields, and the person picked from the 名寄せ list (with what was typed first)."""
        state = super().draft_state()
        if self._picked is not None:
            state = {"fields": form_state(self), "picked": self._picked.person_id,
                     "typed": list(self._typed)}
        return state

    def restore_draft(self, state: dict) -> None:
        super().restore_draft(state)
        typed = state.get("typed")
        if state.get("picked") and typed and len(typed) == 3:
            for field, text in zip((self.name, self.kana, self.birth_year), typed, strict=True):
                field.setText(text)
        self.refresh_candidates()
        for index in range(self.candidate_list.count()):
            item = self.candidate_list.item(index)
            if state.get("picked") and item.data(Qt.ItemDataRole.UserRole) == state["picked"]:
                self.pick(item)
                break

    # -- mode, household ----------------------------------------------------------------------

    def _on_with_household(self, checked: bool) -> None:
        if checked and not self.household_name.text().strip():
            words = self.name.text().split()
            if len(words) > 1:
                self.household_name.setText(self.tr("{family}家").format(family=words[0]))
        self._apply_mode()
        if checked:
            self.household_name.setFocus()

    # -- 名寄せ ---------------------------------------------------------------------------------

    def _show_candidates(self, found: list[Candidate]) -> None:
        current = self.candidate_list.currentItem()
        keep = current.data(Qt.ItemDataRole.UserRole) if current else None
        self._candidates = {c.person_id: c for c in found}
        strong = self._strong_ids()
        if not strong <= self._confirmed:  # a new strong match: confirm again
            self._confirmed = frozenset()
            self.confirm_new.blockSignals(True)
            self.confirm_new.setChecked(False)
            self.confirm_new.blockSignals(False)
        self.candidate_list.clear()
        for candidate in found:
            item = QListWidgetItem(self._describe(candidate))
            item.setData(Qt.ItemDataRole.UserRole, candidate.person_id)
            if candidate.strong:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
                item.setToolTip(self.tr("よみか氏名が同じです"))
            self.candidate_list.addItem(item)
            if candidate.person_id == keep:
                self.candidate_list.setCurrentItem(item)
        if found and self.candidate_list.currentItem() is None:
            self.candidate_list.setCurrentRow(0)
        self.pick_button.setEnabled(self.candidate_list.currentItem() is not None)
        self.confirm_new.setVisible(bool(strong))
        if not strong or strong <= self._confirmed:
            self.candidate_error.clear()
        visible = bool(found) and not self.household_only and self._picked is None
        self.form.setRowVisible(self.rows["candidates"], visible)

    def _reason(self, code: str) -> str:
        if code == "reading":
            return self.tr("同じよみ")
        if code == "name":
            return self.tr("同じ氏名")
        if code == "family":
            return self.tr("同じ姓")
        if code == "birth_year":
            return self.tr("同じ生年")
        if code == "district":
            return self.tr("同じ地区")
        return code

    def _describe(self, candidate: Candidate) -> str:
        parts = [self.tr("{name}（{kana}）").format(name=candidate.name, kana=candidate.kana)]
        if candidate.birth_year:
            parts.append(self.tr("{year}年生まれ").format(year=candidate.birth_year))
        if candidate.district:
            parts.append(candidate.district)
        reasons = self.tr("・", "between match reasons").join(
            self._reason(code) for code in candidate.reasons)
        parts.append(self.tr("［{reasons}］").format(reasons=reasons))
        return "  ".join(parts)

    def pick(self, item: QListWidgetItem | None = None) -> None:
        """Open the case for this existing person: no new person is written."""
        item = item or self.candidate_list.currentItem()
        if item is None:
            return
        candidate = self._candidates.get(item.data(Qt.ItemDataRole.UserRole))
        if candidate is None:
            return
        self._typed = (self.name.text(), self.kana.text(), self.birth_year.text())
        self._picked = candidate
        self._debounce.stop()
        self.name.setText(candidate.name)
        self.kana.setText(candidate.kana)
        self.birth_year.setText(str(candidate.birth_year) if candidate.birth_year else "")
        for field in (self.name, self.kana, self.birth_year):
            field.setReadOnly(True)
        if candidate.district in DISTRICTS:
            self.district.setCurrentText(candidate.district)
        text = self.tr(
            "登録済みの対象者「{name}（{kana}）」のケースとして開きます。"
            "新しい対象者は登録しません。").format(name=candidate.name, kana=candidate.kana)
        open_cases = [row for row in self.store.cases_of(candidate.person_id) if row.is_open]
        self.existing_case_id = open_cases[0].case_id if open_cases else None
        if open_cases:
            text += "\n" + self.tr(
                "この人には対応中のケースがあります（{stage}、{since}から）。"
                "同じ相談なら、新しいケースを作らずに既存のケースを開いてください。").format(
                    stage=label(open_cases[0].stage),
                    since=format_date(open_cases[0].stage_since or open_cases[0].opened_on))
        self.picked_label.setText(text)
        self.open_existing_button.setVisible(bool(open_cases))
        for key in ("name", "kana", "birth_year"):
            self.errors[key].clear()
        self.candidate_error.clear()
        self._apply_mode()
        (self.open_existing_button if open_cases else self.referral).setFocus()

    # -- checking -----------------------------------------------------------------------------

    def _message(self, entity: str, exc: ValidationError) -> str:
        """The Japanese message for a core validation error of ``entity``."""
        if exc.rule == "too_long":
            found = re.search(r"\d+", exc.message)
            return self.tr("{n}文字以内で入力してください。").format(
                n=found.group() if found else TEXT_MAX)
        if exc.field == "birth_year":
            return self.tr("生年は1900年から{year}年までの西暦で入力してください（例: 1950）。"
                           ).format(year=date.today().year)
        if exc.field == "kana":
            if exc.rule == "required":
                return self.tr("ふりがなを入力してください。")
            return self.tr("ふりがなは、ひらがなかカタカナで入力してください。")
        if exc.field == "district":
            return self.tr("地区を選んでください。")
        if exc.field == "referral_source":
            return self.tr("把握の経路を選んでください。")
        if exc.rule == "ref":  # e.g. the team was removed on another device meanwhile
            return self.tr("関連する記録（担当チームなど）が見つかりません。"
                           "削除された可能性があります。")
        if exc.rule == "required":
            if entity == "person" and exc.field == "name":
                return self.tr("氏名を入力してください。")
            if entity == "household" and exc.field == "name":
                return self.tr("世帯名を入力してください。")
            return self.tr("入力してください。")
        return self.tr("入力内容を確認してください。")

    def _problem(self, entity: str, field: str, value) -> str | None:
        try:
            clean_fields(entity, {field: value}, complete=False)
        except ValidationError as exc:
            return self._message(entity, exc)
        return None

    def problems(self) -> dict[str, str]:
        """What keeps the case from being saved, by field, in Japanese."""
        found: dict[str, str | None] = {}
        if not self.household_only and self._picked is None:
            query = self._query()
            found["name"] = self._problem("person", "name", query["name"])
            found["kana"] = self._problem("person", "kana", query["kana"])
            found["birth_year"] = self._problem("person", "birth_year",
                                                self.birth_year.text().strip())
            if self._strong_ids() - self._confirmed:
                found["candidates"] = self.tr(
                    "よみか氏名が同じ人が、すでに登録されています。同じ人なら一覧から選び、"
                    "別の人なら「別の人として登録する」にチェックしてください。")
        if self.district.currentIndex() < 0:
            found["district"] = self.tr("地区を選んでください。")
        if self._wants_household():
            found["household_name"] = self._problem(
                "household", "name", self.household_name.text().strip())
            found["address_note"] = self._problem(
                "household", "address_note", self.address_note.text().strip())
        if self.referral.currentIndex() < 0:
            found["referral"] = self.tr("把握の経路を選んでください。")
        note = self.note.toPlainText().strip()
        if len(note) > NOTE_MAX:
            found["note"] = self.tr("{n}文字以内で入力してください。").format(n=NOTE_MAX)
        return {key: message for key, message in found.items() if message}

    def _show_problems(self, found: dict[str, str]) -> None:
        for key, error in self.errors.items():
            error.set(found.get(key))
        self.candidate_error.set(found.get("candidates"))

    def _check_kana_now(self, *_args) -> None:
        """A reading typed in kanji or romaji is pointed out at once, not only on saving."""
        reading = normalize_kana(self.kana.text())
        if self._picked is None and (reading or self._attempted):
            self.errors["kana"].set(self._problem("person", "kana", reading))
        else:
            self.errors["kana"].clear()

    def _recheck(self, key: str) -> None:
        """After a first try to save, each message goes away as soon as it is fixed."""
        if self._attempted:
            self.errors[key].set(self.problems().get(key))

    # -- saving -------------------------------------------------------------------------------

    def save(self) -> None:
        """Write household (if new) + person (if new) + case, all or nothing, then accept."""
        self._attempted = True
        self.error.clear()
        self.refresh_candidates()  # never trust a list the debounce has not refreshed yet
        found = self.problems()
        self._show_problems(found)
        if found:
            self._focus_first(found)
            return
        try:
            case_id = self._write()
        except ValidationError as exc:
            key = _ERROR_KEYS.get((self._step, exc.field))
            message = self._message(self._step, exc)
            if key:
                self.errors[key].set(message)
            else:
                self.error.set(message)
            log.info("new case refused by the store: %s", exc.code)
            return
        except OutreachDeskError as exc:
            log.warning("new case could not be saved: %s", exc.code)
            self.error.set(self.tr("保存できませんでした。もう一度お試しください。"))
            return
        self.case_id = case_id
        self.accept()

    def _focus_first(self, found: dict[str, str]) -> None:
        order = (("name", self.name), ("kana", self.kana), ("birth_year", self.birth_year),
                 ("district", self.district), ("candidates", self.candidate_list),
                 ("household_name", self.household_name), ("address_note", self.address_note),
                 ("referral", self.referral), ("note", self.note))
        for key, widget in order:
            if key in found:
                widget.setFocus()
                return


__all__ = ["NewCaseDialog", "normalize_kana"]
