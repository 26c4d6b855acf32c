"""One case, opened in its own workspace tab: who, consent, the visit timeline and the rest.

The header names the person (氏名, ふりがな, birth year, district) and household, the 支援段階 and
the relationship reached; under it the consent banner (同意状況) is always in view. The tabs hold
the visit timeline (訪問記録), relationship notes, consent history, plans, meetings, household
and stage history. The visit form opens beside the tabs (Ctrl+N), never as a modal dialog, so
what is typed can be kept as an encrypted draft (``ui.drafts``): a couple of seconds after typing
stops, on 閉じる (Esc), before locking and before the tab closes. A new visit's draft and each
correction's draft are kept apart; Ctrl+N (訪問を記録) reopens the new visit's, 訂正 a correction's,
and opening the case again shows the one that was open. A draft is removed only when the visit is
saved, or by 破棄 after the worker confirms it. The plan editor, the notes and comment editors,
and the consent and stage dialogs opened here keep their drafts the same way.

The view reloads whenever a committed write touches the case (``Session.changed``), so the
banner changes as soon as consent is recorded, wherever it was recorded.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from outreach_desk.engine import ChangeSummary
from outreach_desk.errors import NotFound
from outreach_desk.queries import CaseHistory
from outreach_desk.vocab import CaseStage, RelationshipStage
from ui.case_tabs import ConsentHistoryTab, HouseholdTab, MeetingsTab, Names, StageHistoryTab
from ui.comments import CaseCommentsTab
from ui.consent_banner import ConsentBanner
from ui.consent_dialog import ConsentDialog
from ui.fmt import format_date, label
from ui.history_review import HistoryReview
from ui.notes_tab import NotesTab
from ui.plan_tab import PlansTab, current_plan_text
from ui.stage_dialog import StageDialog
from ui.timeline import TimelineView
from ui.visit_form import VisitForm

log = logging.getLogger(__name__)

WIDE_BATCH = 200  # a sync batch this large: reload without checking each entity


class CaseView(QWidget):
    title_changed = Signal(str)
    AUTOSAVE_MS = 2000

    def __init__(self, session, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseView")
        self.session = session
        self.case_id = case_id
        self.history: CaseHistory | None = None
        self.names = Names()
        self._title = ""
        self._watched: set[tuple[str, str]] = set()
        self._tab_data: dict[QWidget, tuple] = {}
        self._form_open = False
        self._form_key = self.draft_key  # the draft the form shows (a new visit or a correction)
        self._focus_form_on_show = False
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(self.AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_draft)
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.timeout.connect(lambda: self.status.clear())
        self._build()
        session.changed.connect(self._on_changed)
        self.reload()
        session.drafts.register(self)
        self._restore_draft()
        self._reopen_dialogs()

    # -- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.name_label = QLabel()
        self.name_label.setObjectName("caseName")
        font = self.name_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.name_label.setFont(font)
        self.kana_label = QLabel()
        self.kana_label.setObjectName("caseKana")
        self.details_label = QLabel()
        self.details_label.setObjectName("caseDetails")
        self.household_label = QLabel()
        self.household_label.setObjectName("caseHousehold")
        self.stage_label = QLabel()
        self.stage_label.setObjectName("caseStage")
        self.relationship_label = QLabel()
        self.relationship_label.setObjectName("caseRelationship")
        self.plan_label = QLabel()
        self.plan_label.setObjectName("casePlan")
        for widget in (self.name_label, self.kana_label, self.details_label):
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.new_visit_action = QAction(self.tr("訪問を記録"), self)
        self.new_visit_action.setObjectName("actionNewVisit")
        self.new_visit_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_visit_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_visit_action.triggered.connect(self.new_visit)
        self.addAction(self.new_visit_action)
        self.new_visit_button = QPushButton(self.tr("訪問を記録 (Ctrl+N)"))
        self.new_visit_button.setObjectName("newVisitButton")
        self.new_visit_button.clicked.connect(self.new_visit)
        self.consent_button = QPushButton(self.tr("同意・撤回を記録…"))
        self.consent_button.setObjectName("consentButton")
        self.consent_button.clicked.connect(lambda: self.record_consent())
        self.stage_button = QPushButton(self.tr("支援段階を変更…"))
        self.stage_button.setObjectName("stageButton")
        self.stage_button.clicked.connect(self.change_stage)

        names_row = QHBoxLayout()
        names_row.addWidget(self.name_label)
        names_row.addWidget(self.kana_label)
        names_row.addWidget(self.details_label)
        names_row.addStretch(1)
        names_row.addWidget(self.new_visit_button)
        names_row.addWidget(self.consent_button)
        names_row.addWidget(self.stage_button)
        facts_row = QHBoxLayout()
        for widget in (self.household_label, self.stage_label, self.relationship_label,
                       self.plan_label):
            facts_row.addWidget(widget)
        facts_row.addStretch(1)

        self.banner = ConsentBanner()
        self.banner_label = self.banner.label
        self.status = QLabel()
        self.status.setObjectName("caseStatus")
        self.status.setProperty("role", "hint")

        self.timeline = TimelineView()
        self.timeline.amend_requested.connect(self.amend_visit)
        self.timeline_count = QLabel()
        self.timeline_count.setObjectName("timelineCount")
        self.amend_button = QPushButton(self.tr("選んだ記録を訂正 (F2)"))
        self.amend_button.setObjectName("amendButton")
        self.amend_button.clicked.connect(self._amend_selected)
        timeline_page = QWidget()
        timeline_top = QHBoxLayout()
        timeline_top.addWidget(self.timeline_count, 1)
        timeline_top.addWidget(self.amend_button)
        timeline_layout = QVBoxLayout(timeline_page)
        timeline_layout.addLayout(timeline_top)
        timeline_layout.addWidget(self.timeline)

        self.notes_tab = NotesTab(self.session, self.case_id)
        self.consent_tab = ConsentHistoryTab()
        self.consent_tab.record_requested.connect(lambda: self.record_consent())
        self.plans_tab = PlansTab(self.session, self.case_id)
        self.meetings_tab = MeetingsTab()
        self.household_tab = HouseholdTab()
        self.stages_tab = StageHistoryTab()
        self.stages_tab.change_requested.connect(self.change_stage)
        self.review_tab = HistoryReview(self.session, self.case_id)
        self.comments_tab = CaseCommentsTab(self.session, self.case_id)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("caseTabs")
        for page, text in ((timeline_page, self.tr("訪問記録")),
                           (self.notes_tab, self.tr("関係づくりメモ")),
                           (self.consent_tab, self.tr("同意")),
                           (self.plans_tab, self.tr("支援プラン")),
                           (self.meetings_tab, self.tr("会議")),
                           (self.household_tab, self.tr("世帯")),
                           (self.stages_tab, self.tr("支援段階")),
                           (self.review_tab, self.tr("経過")),
                           (self.comments_tab, self.tr("コメント"))):
            self.tabs.addTab(page, text)
        self.comments_tab.unread_changed.connect(lambda n: self.tabs.setTabText(
            self.tabs.indexOf(self.comments_tab),
            self.tr("コメント（未読 {n}）").format(n=n) if n else self.tr("コメント")))

        self.form = VisitForm(self.session, self.case_id)
        self.form.saved.connect(self._on_saved)
        self.form.close_requested.connect(self.close_form)
        self.form.discard_requested.connect(self.discard_form)
        self.form.edited.connect(self.autosave.start)
        self.form_panel = QScrollArea()
        self.form_panel.setObjectName("visitFormPanel")
        self.form_panel.setWidget(self.form)
        self.form_panel.setWidgetResizable(True)
        self.form_panel.setMinimumWidth(380)
        self.form_panel.hide()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.form_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(names_row)
        layout.addLayout(facts_row)
        layout.addWidget(self.banner)
        layout.addWidget(self.status)
        layout.addWidget(self.splitter, 1)

    # -- loading ------------------------------------------------------------------------------

    def title(self) -> str:
        return self._title or self.tr("ケース")

    def reload(self) -> None:
        """Read the case again and show it (about 5 ms for a case with 500 visits)."""
        if not self.session.is_unlocked:
            return
        store = self.session.store
        try:
            history = store.case_history(self.case_id)
        except NotFound:
            self._show_missing()
            return
        self.history = history
        self.names = Names.load(store)
        self._show_header(history)
        self.banner.show_history(history, self.names)
        self.consent_button.setEnabled(history.person is not None)
        selected = self.timeline.current_visit_id()
        self.comments_tab.show_history(history, self.names)  # the timeline shows them too
        if self.timeline.timeline_model.set_visits(history.visits, self.names.workers,
                                                   self.comments_tab.by_visit) and selected:
            self.timeline.select_visit(selected)
        self.timeline_count.setText(self.tr("訪問・連絡 {count} 件（新しい順）").format(
            count=len(history.visits)))
        plan_state = self.plans_tab.state_key(history)  # approvals (決裁) of the plans
        shown = {  # refill a tab only when what it shows changed (a visit touches none)
            self.notes_tab: (history.notes, self._note_conflicts(history)),
            self.consent_tab: (history.person, history.consent_events),
            self.plans_tab: (history.plans, plan_state),
            self.meetings_tab: (history.meetings, history.disclosures),
            self.household_tab: (history.household, history.person, history.members),
            self.stages_tab: (history.stages,),
            self.review_tab: (history.visits, history.stages, history.consent_events,
                              history.plans, history.meetings, plan_state),
        }
        for tab, data in shown.items():
            key = (data, self.names)
            if self._tab_data.get(tab) != key:
                self._tab_data[tab] = key
                tab.show_history(history, self.names)
        self._watched = {("case", self.case_id)} | {
            (entity.kind, entity.id)
            for entity in (history.person, history.household, *history.members,
                           *history.notes, *history.plans, *history.meetings)
            if entity is not None
        }

    def _note_conflicts(self, history: CaseHistory) -> tuple:
        store = self.session.store  # CaseHistory's notes do not carry their conflicts
        return tuple(store.get("note", note.id).conflicts for note in history.notes)

    def _show_missing(self) -> None:
        self.history = None
        self.name_label.setText(self.tr("このケースは見つかりません"))
        self.banner.show_message(self.tr("削除されたか、同期で取り消された可能性があります。"))
        for widget in (self.new_visit_button, self.consent_button, self.stage_button,
                       self.tabs):
            widget.setEnabled(False)
        self.new_visit_action.setEnabled(False)

    def _show_header(self, history: CaseHistory) -> None:
        person, household, case = history.person, history.household, history.case
        title = (person["name"] if person else None) or \
            (household["name"] if household else None) or self.tr("ケース")
        self.name_label.setText(title)
        self.kana_label.setText(person["kana"] if person else "")
        details = []
        if person and person["birth_year"]:
            details.append(self.tr("{year}年生まれ").format(year=person["birth_year"]))
        district = case["district"] or (person["district"] if person else "")
        if district:
            details.append(self.tr("{district}地区").format(district=district))
        self.details_label.setText(self.tr("、").join(details))
        if household:
            self.household_label.setText(self.tr("世帯: {name}（{count}人）").format(
                name=household["name"], count=len(history.members)))
        else:
            self.household_label.setText(self.tr("世帯: 未登録"))
        stage = case["stage"] or {}
        self.stage_label.setText(self.tr("支援段階: {stage}（{since}から）").format(
            stage=label(CaseStage(stage["stage"])) if stage.get("stage") else "",
            since=format_date(stage.get("date"))))
        self.relationship_label.setText(self.tr("関係の段階: {stage}").format(
            stage=label(RelationshipStage(self.current_relationship()))))
        self.plan_label.setText(current_plan_text(self.session.store, self.case_id, self.names))
        if title != self._title:
            self._title = title
            self.title_changed.emit(title)

    def current_relationship(self) -> str:
        """The relationship stage reached at the latest visit (未接触 before any visit)."""
        visits = self.history.visits if self.history else []
        stage = visits[0].effective.get("relationship_stage") if visits else None
        return stage or RelationshipStage.NO_CONTACT.value

    def _on_changed(self, summary: ChangeSummary) -> None:
        if self.session.is_unlocked and self._touches(summary):
            self.reload()

    def _touches(self, summary: ChangeSummary) -> bool:
        if self.case_id in summary.cases or summary.entities & self._watched:
            return True
        if len(summary.entities) > WIDE_BATCH:
            return True
        store = self.session.store
        household_id = self.history.household.id if self.history and self.history.household \
            else None
        for kind, entity_id in summary.entities:
            if kind in ("worker", "agency", "disclosure"):
                return True
            if kind not in ("note", "plan", "meeting", "person", "comment"):
                continue
            try:
                entity = store.get(kind, entity_id, include_deleted=True)
            except NotFound:
                continue
            if kind in ("note", "plan", "comment") and entity["case_id"] == self.case_id:
                return True
            if kind == "meeting" and self.case_id in (entity["case_ids"] or []):
                return True
            if kind == "person" and household_id and entity["household_id"] == household_id:
                return True
        return False

    # -- the visit form -----------------------------------------------------------------------

    @property
    def draft_key(self) -> str:
        return f"visit:{self.case_id}"

    def form_is_open(self) -> bool:
        return self._form_open

    def _show_form(self) -> None:
        self._form_open = True
        self.form_panel.show()
        total = max(self.splitter.width(), 900)
        self.splitter.setSizes([total * 3 // 5, total * 2 // 5])
        if self.isVisible():
            self.form.focus_first()
        else:
            self._focus_form_on_show = True  # e.g. a draft restored before the tab is shown

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._focus_form_on_show and self._form_open:
            self._focus_form_on_show = False
            QTimer.singleShot(0, self.form.focus_first)

    def _busy_form(self) -> bool:
        """True (and says so) when the form holds typed text that would be replaced."""
        if self._form_open and self.form.is_dirty():
            self.form.set_notice(self.tr(
                "入力中の記録があります。保存するか、破棄してから次の記録を開いてください。"))
            self.form.focus_first()
            return True
        return False

    def new_visit(self) -> None:
        """Open the new-visit form (Ctrl+N), dated now, or the new visit's kept draft."""
        if self.history is None:
            return
        if self._form_open and self.form.mode == "new" and self.form.is_dirty():
            self.form.focus_first()  # a visit is being typed: go back to it
            return
        if self._busy_form():
            return
        self.form.open_new(self.current_relationship())
        self._open_form(self.draft_key)

    def amend_visit(self, visit_id: str) -> None:
        """Open the form on a visit to correct it (訂正); the original stays in the timeline."""
        if self._busy_form():
            return
        try:
            visit = self.session.store.visit(visit_id)
        except NotFound:
            return
        self.form.open_amend(visit)
        self._open_form(self._amend_key(visit_id))

    def _open_form(self, key: str) -> None:
        """Show the form just opened, with the draft kept under ``key`` when there is one."""
        self._form_key = key
        state = self.session.drafts.draft(key)
        if state:
            self.form.restore_draft(state)
            self.form.set_notice(self.tr("下書きを復元しました。保存するまで記録にはなりません。"))
        self._show_form()

    def _amend_selected(self) -> None:
        visit_id = self.timeline.current_visit_id()
        if visit_id:
            self.amend_visit(visit_id)
        else:
            self._say(self.tr("訂正する記録を一覧から選んでください。"))

    def close_form(self) -> None:
        """閉じる (Esc): what was typed stays as a draft for next time (a kept draft too)."""
        kept = self._form_open and self.form.is_dirty()
        if kept:
            self.save_draft()
        self._hide_form()
        if kept:
            self._say(self.tr("入力中の内容を下書きとして残しました。"))

    def discard_form(self, confirm: bool = True) -> None:
        """破棄: forget what was typed and its draft, once the worker confirms it."""
        kept = self.session.is_unlocked and self.session.drafts.draft(self._form_key)
        if confirm and (self.form.is_dirty() or kept) and not self._confirm_discard():
            return
        self.session.drafts.discard(self._form_key)
        self._hide_form()
        self._say(self.tr("入力中の内容を破棄しました。"))

    def _confirm_discard(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("下書きの破棄"),
                          self.tr("入力中の内容と下書きを破棄します。元に戻せません。よろしいですか？"),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("discardDraftBox")
        discard = box.addButton(self.tr("破棄する"), QMessageBox.ButtonRole.DestructiveRole)
        discard.setObjectName("confirmDiscardButton")
        keep = box.addButton(self.tr("入力に戻る"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("keepDraftButton")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is discard

    def _hide_form(self) -> None:
        self.autosave.stop()
        self._form_open = False
        self.form_panel.hide()
        self.timeline.setFocus()

    def _on_saved(self, visit_id: str) -> None:
        amended = self.form.mode == "amend"
        self.autosave.stop()
        self.session.drafts.discard(self._form_key)
        self._hide_form()
        self.tabs.setCurrentIndex(0)
        self.timeline.select_visit(visit_id)
        self._say(self.tr("訂正を保存しました。") if amended
                  else self.tr("訪問記録を保存しました。"))

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self._status_timer.start(8000)

    # -- drafts -------------------------------------------------------------------------------

    def _amend_key(self, visit_id: str) -> str:
        return f"visit_amendment:{self.case_id}:{visit_id}"

    def draft_id(self) -> str | None:
        """``Draftable``: the draft the open visit form shows (None while the form is closed)."""
        return self._form_key if self._form_open else None

    def draft_state(self) -> dict | None:
        return self.form.draft_state() if self._form_open and self.form.is_dirty() else None

    def restore_draft(self, state: dict) -> None:
        """Open the form on a kept draft: a correction of its visit, or a new visit."""
        visit = None
        if state.get("mode") == "amend" and state.get("visit_id"):
            try:
                visit = self.session.store.visit(state["visit_id"])
            except NotFound:
                visit = None
        if visit is not None:
            self.form.open_amend(visit)
        else:
            self.form.open_new(self.current_relationship())
        self.form.restore_draft(state)
        self.form.set_notice(self.tr("下書きを復元しました。保存するまで記録にはなりません。"))
        self._show_form()

    def save_draft(self) -> None:
        """Keep the unsaved form as an encrypted draft (no-op when nothing was typed)."""
        self.autosave.stop()
        self.session.drafts.keep(self)

    def _restore_draft(self) -> None:
        """Show the visit draft of this case that was open at the lock; opening the case anew
        (after a restart, or closing its tab), the newest one."""
        if self.history is None or not self.session.is_unlocked:
            return
        drafts = self.session.drafts
        store = self.session.store
        prefix = f"visit_amendment:{self.case_id}:"
        keys = [key for key, _kind, _state in store.drafts("visit_amendment")
                if key.startswith(prefix)]
        if store.draft(self.draft_key) is not None:
            keys.insert(0, self.draft_key)
        if not keys:
            return
        key = next((k for k in keys if drafts.was_open(k)), None if drafts.reopening else keys[0])
        if key is None:  # back from a lock with the form closed: it stays closed (Ctrl+N)
            return
        state = drafts.draft(key)
        if key == self.draft_key and state.get("mode") == "amend" and state.get("visit_id"):
            key = self._amend_key(state["visit_id"])  # kept in the new visit's place before
            store.save_draft(key, "visit_amendment", state)
            store.discard_draft(self.draft_key)
        self._form_key = key
        self.restore_draft(state)

    def _reopen_dialogs(self) -> None:
        """A dialog of this case that was open when the screen locked opens again."""
        drafts = self.session.drafts
        person = self.history.person if self.history is not None else None
        if person is not None and drafts.was_open(f"consent:{person.id}"):
            QTimer.singleShot(0, self.record_consent)
        elif drafts.was_open(f"stage:{self.case_id}"):
            QTimer.singleShot(0, self.change_stage)

    # -- dialogs ------------------------------------------------------------------------------

    def record_consent(self, withdraw: bool = False) -> ConsentDialog | None:
        """Open the consent dialog (window-modal, not blocking); the banner follows the save."""
        if self.history is None or self.history.person is None:
            return None
        dialog = ConsentDialog(self.session.store, self.history.person.id,
                               self.history.person["name"] or "", withdraw=withdraw, parent=self,
                               drafts=self.session.drafts)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._say(self.tr("同意の記録を保存しました。")))
        dialog.open()
        return dialog

    def change_stage(self) -> StageDialog | None:
        if self.history is None:
            return None
        dialog = StageDialog(self.session.store, self.case_id, parent=self,
                             drafts=self.session.drafts)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._say(self.tr("支援段階を変更しました。")))
        dialog.open()
        return dialog


__all__ = ["CaseView"]
