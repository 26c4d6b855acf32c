"""会議の準備 (meeting preparation): kind, date, attending agencies and cases; per case 可 / 不可
under the consent rule; the meeting material as a PDF on a recorded legal basis; and, once the
meeting is held, its record (attendees, decisions, next monitoring date).

The rule and the basis are the core's (``outreach_desk.meetings``, ``outreach_desk.disclosure``):
this screen only shows them. A refused case names the agencies the consent does not cover and
offers 支援会議に切り替える; the material button stays disabled while any case is refused (or,
for an emergency, while no reason is typed), and the core checks everything again, with the
consent as it stands at that moment, when the PDF is made and when the held meeting is recorded.
What is chosen and typed here is kept as a draft (``ui.drafts``) until the meeting is recorded:
locking the screen, closing the tab or a crash leaves it to reopen as it was.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from outreach_desk.atomic import write_atomic
from outreach_desk.caseload import CaseRow
from outreach_desk.disclosure import (
    DisclosureRefused,
    disclose_meeting_material,
    record_held_meeting,
)
from outreach_desk.meetings import (
    CaseCheck,
    MeetingPlan,
    Problem,
    Verdict,
    basis_problem,
    check_meeting,
    default_basis,
    record_problem,
)
from outreach_desk.vocab import LegalBasis, MeetingKind, Role
from ui.case_tabs import fill_table, make_table
from ui.drafts import form_state, restore_form_state
from ui.fmt import date_edit_format, label
from ui.meeting_pdf import material_pdf
from ui.tasks import run_async
from ui.visit_form import ui_locale
from ui.widgets import hint_label

log = logging.getLogger(__name__)

CaseIdRole = Qt.ItemDataRole.UserRole + 1


class MeetingPrepView(QWidget):
    case_requested = Signal(str)
    material_written = Signal(str)  # the PDF's path
    meeting_recorded = Signal(str)  # the meeting's id

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingPrepView")
        self.session = session
        self.rows: dict[str, CaseRow] = {}
        self.chosen: list[str] = []
        self.checks: list[CaseCheck] = []
        self.checked_plan: MeetingPlan | None = None
        self.agency_names: dict[str, str] = {}
        self.role: str | None = None
        self.checks_done = 0  # finished checks (tests wait on it)
        self._build()
        self._load()
        session.changed.connect(self._on_changed)
        self._baseline = self._state()
        session.drafts.watch(self, self)
        session.drafts.restore(self)

    # -- the draft (ui.drafts) ------------------------------------------------------------------

    def _state(self) -> dict:
        return {"fields": form_state(self, skip=("meetingCaseSearch",)),
                "chosen": list(self.chosen)}

    def draft_id(self) -> str:
        return "meeting_prep"

    def draft_state(self) -> dict | None:
        state = self._state()
        return None if state == self._baseline else state

    def restore_draft(self, state: dict) -> None:
        restore_form_state(self, state.get("fields") or {})
        self.chosen = [case_id for case_id in state.get("chosen") or [] if isinstance(case_id, str)]
        self._fill_cases()
        self.recheck()

    # -- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.kind = QComboBox()
        self.kind.setObjectName("meetingKind")
        for kind in MeetingKind:
            self.kind.addItem(label(kind), kind.value)
        self.held_on = QDateEdit(QDate.currentDate())
        self.held_on.setObjectName("meetingDate")
        self.held_on.setCalendarPopup(True)
        self.held_on.setLocale(ui_locale())
        self.held_on.setDisplayFormat(date_edit_format())
        top = QHBoxLayout()
        for widget in (QLabel(self.tr("会議の種別")), self.kind, QLabel(self.tr("開催日")),
                       self.held_on):
            top.addWidget(widget)
        top.addStretch(1)

        self.agencies = QListWidget()
        self.agencies.setObjectName("meetingAgencies")
        agencies_box = QGroupBox(self.tr("出席する関係機関"))
        QVBoxLayout(agencies_box).addWidget(self.agencies)

        self.search = QLineEdit()
        self.search.setObjectName("meetingCaseSearch")
        self.search.setPlaceholderText(self.tr("氏名・ふりがなで絞り込み"))
        self.caseload = QListWidget()
        self.caseload.setObjectName("meetingCaseload")
        self.add_button = QPushButton(self.tr("ケースを追加 →"))
        self.add_button.setObjectName("meetingAddCase")
        picker_box = QGroupBox(self.tr("担当ケースから選ぶ"))
        picker = QVBoxLayout(picker_box)
        for widget in (self.search, self.caseload, self.add_button):
            picker.addWidget(widget)

        self.cases = make_table("meetingCases", [
            self.tr("氏名"), self.tr("地区"), self.tr("支援段階"), self.tr("判定")], stretch=3)
        self.remove_button = QPushButton(self.tr("外す"))
        self.remove_button.setObjectName("meetingRemoveCase")
        self.switch_button = QPushButton(self.tr("支援会議に切り替える"))
        self.switch_button.setObjectName("switchToCouncil")
        self.verdict = hint_label(name="meetingVerdict")
        self.verdict.setWordWrap(True)
        cases_box = QGroupBox(self.tr("検討するケース"))
        cases_layout = QVBoxLayout(cases_box)
        cases_layout.addWidget(self.cases)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.switch_button)
        cases_layout.addLayout(buttons)
        cases_layout.addWidget(self.verdict)

        self.basis = QLabel()
        self.basis.setObjectName("meetingBasis")
        self.emergency = QCheckBox(self.tr("緊急の提供（理由を記録します）"))
        self.emergency.setObjectName("emergencyBasis")
        self.reason = QLineEdit()
        self.reason.setObjectName("emergencyReason")
        self.reason.setPlaceholderText(self.tr("緊急に提供する理由（必須）"))
        self.material_button = QPushButton(self.tr("会議資料を作成（PDF）…"))
        self.material_button.setObjectName("makeMaterial")
        material_box = QGroupBox(self.tr("会議資料"))
        material = QGridLayout(material_box)
        material.addWidget(QLabel(self.tr("提供の根拠")), 0, 0)
        material.addWidget(self.basis, 0, 1)
        material.addWidget(self.emergency, 1, 0)
        material.addWidget(self.reason, 1, 1)
        material.addWidget(self.material_button, 2, 1, Qt.AlignmentFlag.AlignRight)

        self.decisions = QPlainTextEdit()
        self.decisions.setObjectName("meetingDecisions")
        self.decisions.setPlaceholderText(self.tr("決定事項（役割分担、次の一手など）"))
        self.decisions.setTabChangesFocus(True)
        self.decisions.setMaximumHeight(90)
        self.has_next = QCheckBox(self.tr("次回モニタリング"))
        self.has_next.setObjectName("meetingHasNext")
        self.next_date = QDateEdit(QDate.currentDate().addMonths(3))
        self.next_date.setObjectName("meetingNextDate")
        self.next_date.setCalendarPopup(True)
        self.next_date.setLocale(ui_locale())
        self.next_date.setDisplayFormat(date_edit_format())
        self.record_button = QPushButton(self.tr("会議を記録する"))
        self.record_button.setObjectName("recordMeeting")
        record_box = QGroupBox(self.tr("開催後の記録（出席機関は上で選んだ機関）"))
        record = QGridLayout(record_box)
        record.addWidget(self.decisions, 0, 0, 1, 3)
        record.addWidget(self.has_next, 1, 0)
        record.addWidget(self.next_date, 1, 1)
        record.addWidget(self.record_button, 1, 2, Qt.AlignmentFlag.AlignRight)

        self.status = hint_label(name="meetingStatus")
        self.status.setWordWrap(True)
        grid = QGridLayout()
        grid.addWidget(agencies_box, 0, 0)
        grid.addWidget(picker_box, 0, 1)
        grid.addWidget(cases_box, 0, 2)
        grid.addWidget(material_box, 1, 0, 1, 2)
        grid.addWidget(record_box, 1, 2)
        grid.setColumnStretch(2, 2)
        grid.setRowStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
        layout.addWidget(self.status)

        self.kind.currentIndexChanged.connect(lambda _: self.recheck())
        self.held_on.dateChanged.connect(lambda _: self.recheck())
        self.agencies.itemChanged.connect(lambda _: self.recheck())
        self.search.textChanged.connect(self._filter)
        self.caseload.itemActivated.connect(lambda _: self.add_selected())
        self.add_button.clicked.connect(self.add_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.switch_button.clicked.connect(self.switch_to_council)
        self.cases.itemActivated.connect(self._open_case)
        self.emergency.toggled.connect(lambda _: self._update_buttons())
        self.reason.textChanged.connect(lambda _: self._update_buttons())
        self.material_button.clicked.connect(self._ask_pdf)
        self.record_button.clicked.connect(self.record_meeting)
        self._update_buttons()

    # -- loading ------------------------------------------------------------------------------

    def _load(self) -> None:
        if not self.session.is_unlocked:
            return
        store = self.session.store
        self.role = store.acting_role().value  # the server's, once enrolled
        supervisor = self.role in (Role.SUPERVISOR.value, Role.ADMINISTRATOR.value)
        self.emergency.setEnabled(supervisor)
        self.reason.setEnabled(supervisor)
        if not supervisor:
            self.emergency.setToolTip(self.tr("緊急の提供はスーパーバイザーだけが行えます"))
        self.agencies.blockSignals(True)
        self.agencies.clear()
        for agency in sorted(store.list_entities("agency"), key=lambda a: a["name"] or ""):
            self.agency_names[agency.id] = agency["name"] or ""
            item = QListWidgetItem(agency["name"] or "")
            item.setData(CaseIdRole, agency.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.agencies.addItem(item)
        self.agencies.blockSignals(False)
        run_async(self, store.caseload, self._show_caseload)

    def _show_caseload(self, rows: list[CaseRow]) -> None:
        self.rows = {row.case_id: row for row in rows}
        self.caseload.clear()
        for row in sorted(rows, key=lambda r: (not r.is_open, r.kana, r.case_id)):
            item = QListWidgetItem(self.tr("{name}（{district}・{stage}）").format(
                name=row.name, district=row.district, stage=label(row.stage)))
            item.setData(CaseIdRole, row.case_id)
            self.caseload.addItem(item)
        self._filter(self.search.text())
        self._fill_cases()

    def _filter(self, text: str) -> None:
        text = text.strip()
        for index in range(self.caseload.count()):
            item = self.caseload.item(index)
            row = self.rows.get(item.data(CaseIdRole))
            hidden = bool(text) and (row is None or (text not in row.name
                                                     and text not in row.kana))
            item.setHidden(hidden)

    def _on_changed(self, summary) -> None:
        # a consent event or a case arriving (typed here or synced) may change a verdict
        if self.chosen and (summary.touches("person") or summary.touches("case")):
            self.recheck()

    # -- the plan and its checks --------------------------------------------------------------

    def plan(self) -> MeetingPlan:
        agencies = tuple(self.agencies.item(i).data(CaseIdRole)
                         for i in range(self.agencies.count())
                         if self.agencies.item(i).checkState() == Qt.CheckState.Checked)
        return MeetingPlan(MeetingKind(self.kind.currentData()),
                           self.held_on.date().toPython(), agencies, tuple(self.chosen))

    def set_agencies(self, agency_ids) -> None:
        wanted = set(agency_ids)
        for index in range(self.agencies.count()):
            item = self.agencies.item(index)
            item.setCheckState(Qt.CheckState.Checked if item.data(CaseIdRole) in wanted
                               else Qt.CheckState.Unchecked)

    def set_kind(self, kind: MeetingKind) -> None:
        self.kind.setCurrentIndex(self.kind.findData(MeetingKind(kind).value))

    def add_case(self, case_id: str) -> None:
        if case_id not in self.chosen:
            self.chosen.append(case_id)
            self.session.drafts.touch(self)
            self.recheck()

    def add_selected(self) -> None:
        item = self.caseload.currentItem()
        if item is not None and not item.isHidden():
            self.add_case(item.data(CaseIdRole))

    def remove_selected(self) -> None:
        row = self.cases.currentRow()
        if 0 <= row < len(self.chosen):
            del self.chosen[row]
            self.session.drafts.touch(self)
            self.recheck()

    def switch_to_council(self) -> None:
        self.set_kind(MeetingKind.SUPPORT_COUNCIL)

    def recheck(self) -> None:
        if not self.session.is_unlocked:
            return
        plan = self.plan()
        self.checked_plan = None
        self._update_buttons()
        store = self.session.store
        run_async(self, lambda: (plan, check_meeting(store, plan)), self._show_checks,
                  self._check_failed)

    def _check_failed(self, exc: BaseException) -> None:
        log.error("meeting check failed (%s)", exc.__class__.__name__)
        self.status.setText(self.tr("判定できませんでした。もう一度お試しください。"))

    def _show_checks(self, result) -> None:
        plan, checks = result
        self.checks_done += 1
        if plan != self.plan():
            return  # the screen changed meanwhile: a newer check is on its way
        self.checked_plan, self.checks = plan, checks
        self._fill_cases()
        self._update_buttons()

    def verdict_text(self, check: CaseCheck) -> str:
        def names(agency_ids) -> str:
            return self.tr("、").join(self.agency_names.get(a, "?") for a in agency_ids)

        if check.verdict is Verdict.WITHDRAWN and check.never_consented:
            text = self.tr("不可: 撤回 — {withdrawn}／同意なし — {agencies}。支援会議なら可")
            return text.format(withdrawn=names(check.withdrawn),
                               agencies=names(check.never_consented))
        texts = {
            Verdict.ALLOWED_CONSENT: self.tr("可（本人同意）"),
            Verdict.ALLOWED_COUNCIL: self.tr("可（支援会議・法106条の6）"),
            Verdict.NOT_COVERED: self.tr("不可: 同意なし — {agencies}。支援会議なら可"),
            Verdict.NO_CONSENT: self.tr("不可: 同意なし（同意の記録がありません） — {agencies}。"
                                        "支援会議なら可"),
            Verdict.WITHDRAWN: self.tr("不可: 撤回 — {agencies}。支援会議なら可"),
            Verdict.NO_PERSON: self.tr("不可: 世帯のケース（本人の同意なし）。支援会議なら可"),
        }
        return texts[check.verdict].format(agencies=names(check.missing))

    def _fill_cases(self) -> None:
        checks = {c.case_id: c for c in self.checks} if self.checked_plan else {}
        rows = []
        for case_id in self.chosen:
            row = self.rows.get(case_id)
            check = checks.get(case_id)
            rows.append([row.name if row else "", row.district if row else "",
                         label(row.stage) if row else "",
                         self.verdict_text(check) if check else self.tr("判定中…")])
        fill_table(self.cases, rows)

    def current_basis(self) -> tuple[LegalBasis, str]:
        if self.emergency.isChecked():
            return LegalBasis.EMERGENCY, self.reason.text()
        return default_basis(MeetingKind(self.kind.currentData())), ""

    def _update_buttons(self) -> None:
        plan = self.plan()
        basis, reason = self.current_basis()
        self.basis.setText(label(basis))
        checked = self.checked_plan is not None and self.checked_plan == plan
        refused = [c for c in self.checks if not c.allowed] if checked else []
        self.switch_button.setEnabled(bool(refused)
                                      and plan.kind is not MeetingKind.SUPPORT_COUNCIL)
        problem = basis_problem(plan, self.checks if checked else [], basis, reason,
                                self.role) if checked else Problem.NO_CASES
        self.material_button.setEnabled(checked and problem is None)
        self.record_button.setEnabled(checked and bool(plan.case_ids) and not refused)
        if not plan.case_ids:
            self.verdict.setText(self.tr("ケースを追加してください。"))
        elif not checked:
            self.verdict.setText(self.tr("判定しています…"))
        elif refused:
            self.verdict.setText(self.tr(
                "{n} 件のケースはこの会議では扱えません。資料は作成できません。"
                "支援会議（法106条の6）に切り替えると、同意がなくても検討できます。").format(
                n=len(refused)))
        elif problem is not None:
            self.verdict.setText(self.problem_text(problem))
        else:
            self.verdict.setText(self.tr("すべてのケースを扱えます。"))

    def problem_text(self, problem: Problem) -> str:
        return {
            Problem.NO_CASES: self.tr("ケースが選ばれていません。"),
            Problem.NO_AGENCIES: self.tr("出席する関係機関を選んでください。"),
            Problem.NO_BASIS: self.tr("提供の根拠がありません。根拠のない資料は作成できません。"),
            Problem.BAD_BASIS: self.tr("提供の根拠が正しくありません。"),
            Problem.NO_REASON: self.tr("緊急の提供には理由の入力が必要です。"),
            Problem.NOT_SUPERVISOR: self.tr("緊急の提供はスーパーバイザーだけが行えます。"),
            Problem.COUNCIL_ONLY: self.tr("法106条の6 を根拠にできるのは支援会議だけです。"),
            Problem.COUNCIL_BASIS: self.tr("支援会議の資料は 法106条の6 を根拠に作成します。"),
            Problem.NOT_ALLOWED: self.tr(
                "本人同意の範囲外のケースがあります。支援会議に切り替えるか、ケースを外してください。"),
            Problem.NOT_HELD_YET: self.tr(
                "開催日がまだ来ていません。会議が終わってから記録してください。"),
            Problem.NO_DECISIONS: self.tr("決定事項を入力してください。"),
        }[problem]

    # -- the material ---------------------------------------------------------------------------

    def _ask_pdf(self) -> None:
        plan = self.plan()
        name = self.tr("会議資料_{day}.pdf").format(day=plan.held_on.isoformat())
        path, _ = QFileDialog.getSaveFileName(self, self.tr("会議資料の保存先"), name,
                                              self.tr("PDF ファイル (*.pdf)"))
        if path:
            self.export_pdf(path)

    def export_pdf(self, path: str) -> None:
        """Make the material (the core checks the basis again, with the consent as it stands
        now, and records the disclosure), then write it to ``path``."""
        if not self.session.is_unlocked:
            return
        store, plan = self.session.store, self.plan()
        basis, reason = self.current_basis()
        self.material_button.setEnabled(False)
        self.status.setText(self.tr("会議資料を作成しています…"))
        wareki = self.session.settings.calendar == "wareki"  # 日付の書き方
        run_async(self, lambda: disclose_meeting_material(
            store, plan, basis=basis, reason=reason, render=material_pdf, wareki=wareki),
            lambda done: self._write_pdf(path, done), self._material_failed)

    def _write_pdf(self, path: str, done) -> None:
        try:
            write_atomic(Path(path), done.data)
        except OSError as exc:
            self.status.setText(self.tr(
                "ファイルを書き出せませんでした: {reason}（提供の記録は残っています）").format(
                reason=exc.strerror or ""))
            self._update_buttons()
            return
        self.status.setText(self.tr("会議資料を作成し、提供の記録を残しました: {path}").format(
            path=path))
        self._update_buttons()
        self.material_written.emit(path)

    def _material_failed(self, exc: BaseException) -> None:
        if isinstance(exc, DisclosureRefused):
            self.status.setText(self.tr("作成できませんでした: {problem}").format(
                problem=self.problem_text(exc.problem)))
            self.recheck()  # the consent changed since the screen last checked
            return
        log.error("meeting material failed (%s)", exc.__class__.__name__)
        self.status.setText(self.tr("会議資料を作成できませんでした。もう一度お試しください。"))
        self._update_buttons()

    # -- recording the held meeting -----------------------------------------------------------

    def record_meeting(self) -> None:
        if not self.session.is_unlocked:
            return
        plan = self.plan()
        decisions = self.decisions.toPlainText()
        checked = self.checked_plan == plan
        problem = record_problem(plan, self.checks if checked else [], decisions, date.today())
        if problem is not None:
            self.status.setText(self.problem_text(problem))
            return
        # the core checks the consent again inside the write (a check may still be running)
        store = self.session.store
        next_date = self.next_date.date().toPython() if self.has_next.isChecked() else None
        self.record_button.setEnabled(False)
        run_async(self, lambda: record_held_meeting(
            store, plan, decisions=decisions, next_monitoring_date=next_date),
            self._recorded, self._record_failed)

    def _recorded(self, meeting_id: str) -> None:
        self.decisions.clear()
        self._baseline = self._state()  # recorded: what stays on screen is no draft
        self.session.drafts.discard(self.draft_id())
        self.status.setText(self.tr("会議を記録しました。各ケースの「会議」と「経過」に表示されます。"))
        self._update_buttons()
        self.meeting_recorded.emit(meeting_id)

    def _record_failed(self, exc: BaseException) -> None:
        if isinstance(exc, DisclosureRefused):
            self.status.setText(self.problem_text(exc.problem))
            self.recheck()  # the consent changed since the screen last checked
            return
        log.error("meeting could not be recorded (%s)", exc.__class__.__name__)
        self.status.setText(self.tr("会議を記録できませんでした。入力を確かめてください。"))
        self._update_buttons()

    def _open_case(self, item) -> None:
        row = item.row() if item is not None else -1
        if 0 <= row < len(self.chosen):
            self.case_requested.emit(self.chosen[row])


__all__ = ["MeetingPrepView"]
