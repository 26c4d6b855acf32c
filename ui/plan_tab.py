"""支援プラン: goals (目標), each agency's role (役割分担) and the monitoring date.

The tab lists the case's plans and offers a simple editor: goals one per line, roles added from
a list of agencies, a monitoring date. It saves a new plan or updates the one chosen to edit.
Each plan shows whether it stands approved (決裁済み, by whom and when) or awaits approval
(決裁待ち), and each version's approval; a supervisor approves it here with 決裁する. An edit
sends the plan back to 決裁待ち: only approved versions count as the case's current plan. What is
typed into the editor is kept as a draft (``ui.drafts``) until the plan is saved or the worker
turns to a new plan (新しいプランにする).
"""

from __future__ import annotations

import html
import logging
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from outreach_desk.errors import NotPermitted, OutreachDeskError, ValidationError
from outreach_desk.history import plan_versions
from outreach_desk.queries import CaseHistory
from ui.case_tabs import Names
from ui.drafts import confirm_discard, form_state, restore_form_state
from ui.fmt import format_date, format_datetime
from ui.visit_form import ui_locale
from ui.widgets import scroll_body

log = logging.getLogger(__name__)
PlanIdRole = Qt.ItemDataRole.UserRole + 1
RoleRole = Qt.ItemDataRole.UserRole + 2
translate = QCoreApplication.translate


def approval_text(approval, names: Names) -> str:
    """決裁済み（田中 課長、2026年11月23日(月) 14:05）"""
    return translate("PlansTab", "決裁済み（{name}、{when}）").format(
        name=names.workers.get(approval.approved_by, "?"),
        when=format_datetime(approval.approved_at))


def current_plan_text(store, case_id: str, names: Names) -> str:
    """The case header's line on the current plan: the newest approved version."""
    current = store.current_plan(case_id)
    if current is None:
        return translate("PlansTab", "現行プラン: 決裁済みのプランなし")
    text = translate("PlansTab", "現行プラン: モニタリング {day}、{approval}").format(
        day=format_date(current.values.get("monitoring_date")),
        approval=approval_text(current.approval, names))
    return text + (translate("PlansTab", "　※変更が決裁待ち") if current.pending else "")


class PlansTab(QWidget):
    def __init__(self, session, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.names = Names()
        self.editing: str | None = None
        self._plans: dict[str, object] = {}
        self._status: dict[str, object] = {}
        self._baseline: dict = {}
        self._restored = False

        self.list = QListWidget()
        self.list.setObjectName("plansList")
        self.list.setAccessibleName(self.tr("支援プランの一覧"))
        self.list.currentItemChanged.connect(lambda *_: self._show_selected())
        self.detail = QTextBrowser()
        self.detail.setObjectName("planDetail")
        self.empty = QLabel(self.tr("支援プランはまだありません。"))
        self.empty.setProperty("role", "hint")
        self.edit_button = QPushButton(self.tr("このプランを編集(&E)"))
        self.edit_button.setObjectName("editPlanButton")
        self.edit_button.clicked.connect(self.start_edit)
        self.state_label = QLabel()
        self.state_label.setObjectName("planState")
        self.state_label.setWordWrap(True)
        self.approve_button = QPushButton(self.tr("決裁する(&A)"))
        self.approve_button.setObjectName("approvePlanButton")
        self.approve_button.setToolTip(self.tr(
            "このプランを今の内容で決裁します。決裁後に編集すると、また決裁待ちになります。"))
        self.approve_button.clicked.connect(self.approve)
        self.approve_error = QLabel()
        self.approve_error.setObjectName("approveError")
        self.approve_error.setProperty("role", "error")
        self.approve_error.hide()
        state_row = QHBoxLayout()
        state_row.addWidget(self.state_label, 1)
        state_row.addWidget(self.approve_error)
        state_row.addWidget(self.approve_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(state_row)
        right_layout.addWidget(self.detail)
        right_layout.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignRight)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        split.addWidget(right)
        split.setStretchFactor(1, 2)

        self.editor_box = QGroupBox()
        self.goals = QPlainTextEdit()
        self.goals.setObjectName("planGoals")
        self.goals.setTabChangesFocus(True)
        self.goals.setPlaceholderText(self.tr("1行に1つずつ書きます"))
        self.goals.setMaximumHeight(90)
        self.agency = QComboBox()
        self.agency.setObjectName("planRoleAgency")
        self.role_text = QLineEdit()
        self.role_text.setObjectName("planRoleText")
        self.role_text.setPlaceholderText(self.tr("例: 月1回の見守り訪問"))
        self.role_text.returnPressed.connect(self.add_role)
        add_role = QPushButton(self.tr("役割を追加"))
        add_role.setObjectName("addRoleButton")
        add_role.clicked.connect(self.add_role)
        role_row = QHBoxLayout()
        role_row.addWidget(self.agency)
        role_row.addWidget(self.role_text, 1)
        role_row.addWidget(add_role)
        self.roles = QListWidget()
        self.roles.setObjectName("planRoles")
        self.roles.setMaximumHeight(80)
        remove_role = QPushButton(self.tr("選んだ役割を削除"))
        remove_role.clicked.connect(self.remove_role)
        self.monitoring = QDateEdit(QDate.currentDate().addMonths(3))
        self.monitoring.setObjectName("planMonitoring")
        self.monitoring.setLocale(ui_locale())
        self.monitoring.setDisplayFormat(self.tr("yyyy年M月d日(ddd)"))
        self.monitoring.setCalendarPopup(True)
        self.error = QLabel()
        self.error.setObjectName("planError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.save_button = QPushButton(self.tr("プランを保存(&W)"))
        self.save_button.setObjectName("savePlanButton")
        self.save_button.clicked.connect(self.save)
        self.new_button = QPushButton(self.tr("新しいプランにする"))
        self.new_button.clicked.connect(self._abandon_edit)
        form = QFormLayout(self.editor_box)
        goals_label = QLabel(self.tr("目標(&G)"))
        goals_label.setBuddy(self.goals)
        form.addRow(goals_label, self.goals)
        roles_label = QLabel(self.tr("役割分担(&L)"))
        roles_label.setBuddy(self.agency)
        form.addRow(roles_label, role_row)
        form.addRow("", self.roles)
        form.addRow("", remove_role)
        monitoring_label = QLabel(self.tr("モニタリング時期(&O)"))
        monitoring_label.setBuddy(self.monitoring)
        form.addRow(monitoring_label, self.monitoring)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)

        layout = scroll_body(self)  # a small screen scrolls the tab, not the window
        layout.addWidget(self.empty)
        layout.addWidget(split, 1)
        layout.addWidget(self.editor_box)
        self.start_new()
        session.drafts.watch(self, self.editor_box)

    def show_history(self, history: CaseHistory, names: Names) -> None:
        self.names = names
        chosen = self.agency.currentData()
        self.agency.clear()
        for agency_id, name in sorted(names.agencies.items(), key=lambda kv: kv[1]):
            self.agency.addItem(name, agency_id)
        if chosen:
            self.agency.setCurrentIndex(max(0, self.agency.findData(chosen)))
        current = self.list.currentItem().data(PlanIdRole) if self.list.currentItem() else None
        self._plans = {plan.id: plan for plan in history.plans}
        store = self.session.store
        self._status = {plan.id: store.plan_status(plan.id) for plan in history.plans}
        self.list.blockSignals(True)
        self.list.clear()
        for plan in sorted(history.plans, key=lambda p: p.id, reverse=True):
            goals = plan["goals"] or []
            state = self.tr("決裁済み") if self._status[plan.id].approved else self.tr("決裁待ち")
            item = QListWidgetItem(self.tr("［{state}］モニタリング {day}: {goal}").format(
                state=state, day=format_date(plan["monitoring_date"]),
                goal=goals[0] if goals else ""))
            item.setData(PlanIdRole, plan.id)
            self.list.addItem(item)
            if plan.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self.empty.setVisible(not history.plans)
        self._show_selected()
        if not self._restored:  # the plans and agencies are known now: the kept draft fits
            self._restored = True
            self.session.drafts.restore(self)

    # -- the draft (ui.drafts) ------------------------------------------------------------------

    def _state(self) -> dict:
        return {"editing": self.editing, "fields": form_state(self.editor_box),
                "roles": [self.roles.item(i).data(RoleRole) for i in range(self.roles.count())]}

    def draft_id(self) -> str:
        return f"plan:{self.case_id}"

    def draft_state(self) -> dict | None:
        state = self._state()
        same = {**state["fields"], "planRoleAgency": None} == \
            {**self._baseline.get("fields", {}), "planRoleAgency": None}
        if same and state["roles"] == self._baseline.get("roles") and \
                state["editing"] == self._baseline.get("editing"):
            return None  # the agency picked for a role not yet added is no typing
        return state

    def restore_draft(self, state: dict) -> None:
        editing = state.get("editing")
        if editing and editing in self._plans:
            self._select(editing)
            self.start_edit()
        roles = [role for role in state.get("roles") or []
                 if isinstance(role, dict) and role.get("agency_id") and role.get("role")]
        restore_form_state(self.editor_box, state.get("fields") or {})
        self.roles.clear()
        for role in roles:
            self._add_role_item(role["agency_id"], role["role"])

    def _select(self, plan_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(PlanIdRole) == plan_id:
                self.list.setCurrentRow(row)

    def _abandon_edit(self) -> None:
        """新しいプランにする: the edit is given up, and its draft with it — once the worker
        confirms it when something was typed."""
        if self.draft_state() is not None and not confirm_discard(self):
            return
        self.session.drafts.discard(self.draft_id())
        self.start_new()

    def _show_selected(self) -> None:
        item = self.list.currentItem()
        plan = self._plans.get(item.data(PlanIdRole)) if item else None
        self.edit_button.setEnabled(plan is not None)
        self.approve_error.hide()
        status = self._status.get(plan.id) if plan is not None else None
        supervisor = self.session.is_unlocked and self.session.store.may_supervise()
        self.approve_button.setVisible(supervisor)
        self.approve_button.setEnabled(status is not None and not status.approved)
        if plan is None:
            self.state_label.clear()
            self.detail.clear()
            return
        self.state_label.setText(approval_text(status.approval, self.names) if status.approved
                                 else self.tr("決裁待ち（この内容はまだ決裁されていません）"))
        goals = "".join(f"<li>{html.escape(g)}</li>" for g in plan["goals"] or [])
        roles = "".join(
            f"<li>{html.escape(self.names.agencies.get(r['agency_id'], '?'))}: "
            f"{html.escape(r['role'])}</li>" for r in plan["roles"] or [])
        goals_title, roles_title = self.tr("目標"), self.tr("役割分担")
        monitoring_title = self.tr("モニタリング時期")
        self.detail.setHtml(
            f"<h4>{html.escape(goals_title)}</h4><ul>{goals}</ul>"
            f"<h4>{html.escape(roles_title)}</h4><ul>{roles}</ul>"
            f"<p><b>{html.escape(monitoring_title)}</b>: "
            f"{html.escape(format_date(plan['monitoring_date']))}</p>"
            f"<h4>{html.escape(self.tr('版と決裁'))}</h4><ul>{self._versions_html(plan.id)}</ul>")

    def _versions_html(self, plan_id: str) -> str:
        items = []
        versions = plan_versions(self.session.store, plan_id)
        for version in reversed(versions):
            if version.approval is not None:
                state = approval_text(version.approval, self.names)
            else:  # the latest version waits for 決裁; an older one was never approved
                state = self.tr("決裁待ち") if version is versions[-1] else self.tr("未決裁")
            items.append("<li>" + html.escape(self.tr("第{n}版　{who}が保存 — {state}").format(
                n=version.number, who=self.names.workers.get(version.author, "?"),
                state=state)) + "</li>")
        return "".join(items)

    def state_key(self, history: CaseHistory) -> tuple:
        """What the tab shows beyond the plans themselves: each plan's approval state, and
        whether 決裁する is offered."""
        store = self.session.store
        return (store.may_supervise(), *(store.plan_status(plan.id) for plan in history.plans))

    def approve(self) -> bool:
        """決裁する: approve the chosen plan as it stands."""
        item = self.list.currentItem()
        plan_id = item.data(PlanIdRole) if item else None
        if plan_id is None:
            return False
        try:
            self.session.store.approve_plan(plan_id)
        except NotPermitted:
            self.approve_error.setText(self.tr("決裁できるのはスーパーバイザーだけです。"))
            self.approve_error.show()
            return False
        except OutreachDeskError as exc:
            log.warning("plan not approved: %s", exc.__class__.__name__)
            self.approve_error.setText(self.tr("決裁できませんでした。もう一度お試しください。"))
            self.approve_error.show()
            return False
        return True

    # -- editing ------------------------------------------------------------------------------

    def start_new(self) -> None:
        self.editing = None
        self.editor_box.setTitle(self.tr("新しい支援プラン"))
        self.new_button.setEnabled(False)
        self.goals.clear()
        self.roles.clear()
        self.monitoring.setDate(QDate.currentDate().addMonths(3))
        self._baseline = self._state()

    def start_edit(self) -> None:
        item = self.list.currentItem()
        plan = self._plans.get(item.data(PlanIdRole)) if item else None
        if plan is None:
            return
        self.editing = plan.id
        self.editor_box.setTitle(self.tr("支援プランの編集"))
        self.new_button.setEnabled(True)
        self.goals.setPlainText("\n".join(plan["goals"] or []))
        self.roles.clear()
        for role in plan["roles"] or []:
            self._add_role_item(role["agency_id"], role["role"])
        day = date.fromisoformat(plan["monitoring_date"])
        self.monitoring.setDate(QDate(day.year, day.month, day.day))
        self._baseline = self._state()
        self.goals.setFocus()

    def _add_role_item(self, agency_id: str, text: str) -> None:
        item = QListWidgetItem(self.tr("{agency}: {role}").format(
            agency=self.names.agencies.get(agency_id, "?"), role=text))
        item.setData(RoleRole, {"agency_id": agency_id, "role": text})
        self.roles.addItem(item)

    def add_role(self) -> None:
        text = self.role_text.text().strip()
        agency_id = self.agency.currentData()
        if not text or not agency_id:
            self._error(self.tr("関係機関を選び、役割を入力してください。"))
            self.role_text.setFocus()
            return
        self.error.hide()
        self._add_role_item(agency_id, text)
        self.role_text.clear()
        self.session.drafts.touch(self)

    def remove_role(self) -> None:
        row = self.roles.currentRow()
        if row >= 0:
            self.roles.takeItem(row)
            self.session.drafts.touch(self)

    def _error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def save(self) -> bool:
        self.error.hide()
        goals = [line.strip() for line in self.goals.toPlainText().splitlines() if line.strip()]
        if not goals:
            self._error(self.tr("目標を1つ以上入力してください。"))
            self.goals.setFocus()
            return False
        roles = [self.roles.item(i).data(RoleRole) for i in range(self.roles.count())]
        try:
            plan_id = self.session.store.save_plan(
                self.case_id, goals=goals, roles=roles,
                monitoring_date=self.monitoring.date().toPython(), plan_id=self.editing)
        except ValidationError as exc:
            log.info("plan refused by the store: %s/%s", exc.field, exc.rule)
            self._error(self.tr("入力内容を確認してください（長すぎる項目や空の項目があります）。"))
            return False
        except OutreachDeskError as exc:
            log.warning("plan not saved: %s", exc.__class__.__name__)
            self._error(self.tr("保存できませんでした。もう一度お試しください。"))
            return False
        self._select(plan_id)
        self.session.drafts.discard(self.draft_id())
        self.start_new()
        return True


__all__ = ["PlansTab"]
