"""競合 (conflicts): the same field changed on two devices before either saw the other's change.

The screen lists every open conflict of the store (``store.open_conflicts()``): which record it
belongs to (kind and a readable name), the field, and every surviving value side by side with who
wrote it, on which device and when. The worker keeps one value (``この値にする``) or, for text,
writes one that combines them; either way ``store.resolve_conflict`` writes a value that has seen
every other, so the conflict closes here and, after the next sync, on every other device.

Two kinds cannot be settled with a value here and send the worker to the case instead:

* consent (``consent:<agency>``): a grant and a withdrawal recorded at the same time are treated
  as a withdrawal until someone asks the person again and records a new grant or withdrawal;
* corrections of a visit record made at the same time on two devices.

Everything shown is read in the background (``load_conflicts``) and the list follows
``Session.changed``; a card being worked on (a merged text half typed) is kept as long as its
conflict has the same values.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from outreach_desk.changes import canonical
from outreach_desk.errors import NotFound, OutreachDeskError, StoreLocked, ValidationError
from outreach_desk.model import ALIVE, ENTITIES
from outreach_desk.vocab import (
    CaseStage,
    MeetingKind,
    MetWith,
    ReferralSource,
    RelationshipStage,
    Role,
    VisitKind,
)
from ui.caseload_model import read_in_background, weak_callback
from ui.conflict_card import ConflictCard, ValueBox
from ui.conflict_items import (
    _REF_KINDS,
    TEXT_FIELDS,
    ConflictItem,
    ConflictValue,
    load_conflicts,
)
from ui.fmt import follow_up_text, format_date, format_datetime, label, met_with_text
from ui.widgets import heading_label, hint_label

log = logging.getLogger(__name__)

_VOCAB_FIELDS = {
    ("case", "referral_source"): ReferralSource, ("worker", "role"): Role,
    ("meeting", "kind"): MeetingKind, ("visit", "kind"): VisitKind,
    ("visit", "met_with"): MetWith, ("visit", "relationship_stage"): RelationshipStage,
}
_DATE_FIELDS = frozenset({"opened_on", "monitoring_date", "held_on", "next_monitoring_date",
                          "next_action_due", "given_on"})


class ConflictsView(QWidget):
    """競合: every open conflict of the store, settled one by one."""

    case_requested = Signal(str)
    loaded = Signal()  # the list shows what the store holds now (tests wait on it)
    resolved = Signal(object)  # (entity, entity_id, field) settled here

    RELOAD_DELAY_MS = 250

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conflictsView")
        self.session = session
        self.items: list[ConflictItem] = []
        self.cards: dict[tuple[str, str, str], ConflictCard] = {}
        self._tasks = QObject(self)
        self._token = 0
        self._loading = False
        self._again = False
        self._stale = True

        self.heading = heading_label(self.tr("競合"), 1.3, "conflictsHeading")
        self.summary = hint_label("", "conflictsSummary")
        self.empty = QLabel()
        self.empty.setObjectName("conflictsEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list = QWidget()
        self.list_layout = QVBoxLayout(self.list)
        self.list_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("conflictsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.list)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(self.RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        session.changed.connect(self._on_changed)
        self._update_summary()
        self.reload()

    # -- loading ----------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._loading

    def reload(self) -> None:
        if not self.session.is_unlocked:
            return
        if self._loading:
            self._again = True
            return
        self._loading = True
        self._stale = False
        self._token += 1
        self._update_summary()
        read_in_background(self._tasks, self.session.store, load_conflicts,
                           weak_callback(self._loaded, self._token),
                           weak_callback(self._load_failed, self._token))

    def _on_changed(self, _summary) -> None:
        if self.isVisible():
            self._reload_timer.start()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self._stale:
            self.reload()
        super().showEvent(event)

    def _loaded(self, token: int, items: list[ConflictItem]) -> None:
        if token != self._token:
            return
        self._loading = False
        if self._again:
            self._again = False
            self.reload()
            return
        self._show(items)
        self.loaded.emit()

    def _load_failed(self, token: int, exc: BaseException) -> None:
        if token != self._token:
            return
        self._loading = False
        if not isinstance(exc, StoreLocked):
            log.warning("conflicts could not be read: %s", exc.__class__.__name__)
            self.summary.setText(self.tr("競合の一覧を読み込めませんでした。"))
        if self._again:
            self._again = False
            self.reload()

    def _show(self, items: list[ConflictItem]) -> None:
        """Keep the cards whose conflict is unchanged (their typed text too); rebuild the rest."""
        old = {key: card for key, card in self.cards.items()}
        self.items = list(items)
        self.cards = {}
        for index, item in enumerate(self.items):
            card = old.pop(item.key, None)
            if card is not None and card.item.signature != item.signature:
                card.deleteLater()
                card = None
            if card is None:
                card = ConflictCard(self, item)
                card.resolve_requested.connect(
                    lambda value, key=item.key: self._resolve(key, value))
                card.case_requested.connect(self.case_requested.emit)
            else:
                self.list_layout.removeWidget(card)  # re-inserted below, in the new order
            self.list_layout.insertWidget(index, card)
            self.cards[item.key] = card
        for card in old.values():
            self.list_layout.removeWidget(card)
            card.deleteLater()
        self._update_summary()

    def _update_summary(self) -> None:
        count = len(self.items)
        if count:
            self.summary.setText(self.tr(
                "同じ項目が別々の端末でほぼ同時に変更されました（{n} 件）。残す値を選ぶか、"
                "書き直して保存してください。保存した内容は次の同期でほかの端末にも届きます。"
            ).format(n=count))
        else:
            self.summary.setText(self.tr("読み込み中…") if self._loading else "")
        self.empty.setText("" if count or self._loading else
                           self.tr("未解決の競合はありません。"))
        self.empty.setVisible(not count and not self._loading)

    # -- settling -----------------------------------------------------------------------------

    def card(self, entity: str, entity_id: str, fld: str) -> ConflictCard | None:
        return self.cards.get((entity, entity_id, fld))

    def keys(self) -> list[tuple[str, str, str]]:
        return [item.key for item in self.items]

    def _resolve(self, key: tuple[str, str, str], value: Any) -> None:
        card = self.cards.get(key)
        if card is None or not self.session.is_unlocked:
            return
        entity, entity_id, fld = key
        card.error.clear()
        if isinstance(value, str) and not value.strip() and (entity, fld) in TEXT_FIELDS:
            spec = ENTITIES[entity].field(fld)
            if spec.required:
                card.error.set(self.tr("空欄にはできません。内容を入力してください。"))
                return
        try:
            self.session.store.resolve_conflict(entity, entity_id, fld, value)
        except ValidationError as exc:
            log.info("conflict value refused: %s %s", exc.field, exc.rule)
            card.error.set(self.tr("この内容では保存できませんでした。内容を確かめてください。"))
            return
        except NotFound:
            card.error.set(self.tr("この記録は削除されたため、ここでは直せません。"))
            return
        except OutreachDeskError as exc:
            log.warning("conflict could not be resolved: %s", exc.__class__.__name__)
            card.error.set(self.tr("保存できませんでした。もう一度お試しください。"))
            return
        log.info("conflict resolved: %s.%s", entity, fld)
        self.items = [item for item in self.items if item.key != key]
        self.cards.pop(key, None)
        self.list_layout.removeWidget(card)
        card.hide()
        card.deleteLater()
        self._update_summary()
        self.resolved.emit(key)

    # -- how things read ------------------------------------------------------------------------

    def kind_label(self, entity: str) -> str:
        labels = {
            "team": self.tr("担当チーム"), "worker": self.tr("支援員"),
            "agency": self.tr("関係機関"), "household": self.tr("世帯"),
            "person": self.tr("対象者"), "case": self.tr("ケース"),
            "note": self.tr("関係づくりメモ"), "plan": self.tr("支援プラン"),
            "meeting": self.tr("会議"), "visit": self.tr("訪問・連絡記録"),
            "comment": self.tr("スーパービジョンのコメント"), "field_checkin": self.tr("外出予定"),
        }
        return labels.get(entity, entity)

    def record_title(self, item: ConflictItem) -> str:
        kind = self.kind_label(item.entity)
        if item.entity == "meeting":
            name = label(_vocab(MeetingKind, item.record_kind)) or ""
            if item.record_date:
                name = self.tr("{kind}（{date}）").format(kind=name,
                                                          date=format_date(item.record_date))
        elif item.entity == "visit":
            name = self.tr("{name}・{when}").format(
                name=item.record_name or self.tr("（名前なし）"),
                when=format_datetime(item.record_date))
        else:
            name = item.record_name or self.tr("（名前なし）")
        return self.tr("{kind}：{name}").format(kind=kind, name=name)

    def field_title(self, item: ConflictItem) -> str:
        if item.is_consent:
            agency = item.names.get(item.agency_id or "", "") or self.tr("（不明な機関）")
            return self.tr("項目：同意（{agency}）").format(agency=agency)
        return self.tr("項目：{field}").format(field=self.field_label(item.entity, item.field))

    def explanation(self, item: ConflictItem) -> str:
        if item.is_consent:
            return self.tr(
                "この機関への同意と撤回が、別々の端末で同時に記録されました。安全のため撤回として"
                "扱っています。本人に意思を確かめ、ケース画面から同意または撤回を記録し直して"
                "ください。")
        if item.entity == "visit":
            return self.tr(
                "同じ訪問記録に、別々の端末で同時に訂正が加えられました。ケース画面の訪問記録で"
                "訂正の内容を確かめてください。")
        if item.field == ALIVE:
            return self.tr("一方の端末で削除され、もう一方では変更されました。残すか削除するかを"
                           "選んでください。")
        return ""

    def field_label(self, entity: str, fld: str) -> str:
        specific = {
            ("team", "name"): self.tr("チーム名"), ("agency", "name"): self.tr("機関名"),
            ("agency", "kind"): self.tr("機関の種類"), ("household", "name"): self.tr("世帯名"),
            ("meeting", "kind"): self.tr("会議の種類"), ("visit", "kind"): self.tr("種別"),
            ("note", "text"): self.tr("メモの本文"), ("visit", "narrative"): self.tr("内容"),
            ("comment", "text"): self.tr("コメントの本文"),
        }
        general = {
            "name": self.tr("氏名"), "kana": self.tr("ふりがな"),
            "birth_year": self.tr("生まれ年"), "district": self.tr("地区"),
            "address_note": self.tr("住所・目印のメモ"), "household_id": self.tr("世帯"),
            "person_id": self.tr("対象者"), "team_id": self.tr("担当チーム"),
            "worker_id": self.tr("担当支援員"), "role": self.tr("役割"),
            "referral_source": self.tr("把握の経路"), "referral_note": self.tr("把握時のメモ"),
            "stage": self.tr("支援段階"), "opened_on": self.tr("開始日"),
            "case_id": self.tr("ケース"), "goals": self.tr("目標"),
            "roles": self.tr("関係機関の役割"), "monitoring_date": self.tr("モニタリング日"),
            "held_on": self.tr("開催日"), "attendees": self.tr("出席した機関"),
            "case_ids": self.tr("対象ケース"), "decisions": self.tr("決定事項"),
            "next_monitoring_date": self.tr("次回モニタリング日"),
            "occurred_at": self.tr("日時"), "met_with": self.tr("会えた相手"),
            "reaction": self.tr("本人・家族の反応"),
            "relationship_stage": self.tr("関係の段階"), "next_action": self.tr("次回の予定"),
            "next_action_due": self.tr("次回の期限"), ALIVE: self.tr("削除・復元"),
            "read_at": self.tr("既読にした日時"), "read_by": self.tr("既読にした人"),
            "expected_return": self.tr("帰所予定"), "returned_at": self.tr("帰所した日時"),
        }
        return specific.get((entity, fld)) or general.get(fld) or fld

    def shown_index(self, item: ConflictItem) -> int:
        """Which value the app shows meanwhile: the newest, but a deletion wins."""
        if item.field == ALIVE:
            for index, value in enumerate(item.values):
                if value.value is False:
                    return index
        return 0

    def who(self, item: ConflictItem, value: ConflictValue) -> str:
        name = value.author_name or self.tr("（不明な支援員）")
        if value.site == item.own_site:
            device = self.tr("この端末")
        else:
            device = self.tr("端末 {id}").format(id=value.site[:6])
        return self.tr("{name}・{device}・{when}").format(
            name=name, device=device, when=format_datetime(value.written_at))

    def format_value(self, item: ConflictItem, value: Any) -> str:
        entity, fld = item.entity, item.field
        if fld == ALIVE:
            return self.tr("削除する") if value is False else self.tr("残す")
        if value is None or value == "" or value == []:
            return self.tr("（空欄）")
        if (entity, fld) == ("visit", "met_with"):
            return met_with_text(value) or str(value)
        if (entity, fld) == ("case", "follow_up"):
            return follow_up_text(value)
        vocab = _VOCAB_FIELDS.get((entity, fld))
        if vocab is not None:
            return label(_vocab(vocab, value)) or str(value)
        if fld == "stage" and isinstance(value, dict):
            stage = label(_vocab(CaseStage, value.get("stage"))) or str(value.get("stage"))
            text = self.tr("{stage}（{date}から）").format(stage=stage,
                                                         date=format_date(value.get("date")))
            if value.get("reason"):
                text += "\n" + self.tr("理由: {reason}").format(reason=value["reason"])
            return text
        if fld in _DATE_FIELDS and isinstance(value, str):
            return _safe(format_date, value)
        if fld == "occurred_at" and isinstance(value, str):
            return _safe(format_datetime, value)
        if fld in _REF_KINDS and isinstance(value, str):
            return item.names.get(value) or self.tr("（不明）")
        if fld in ("attendees", "case_ids") and isinstance(value, list):
            return "\n".join(item.names.get(i) or self.tr("（不明）") for i in value)
        if fld == "roles" and isinstance(value, list):
            return "\n".join(self.tr("{agency}: {role}").format(
                agency=item.names.get(r.get("agency_id")) or self.tr("（不明）"),
                role=r.get("role", "")) for r in value if isinstance(r, dict))
        if fld == "goals" and isinstance(value, list):
            return "\n".join(self.tr("・{goal}").format(goal=goal) for goal in value)
        if isinstance(value, bool):
            return self.tr("はい") if value else self.tr("いいえ")
        if isinstance(value, (list, dict)):
            return canonical(value)
        return str(value)


def _vocab(kind, value):
    try:
        return kind(value) if value else None
    except ValueError:
        return None


def _safe(formatter, value: str) -> str:
    try:
        return formatter(value)
    except ValueError:
        return value


__all__ = ["ConflictCard", "ConflictItem", "ConflictValue", "ConflictsView", "TEXT_FIELDS",
           "ValueBox", "load_conflicts"]
