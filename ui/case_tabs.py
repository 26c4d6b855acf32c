"""Read-only tabs of the case view: 同意 (consent history), 会議, 世帯, 支援段階.

Each tab is filled from one ``CaseHistory`` (``show_history``) by the case view, which reloads it
whenever the case is touched. Names of workers and agencies come from ``Names``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from outreach_desk.queries import CaseHistory
from outreach_desk.vocab import CaseStage, ConsentAction, ConsentMethod, LegalBasis, MeetingKind
from ui.fmt import format_date, format_datetime, label


@dataclass
class Names:
    """Display names of the workers and agencies a case refers to (by id)."""

    workers: dict[str, str] = field(default_factory=dict)
    agencies: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, store) -> Names:
        return cls(
            {w.id: w["name"] or "" for w in store.list_entities("worker", include_deleted=True)},
            {a.id: a["name"] or "" for a in store.list_entities("agency", include_deleted=True)},
        )

    def agency_list(self, ids) -> str:
        return "、".join(self.agencies.get(i, "?") for i in ids or ())


def make_table(name: str, headers: list[str], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(True)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    for column in range(len(headers)):
        mode = QHeaderView.ResizeMode.Stretch if column == stretch else \
            QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
    table.setTabKeyNavigation(False)  # Tab leaves the table: the rest of the case stays reachable
    return table


def fill_table(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            table.setItem(r, c, item)
    table.resizeRowsToContents()


class ConsentHistoryTab(QWidget):
    """同意の記録: every grant and withdrawal, newest first."""

    record_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = make_table("consentHistory", [
            self.tr("日付"), self.tr("記録"), self.tr("関係機関"), self.tr("方法"),
            self.tr("記録者"), self.tr("メモ")], stretch=2)
        self.empty = QLabel(self.tr("同意の記録はまだありません。"))
        self.empty.setProperty("role", "hint")
        self.record_button = QPushButton(self.tr("同意・撤回を記録…"))
        self.record_button.setObjectName("consentTabRecordButton")
        self.record_button.clicked.connect(self.record_requested)
        row = QHBoxLayout()
        row.addWidget(self.empty, 1)
        row.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table)

    def show_history(self, history: CaseHistory, names: Names) -> None:
        self.record_button.setEnabled(history.person is not None)
        if history.person is None:
            self.empty.setText(self.tr("世帯のケースです。同意は対象者ごとに記録します。"))
        events = sorted(history.consent_events, key=lambda e: (e["hlc"], e["site"]),
                        reverse=True)
        rows = []
        for event in events:
            action = ConsentAction(event["action"])
            agencies = names.agency_list(event["agencies"])
            if action is ConsentAction.WITHDRAW and not event["agencies"]:
                agencies = self.tr("すべての関係機関")
            rows.append([
                format_date(event["given_on"]), label(action), agencies,
                label(ConsentMethod(event["method"])),
                names.workers.get(event["recorded_by"], ""), event["note"] or "",
            ])
        fill_table(self.table, rows)
        self.empty.setVisible(not rows or history.person is None)


class MeetingsTab(QWidget):
    """会議 that discussed this case, newest first; below, every disclosure (提供の記録) of the
    case's information with its legal basis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = make_table("meetingsTable", [
            self.tr("開催日"), self.tr("種別"), self.tr("出席した関係機関"), self.tr("決定事項"),
            self.tr("次回モニタリング")], stretch=3)
        self.empty = QLabel(self.tr("このケースを扱った会議はまだありません。"))
        self.empty.setProperty("role", "hint")
        self.disclosures = make_table("disclosuresTable", [
            self.tr("作成日時"), self.tr("会議"), self.tr("提供の根拠"), self.tr("提供先の機関"),
            self.tr("作成者")], stretch=3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 3)
        layout.addWidget(QLabel(self.tr("提供の記録（会議資料として外に出た情報）")))
        layout.addWidget(self.disclosures, 1)

    def show_history(self, history: CaseHistory, names: Names) -> None:
        meetings = sorted(history.meetings, key=lambda m: m["held_on"] or "", reverse=True)
        fill_table(self.table, [[
            format_date(m["held_on"]), label(MeetingKind(m["kind"])),
            names.agency_list(m["attendees"]), m["decisions"] or "",
            format_date(m["next_monitoring_date"]),
        ] for m in meetings])
        self.empty.setVisible(not meetings)
        rows = []
        for record in history.disclosures:
            basis = label(LegalBasis(record["basis"]))
            if record["reason"]:
                basis = self.tr("{basis}（{reason}）").format(basis=basis, reason=record["reason"])
            rows.append([
                format_datetime(record["produced_at"]),
                self.tr("{kind} {day}").format(kind=label(MeetingKind(record["meeting_kind"])),
                                               day=format_date(record["meeting_date"])),
                basis, names.agency_list(record["agencies"]),
                names.workers.get(record["produced_by"], ""),
            ])
        fill_table(self.disclosures, rows)


class HouseholdTab(QWidget):
    """世帯: the household and its members."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.household_name = QLabel()
        self.household_name.setObjectName("householdName")
        self.district = QLabel()
        self.address = QLabel()
        self.address.setWordWrap(True)
        for widget in (self.household_name, self.district, self.address):
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                           | Qt.TextInteractionFlag.TextSelectableByMouse)
        info = QFormLayout()
        info.addRow(self.tr("世帯"), self.household_name)
        info.addRow(self.tr("地区"), self.district)
        info.addRow(self.tr("住所メモ"), self.address)
        self.table = make_table("householdMembers", [
            self.tr("氏名"), self.tr("ふりがな"), self.tr("生年"), self.tr("地区")], stretch=0)
        self.empty = QLabel(self.tr("世帯が登録されていません。"))
        self.empty.setProperty("role", "hint")
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addLayout(info)
        layout.addWidget(QLabel(self.tr("世帯員")))
        layout.addWidget(self.table)

    def show_history(self, history: CaseHistory, names: Names) -> None:
        household = history.household
        self.empty.setVisible(household is None)
        self.household_name.setText(household["name"] if household else "")
        self.district.setText(household["district"] if household else "")
        self.address.setText((household["address_note"] or "") if household else "")
        members = sorted(history.members, key=lambda p: p["birth_year"] or 0)
        person_id = history.person.id if history.person else None
        rows = []
        for member in members:
            name = member["name"] or ""
            if member.id == person_id:
                name = self.tr("{name}（本人）").format(name=name)
            year = self.tr("{year}年").format(year=member["birth_year"]) \
                if member["birth_year"] else ""
            rows.append([name, member["kana"] or "", year, member["district"] or ""])
        fill_table(self.table, rows)


class StageHistoryTab(QWidget):
    """支援段階の経過: every dated stage change, newest first."""

    change_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = make_table("stageHistory", [
            self.tr("日付"), self.tr("支援段階"), self.tr("理由"), self.tr("記録者")], stretch=2)
        self.change_button = QPushButton(self.tr("支援段階を変更…"))
        self.change_button.setObjectName("stageTabChangeButton")
        self.change_button.clicked.connect(self.change_requested)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.change_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table)

    def show_history(self, history: CaseHistory, names: Names) -> None:
        stages = sorted(history.stages, key=lambda s: (s.date, s.hlc), reverse=True)
        fill_table(self.table, [[
            format_date(s.date), label(CaseStage(s.stage)), s.reason or "",
            names.workers.get(s.author, ""),
        ] for s in stages])


__all__ = ["ConsentHistoryTab", "HouseholdTab", "MeetingsTab", "Names", "StageHistoryTab",
           "fill_table", "make_table"]
