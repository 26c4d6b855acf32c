"""In demo mode (``--demo``), the status bar says who the user is and that nothing is real.

「デモ: 〇〇 〇〇（支援員・野尻担当）として使用中。記録はすべて架空のものです。」 — the fictional
worker the demo signs in as (``outreach_desk.demo.work_as_first_worker``), with role and team.
Shown only in demo mode; refreshed each time the store is unlocked.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar

from outreach_desk.vocab import Role
from ui.fmt import label


class DemoNote(QLabel):
    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("demoNote")
        self.setProperty("role", "hint")
        self.session = session
        self.setVisible(bool(session.demo))
        session.unlocked.connect(self.refresh)
        if session.is_unlocked:
            self.refresh()

    def refresh(self) -> None:
        if not self.session.demo or not self.session.is_unlocked:
            return
        store = self.session.store
        worker = store.worker()
        team = store.get("team", worker["team_id"]) if worker and worker["team_id"] else None
        try:
            role = label(Role(worker["role"])) if worker else ""
        except ValueError:
            role = ""
        who = self.tr("{name}（{role}・{team}）").format(
            name=(worker["name"] if worker else "") or "", role=role,
            team=(team["name"] if team else "") or self.tr("チームなし"))
        self.setText(self.tr("デモ: {who}として使用中。記録はすべて架空のものです。").format(
            who=who))
        self.setToolTip(self.tr("デモ用のデータです。実在の人物・機関とは関係ありません。"
                                "アプリを閉じると消去されます。"))


def add_demo_note(status_bar: QStatusBar, session) -> DemoNote | None:
    """Put the demo note at the left of ``status_bar`` when ``session`` is a demo."""
    if not session.demo:
        return None
    note = DemoNote(session, status_bar)
    status_bar.insertWidget(0, note)
    return note


__all__ = ["DemoNote", "add_demo_note"]
