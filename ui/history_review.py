"""経過 (history review): a case's whole history as one timeline, for supervision.

Visits (with their amendments), stage changes, consent events, support-plan versions and
meetings in one list, oldest first, each kind shown or hidden with its check box; above it, the
relationship stage (関係の段階) reached at each visit, drawn over time, so the slow build-up of
trust, or its loss, is visible at a glance. Filled by the case view from its ``CaseHistory``.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QListView, QWidget

from outreach_desk.history import (
    CaseTimeline,
    EventKind,
    HistoryEvent,
    PlanVersion,
    case_timeline,
)
from outreach_desk.vocab import CaseStage, ConsentAction, ConsentMethod, MeetingKind
from outreach_desk.vocab import RelationshipStage as Rel
from ui.charts import StepChart
from ui.fmt import format_date, format_datetime, label
from ui.timeline import visit_text
from ui.widgets import scroll_body

KindRole = Qt.ItemDataRole.UserRole + 1


def kind_label(kind: EventKind) -> str:
    translate = QCoreApplication.translate
    return {
        EventKind.VISIT: translate("HistoryReview", "訪問・連絡"),
        EventKind.STAGE: translate("HistoryReview", "支援段階"),
        EventKind.CONSENT: translate("HistoryReview", "同意"),
        EventKind.PLAN: translate("HistoryReview", "支援プラン"),
        EventKind.MEETING: translate("HistoryReview", "会議"),
    }[kind]


def _plan_text(version: PlanVersion, names) -> str:
    translate = QCoreApplication.translate
    if version.archived:
        return translate("HistoryReview", "支援プランを削除（第{n}版）").format(n=version.number)
    values = version.values
    lines = [translate("HistoryReview", "第{n}版").format(n=version.number),
             translate("HistoryReview", "目標: {goals}").format(
                 goals=translate("HistoryReview", "、").join(values.get("goals") or []))]
    roles = values.get("roles") or []
    if roles:
        lines.append(translate("HistoryReview", "役割分担: {roles}").format(
            roles=translate("HistoryReview", "、").join(
                f"{names.agencies.get(r['agency_id'], '?')}: {r['role']}" for r in roles)))
    lines.append(translate("HistoryReview", "モニタリング時期: {day}").format(
        day=format_date(values.get("monitoring_date"))))
    if version.approval is not None:
        lines.append(translate("HistoryReview", "決裁: {name}（{when}）").format(
            name=names.workers.get(version.approval.approved_by, "?"),
            when=format_datetime(version.approval.approved_at)))
    else:
        lines.append(translate("HistoryReview", "決裁: 未決裁"))
    return "\n".join(lines)


def event_text(event: HistoryEvent, names) -> str:
    """What one entry says, after its date and kind."""
    translate = QCoreApplication.translate
    item = event.item
    by = translate("HistoryReview", "記録: {name}")
    if event.kind is EventKind.VISIT:
        return visit_text(item, names.workers)
    if event.kind is EventKind.STAGE:
        text = label(CaseStage(item.stage))
        if item.reason:
            text += translate("HistoryReview", "（理由: {reason}）").format(reason=item.reason)
        return text + "\n" + by.format(name=names.workers.get(item.author, ""))
    if event.kind is EventKind.CONSENT:
        agencies = names.agency_list(item["agencies"])
        if item["action"] == ConsentAction.WITHDRAW.value and not item["agencies"]:
            agencies = translate("HistoryReview", "すべての関係機関")
        text = translate("HistoryReview", "{action}（{method}）: {agencies}").format(
            action=label(ConsentAction(item["action"])),
            method=label(ConsentMethod(item["method"])), agencies=agencies)
        if item.get("note"):
            text += "\n" + item["note"]
        return text + "\n" + by.format(name=names.workers.get(item["recorded_by"], ""))
    if event.kind is EventKind.PLAN:
        return _plan_text(item, names) + "\n" + by.format(
            name=names.workers.get(item.author, ""))
    text = translate("HistoryReview", "{kind}　出席: {agencies}").format(
        kind=label(MeetingKind(item["kind"])), agencies=names.agency_list(item["attendees"]))
    if item["decisions"]:
        text += "\n" + item["decisions"]
    return text


class HistoryModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._events: list[tuple[EventKind, str]] = []

    def set_events(self, events: list[tuple[EventKind, str]]) -> None:
        self.beginResetModel()
        self._events = list(events)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._events)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._events):
            return None
        kind, text = self._events[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return text
        if role == KindRole:
            return kind.value
        return None


class KindFilter(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.kinds = set(EventKind)

    def set_kinds(self, kinds: set[EventKind]) -> None:
        self.beginFilterChange()
        self.kinds = set(kinds)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802
        index = self.sourceModel().index(row, 0, parent)
        return EventKind(index.data(KindRole)) in self.kinds


class HistoryReview(QWidget):
    """The 経過 tab of a case."""

    def __init__(self, session, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyReview")
        self.session = session
        self.case_id = case_id
        self.timeline: CaseTimeline | None = None
        self._pending: tuple | None = None
        self.chart = StepChart("relationshipChart", self.tr("訪問の記録がまだありません"))
        self.filters: dict[EventKind, QCheckBox] = {}
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("表示する記録:")))
        for kind in EventKind:
            box = QCheckBox(kind_label(kind))
            box.setObjectName(f"historyFilter_{kind.value}")
            box.setChecked(True)
            box.toggled.connect(self._apply_filter)
            self.filters[kind] = box
            filters.addWidget(box)
        filters.addStretch(1)
        self.count = QLabel()
        self.count.setObjectName("historyCount")
        filters.addWidget(self.count)
        self.model = HistoryModel(self)
        self.proxy = KindFilter(self)
        self.proxy.setSourceModel(self.model)
        self.list = QListView()
        self.list.setObjectName("historyList")
        self.list.setAccessibleName(self.tr("ケースの経過"))
        self.list.setModel(self.proxy)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        layout = scroll_body(self)  # a small screen scrolls the tab, not the window
        layout.addWidget(QLabel(self.tr("関係の段階の推移（訪問ごと。点線は支援段階の変更）")))
        layout.addWidget(self.chart)
        layout.addLayout(filters)
        layout.addWidget(self.list, 1)

    def show_history(self, history, names) -> None:
        """Take the case's history; the timeline is built when the tab is first looked at."""
        self._pending = (history, names)
        if self.isVisible():
            self._build_timeline()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._pending is not None:
            self._build_timeline()

    def _build_timeline(self) -> None:
        (history, names), self._pending = self._pending, None
        if not self.session.is_unlocked:
            return
        self.timeline = case_timeline(self.session.store, self.case_id, history)
        rows = []
        for event in self.timeline.events:
            text = event_text(event, names)
            if event.kind is not EventKind.VISIT:  # a visit's first line has its date and time
                text = f"{format_date(event.day)}　{kind_label(event.kind)}\n{text}"
            rows.append((event.kind, text))
        self.model.set_events(rows)
        levels = [label(stage) for stage in Rel]
        points = [(datetime.fromisoformat(at), list(Rel).index(stage))
                  for at, stage in self.timeline.relationship]
        edges = (format_date(points[0][0]), format_date(points[-1][0])) if points else ("", "")
        zone = points[0][0].tzinfo if points else None
        marks = [(datetime.fromisoformat(e.day).replace(tzinfo=zone), label(e.item.stage))
                 for e in self.timeline.of_kinds({EventKind.STAGE})]
        self.chart.set_points(points, levels, edges, marks)
        self._apply_filter()

    def set_kinds(self, kinds: set[EventKind]) -> None:
        for kind, box in self.filters.items():
            box.setChecked(kind in kinds)

    def _apply_filter(self) -> None:
        self.proxy.set_kinds({kind for kind, box in self.filters.items() if box.isChecked()})
        self.count.setText(self.tr("{shown} / {total} 件").format(
            shown=self.proxy.rowCount(), total=self.model.rowCount()))


__all__ = ["HistoryReview", "event_text", "kind_label"]
