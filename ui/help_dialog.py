"""使い方 (F1): the user guide shipped with the app, shown offline in a ``QTextBrowser``.

The guide is ``resources/help/guide_ja.html`` (Japanese; short sections per screen and the list
of keyboard shortcuts). Each section has an anchor (``<a name="visit">``); F1 opens the guide at
the section of the screen in front of the worker (``anchor_for``). Nothing is fetched from the
network: the file ships in the frozen app (``build.spec``) like the icons and translations.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QSize, QTimer, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

log = logging.getLogger(__name__)

# Frozen builds unpack resources/ next to the code; source checkouts keep it at the repo root.
HELP_DIR = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent)) \
    / "resources" / "help"
GUIDE = HELP_DIR / "guide_ja.html"

# the guide's sections (anchors), one per screen
SECTIONS = ("start", "caseload", "follow-ups", "case", "visit", "consent", "plan", "meeting",
            "dashboard", "report", "sync", "lock", "settings", "shortcuts")


def anchor_for(window) -> str:
    """The guide's section for what ``window`` (the main window) shows now."""
    from ui.case_view import CaseView
    from ui.caseload import CaseloadView, FollowUpsView
    from ui.comments import CommentsView
    from ui.conflicts_view import ConflictsView
    from ui.dashboard import DashboardView
    from ui.meeting_prep import MeetingPrepView
    from ui.report_view import ReportView

    page = window.stack.currentWidget()
    if page is window.first_run:
        return "start"
    if page is window.unlock_page:
        return "lock"
    if page is window.offline_page:
        return "sync"
    if page is not window.workspace:
        return "start"
    screen = window.tabs.currentWidget()
    if isinstance(screen, CaseView):
        if not screen.form_panel.isHidden():
            return "visit"
        current = screen.tabs.currentWidget()
        if current is screen.consent_tab:
            return "consent"
        if current is screen.plans_tab:
            return "plan"
        return "case"
    for kind, anchor in ((CaseloadView, "caseload"), (FollowUpsView, "follow-ups"),
                         (MeetingPrepView, "meeting"), (DashboardView, "dashboard"),
                         (ReportView, "report"), (ConflictsView, "sync"),
                         (CommentsView, "case")):
        if isinstance(screen, kind):
            return anchor
    return "start"


class HelpDialog(QDialog):
    """The guide, opened at ``anchor`` (a section name of ``SECTIONS``)."""

    def __init__(self, anchor: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setWindowTitle(self.tr("使い方"))
        self.browser = QTextBrowser()
        self.browser.setObjectName("helpBrowser")
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(True)
        if GUIDE.exists():
            self.browser.setSource(QUrl.fromLocalFile(str(GUIDE)))
        else:  # a broken installation: say so rather than show an empty window
            log.warning("user guide missing from the installation")
            self.browser.setPlainText(self.tr(
                "使い方のファイルが見つかりません。アプリを入れ直してください。"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("閉じる"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(self._fitting_size())
        if anchor:
            self.show_section(anchor)

    def _fitting_size(self) -> QSize:
        """Roomy, but never larger than the screen the dialog opens on."""
        screen = (self.parentWidget().screen() if self.parentWidget() is not None
                  else QGuiApplication.primaryScreen())
        available = screen.availableGeometry().size() if screen is not None else QSize(1024, 700)
        return QSize(min(760, available.width() - 40), min(620, available.height() - 60))

    section: str | None = None

    def show_section(self, anchor: str) -> None:
        """Scroll to the section (again once shown: the layout needs the dialog's size)."""
        self.section = anchor
        self.browser.scrollToAnchor(anchor)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self.section:
            QTimer.singleShot(0, lambda: self.browser.scrollToAnchor(self.section))


__all__ = ["GUIDE", "SECTIONS", "HelpDialog", "anchor_for"]
