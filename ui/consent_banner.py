"""The consent banner (同意状況) of a case: always in view above the tabs.

同意あり / 同意なし / 撤回 / 一部同意 with the agencies concerned, and a warning when a grant and a
withdrawal were recorded concurrently for an agency (treated as withdrawn, never lost).
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from outreach_desk.model import ConsentState
from outreach_desk.queries import CaseHistory
from outreach_desk.vocab import ConsentStatus
from ui.case_tabs import Names
from ui.fmt import label

COLOURS = {  # background, border: calm; the text colour is fixed so it reads in dark themes
    ConsentStatus.GRANTED: ("#e6f4ea", "#34a853"),
    ConsentStatus.NONE: ("#f1f3f4", "#9aa0a6"),
    ConsentStatus.WITHDRAWN: ("#fce8e6", "#d93025"),
    ConsentStatus.PARTIAL: ("#fef7e0", "#f9ab00"),
}


class ConsentBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consentBanner")
        self.label = QLabel()
        self.label.setObjectName("consentText")
        self.label.setWordWrap(True)
        self.label.setAccessibleName(self.tr("同意状況"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label)

    def show_history(self, history: CaseHistory, names: Names) -> None:
        consent = history.consent
        if history.person is None or consent is None:
            status = ConsentStatus.NONE
            text = self.tr("同意: 世帯のケースです。同意は対象者ごとに記録します。")
        else:
            status = consent.status
            text = self.text(consent, names)
        background, border = COLOURS[status]
        self.setProperty("status", status.value)
        self.setStyleSheet(
            f"QFrame#consentBanner {{ background: {background}; border: 1px solid {border}; }}"
            " QFrame#consentBanner QLabel { color: #1f1f1f; }")
        self.label.setText(text)

    def show_message(self, text: str) -> None:
        self.label.setText(text)

    def text(self, consent: ConsentState, names: Names) -> str:
        def agencies(ids) -> str:
            return self.tr("、").join(sorted(names.agencies.get(i, "?") for i in ids))

        status = label(consent.status)
        if consent.status is ConsentStatus.GRANTED:
            text = self.tr("{status}: {agencies}").format(
                status=status, agencies=agencies(consent.granted))
        elif consent.status is ConsentStatus.PARTIAL:
            text = self.tr("{status}: 同意 {granted}／撤回 {withdrawn}").format(
                status=status, granted=agencies(consent.granted),
                withdrawn=agencies(consent.withdrawn))
        elif consent.status is ConsentStatus.WITHDRAWN:
            if consent.withdrawn_all or not consent.withdrawn:
                text = self.tr("{status}: すべての関係機関への同意が撤回されています。"
                               "情報提供は支援会議の範囲に限られます。").format(status=status)
            else:
                text = self.tr("{status}: {agencies} への同意が撤回されています。").format(
                    status=status, agencies=agencies(consent.withdrawn))
        else:
            text = self.tr("{status}: 情報提供は支援会議（社会福祉法第106条の6）の範囲に"
                           "限られます。").format(status=status)
        if consent.flagged:
            text += "\n" + self.tr(
                "要確認: {agencies} について同意と撤回が同時に記録されています"
                "（撤回として扱っています）。").format(agencies=agencies(consent.flagged))
        return text


__all__ = ["ConsentBanner"]
