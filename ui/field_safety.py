"""外出・帰所予定: the 外出予定 dialog, the 帰所しました action, and the dashboard's list of workers
past their expected return.

Before leaving, the worker ticks today's planned visits and sets the expected return. The outing
stays open until 帰所しました: recording a visit does not close it. On the supervisor's
dashboard, a worker is listed once the expected return has passed with neither a check-in nor
any change of theirs written after it (a change that reaches the office by sync is the sign of
life); the list shows when their latest change was written.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from PySide6.QtCore import QModelIndex, Qt, QTime
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from outreach_desk.errors import OutreachDeskError, ValidationError
from ui.drafts import DialogDrafts
from ui.fmt import format_datetime
from ui.table_models import RowsTableModel
from ui.widgets import hint_label, save_cancel_buttons

log = logging.getLogger(__name__)
CaseIdRole = Qt.ItemDataRole.UserRole + 1  # the same role the dashboard's lists use


def _hhmm(moment: datetime | None) -> str:
    return f"{moment:%H:%M}" if moment else ""


class FieldPlanDialog(DialogDrafts, QDialog):
    """外出予定: today's planned visits (the worker's open cases) and the expected return."""

    def __init__(self, store, parent: QWidget | None = None, *, drafts=None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldPlanDialog")
        self.setWindowTitle(self.tr("外出予定"))
        self.store = store
        self.checkin_id: str | None = None
        self.filter = QLineEdit()
        self.filter.setObjectName("fieldCaseFilter")
        self.filter.setPlaceholderText(self.tr("氏名・ふりがなで絞り込み"))
        self.filter.textChanged.connect(self._filter)
        self.cases = QListWidget()
        self.cases.setObjectName("fieldCases")
        self.cases.setAccessibleName(self.tr("今日訪問する予定のケース"))
        self.expected = QTimeEdit()
        self.expected.setObjectName("fieldExpectedReturn")
        self.expected.setDisplayFormat("HH:mm")
        self.state = hint_label(name="fieldState")
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        cases_label = QLabel(self.tr("訪問予定のケース(&C)"))
        cases_label.setBuddy(self.filter)
        form.addRow(cases_label, self.filter)
        form.addRow("", self.cases)
        expected_label = QLabel(self.tr("帰所予定(&R)"))
        expected_label.setBuddy(self.expected)
        form.addRow(expected_label, self.expected)
        self.buttons = save_cancel_buttons(self, self.tr("保存"), "fieldSaveButton")
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(form)
        layout.addWidget(hint_label(self.tr(
            "帰所したら「帰所しました」を押してください。帰所予定を過ぎても帰所の記録がなく、"
            "その後に書いた記録の同期もない場合、スーパーバイザーのチーム状況に表示されます。")))
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._fill()
        self.keep_drafts_with(drafts, "outing")

    def _fill(self) -> None:
        store = self.store
        me = store.author
        now = store.now()
        found = store.field_checkin()
        planned = set(found.case_ids) if found else set()
        rows = [row for row in store.caseload() if row.is_open]
        mine = [row for row in rows if row.worker_id == me] or rows
        for row in sorted(mine, key=lambda r: (r.case_id not in planned, r.kana)):
            item = QListWidgetItem(self.tr("{name}（{district}）").format(
                name=row.name, district=row.district))
            item.setData(CaseIdRole, row.case_id)
            item.setData(Qt.ItemDataRole.UserRole, row.kana)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if row.case_id in planned
                               else Qt.CheckState.Unchecked)
            self.cases.addItem(item)
        if found and found.is_open:
            expected = found.expected_return.astimezone()
            self.state.setText(self.tr("外出中: 帰所予定 {time}（{n} 件）").format(
                time=_hhmm(expected), n=len(found.case_ids)))
        else:
            later = now + timedelta(hours=3)
            expected = later.replace(minute=0 if later.minute < 30 else 30)
            self.state.setText(self.tr("帰所済み（{time}）").format(
                time=_hhmm(found.returned_at.astimezone())) if found
                else self.tr("今日の外出予定はまだありません。"))
        self.expected.setTime(QTime(expected.hour, expected.minute))

    def _filter(self, text: str) -> None:
        text = text.strip()
        for index in range(self.cases.count()):
            item = self.cases.item(index)
            item.setHidden(bool(text) and text not in item.text()
                           and text not in (item.data(Qt.ItemDataRole.UserRole) or ""))

    def chosen(self) -> list[str]:
        return [self.cases.item(i).data(CaseIdRole) for i in range(self.cases.count())
                if self.cases.item(i).checkState() == Qt.CheckState.Checked]

    def expected_return(self) -> datetime:
        now = self.store.now()
        time = self.expected.time()
        return now.replace(hour=time.hour(), minute=time.minute(), second=0, microsecond=0)

    def save(self) -> None:
        self.error.hide()
        try:
            self.checkin_id = self.store.plan_outing(self.chosen(), self.expected_return())
        except ValidationError as exc:
            log.info("outing refused: %s/%s", exc.field, exc.rule)
            self.error.setText(self.tr("帰所予定は今より後の時刻にしてください。")
                               if exc.field == "expected_return"
                               else self.tr("入力内容を確認してください。"))
            self.error.show()
            return
        except OutreachDeskError as exc:
            log.warning("outing not saved: %s", exc.__class__.__name__)
            self.error.setText(self.tr("保存できませんでした。もう一度お試しください。"))
            self.error.show()
            return
        self.accept()


class FieldAlertModel(RowsTableModel):
    """帰所予定を過ぎた支援員: one row per planned case of each overdue worker (one row with no
    case when none was named)."""

    def __init__(self, parent=None) -> None:
        super().__init__([self.tr("支援員"), self.tr("帰所予定"), self.tr("超過"),
                          self.tr("訪問予定のケース"), self.tr("最後の記録")], parent)

    def set_alerts(self, alerts, workers: dict[str, str], cases: dict) -> None:
        rows = []
        for alert in alerts:
            minutes = int(alert.overdue.total_seconds() // 60)
            overdue = self.tr("{h}時間{m}分").format(h=minutes // 60, m=minutes % 60)
            seen = format_datetime(alert.last_seen.isoformat(timespec="minutes")) \
                if alert.last_seen else self.tr("（なし）")
            texts = [workers.get(alert.worker_id, self.tr("不明な支援員")),
                     format_datetime(alert.checkin.expected_return.isoformat(
                         timespec="minutes")), overdue, "", seen]
            for case_id in alert.checkin.case_ids or (None,):
                row = cases.get(case_id)
                rows.append((case_id, [*texts[:3], row.name if row else "", texts[4]]))
        self.set_rows(rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        found = self.row_at(index)
        if found is None:
            return None
        case_id, texts = found
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[index.column()]
        if role == CaseIdRole:
            return case_id
        return None


__all__ = ["FieldAlertModel", "FieldPlanDialog"]
