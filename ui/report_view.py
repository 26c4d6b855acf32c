"""事業報告 (monthly activity report): one month's figures for one team or all, on screen and
exported as CSV (UTF-8 with BOM, for Excel) and PDF.

The figures come from ``outreach_desk.report``. On screen every label follows the interface
language; the CSV and the PDF are official material and stay in Japanese. The PDF is Qt's own
(``QPdfWriter`` printing a ``QTextDocument``) in a Japanese font, so the Japanese text is
embedded; both files are written atomically.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QModelIndex, Qt
from PySide6.QtGui import QFont, QFontDatabase, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from outreach_desk.atomic import write_atomic
from outreach_desk.report import (
    MET_ORDER,
    MonthlyReport,
    monthly_report,
    report_html,
    write_csv,
)
from outreach_desk.vocab import CaseStage, MetWith, ReferralSource, VisitKind
from ui.fmt import label
from ui.table_models import RowsTableModel, read_only_table
from ui.tasks import run_async
from ui.widgets import heading_label, hint_label

log = logging.getLogger(__name__)

MONTHS_BACK = 24
PDF_FONTS = ("Noto Sans CJK JP", "Noto Sans JP", "Yu Gothic", "Meiryo", "Hiragino Sans",
             "IPAexGothic", "IPAGothic", "TakaoPGothic", "MS Gothic")


def japanese_font(point_size: float = 10.0) -> QFont:
    """A font with Japanese glyphs (the first of the usual ones that is installed)."""
    families = set(QFontDatabase.families(QFontDatabase.WritingSystem.Japanese))
    for family in PDF_FONTS:
        if family in families:
            return QFont(family, point_size)
    found = sorted(families)
    return QFont(found[0], point_size) if found else QFont()


def report_pdf(report: MonthlyReport, *, wareki: bool = False) -> bytes:
    """The report as an A4 PDF, its Japanese text in an embedded Japanese font (the month in
    和暦 with ``wareki``)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(150)
    writer.setTitle(report.document_title)
    writer.setCreator("Outreach Desk")
    doc = QTextDocument()
    doc.setDefaultFont(japanese_font(10))
    doc.setHtml(report_html(report, wareki=wareki))
    doc.print_(writer)
    del writer  # finishes the PDF
    buffer.close()
    return bytes(data.data())


class RowsModel(RowsTableModel):
    """Rows of text and figures (figures right-aligned)."""

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        found = self.row_at(index)
        if found is None:
            return None
        value = found[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ReportView(QWidget):
    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportView")
        self.session = session
        self.report: MonthlyReport | None = None
        self.loads = 0
        self.month = QComboBox()
        self.month.setObjectName("reportMonth")
        first = date.today().replace(day=1)
        year, month = first.year, first.month
        for _ in range(MONTHS_BACK):
            self.month.addItem(self.tr("{y}年{m}月").format(y=year, m=month), (year, month))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        self.month.setCurrentIndex(1)  # last month: the one a report is made for
        self.team = QComboBox()
        self.team.setObjectName("reportTeam")
        self.team.addItem(self.tr("全チーム"), None)
        if session.is_unlocked:
            for team in sorted(session.store.list_entities("team"), key=lambda t: t["name"]):
                self.team.addItem(team["name"] or "", team.id)
        self.month.currentIndexChanged.connect(lambda _: self.reload())
        self.team.currentIndexChanged.connect(lambda _: self.reload())
        self.csv_button = QPushButton(self.tr("CSVに書き出す…"))
        self.csv_button.setObjectName("reportCsvButton")
        self.csv_button.clicked.connect(self._ask_csv)
        self.pdf_button = QPushButton(self.tr("PDFに書き出す…"))
        self.pdf_button.setObjectName("reportPdfButton")
        self.pdf_button.clicked.connect(self._ask_pdf)
        controls = QHBoxLayout()
        for widget in (QLabel(self.tr("対象月")), self.month, QLabel(self.tr("担当チーム")),
                       self.team):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.csv_button)
        controls.addWidget(self.pdf_button)

        self.people_model = RowsModel([self.tr("実人数"), self.tr("件数")], self)
        self.visits_model = RowsModel([self.tr("種別・会えた人"), self.tr("件数"), self.tr("会えた"),
                                       self.tr("会えず")], self)
        self.new_model = RowsModel([self.tr("把握の経路（入口）"), self.tr("件数")], self)
        self.stages_model = RowsModel([self.tr("支援段階の移行"), self.tr("件数")], self)
        grid = QGridLayout()
        parts = ((self.tr("実人数"), "reportPeople", self.people_model),
                 (self.tr("訪問・連絡（延べ件数。会えずは種別を問わず同じに数えます）"), "reportVisits",
                  self.visits_model),
                 (self.tr("新規ケース（把握の経路別）"), "reportNewCases", self.new_model),
                 (self.tr("支援段階の移行・終結・中断"), "reportStages", self.stages_model))
        for index, (title, name, model) in enumerate(parts):
            box = QVBoxLayout()
            box.addWidget(heading_label(title, 1.05))
            box.addWidget(read_only_table(name, model, stretch=0))
            grid.addLayout(box, index // 2, index % 2)
        self.status = hint_label(name="reportStatus")
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(grid, 1)
        layout.addWidget(self.status)
        self.reload()

    def reload(self) -> None:
        if not self.session.is_unlocked:
            return
        store = self.session.store
        year, month = self.month.currentData()
        team_id = self.team.currentData()
        self.status.setText(self.tr("集計しています…"))
        run_async(self, lambda: monthly_report(store, year, month, team_id=team_id),
                  self._show, self._failed)

    def _failed(self, exc: BaseException) -> None:
        log.error("monthly report could not be made (%s)", exc.__class__.__name__)
        self.status.setText(self.tr("集計できませんでした。もう一度お試しください。"))

    def _show(self, report: MonthlyReport) -> None:
        if (report.year, report.month) != self.month.currentData() \
                or report.team_id != self.team.currentData():
            return  # an older request: the newer one is on its way
        self.report = report
        self.loads += 1
        self.people_model.set_rows([
            [self.tr("訪問・連絡を行ったケース"), report.cases_contacted],
            [self.tr("本人または家族に会えたケース"), report.cases_reached],
            [self.tr("本人に会えたケース"), report.persons_met]])
        rows = [[label(kind), report.visits_of(kind=kind), report.with_contact(kind),
                 report.without_contact(kind)] for kind in VisitKind]
        rows.append([self.tr("合計"), report.visits_total, report.with_contact(),
                     report.without_contact()])
        # a visit may meet several people: it counts once under each of them
        rows += [[self.tr("会えた人: {who}").format(who=label(m)), report.visits_of(met=m), "", ""]
                 for m in MET_ORDER if m is not MetWith.NOBODY]
        self.visits_model.set_rows(rows)
        self.new_model.set_rows([[label(s), report.new_cases.get(s, 0)] for s in ReferralSource]
                                + [[self.tr("合計"), sum(report.new_cases.values())]])
        stage_rows = [[self.tr("{before} → {after}").format(
            before=label(before), after=label(after)), n]
            for (before, after), n in sorted(
                report.transitions.items(),
                key=lambda item: (list(CaseStage).index(item[0][0]),
                                  list(CaseStage).index(item[0][1])))]
        stage_rows += [[self.tr("うち終結"), report.entered(CaseStage.CLOSED)],
                       [self.tr("うち中断"), report.entered(CaseStage.SUSPENDED)]]
        self.stages_model.set_rows(stage_rows)
        self.status.setText(self.tr("{month}（{team}）の集計です。").format(
            month=self.month.currentText(), team=self.team.currentText()))

    # -- export -------------------------------------------------------------------------------

    def _file_stem(self) -> str:
        year, month = self.month.currentData()
        return self.tr("事業報告_{y}-{m}").format(y=year, m=f"{month:02d}")

    def export_csv(self, path: str) -> None:
        if self.report is not None:
            write_csv(self.report, path)

    def export_pdf(self, path: str) -> None:
        if self.report is not None:
            write_atomic(Path(path), report_pdf(
                self.report, wareki=self.session.settings.calendar == "wareki"))

    def _ask_csv(self) -> None:
        self._ask(self.tr("CSV ファイル (*.csv)"), ".csv", self.export_csv)

    def _ask_pdf(self) -> None:
        self._ask(self.tr("PDF ファイル (*.pdf)"), ".pdf", self.export_pdf)

    def _ask(self, file_filter: str, suffix: str, export) -> None:
        if self.report is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("書き出し先"),
                                              self._file_stem() + suffix, file_filter)
        if not path:
            return
        try:
            export(path)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("書き出せませんでした"), self.tr(
                "ファイルを書き出せませんでした: {reason}").format(reason=exc.strerror or ""))
            return
        self.status.setText(self.tr("書き出しました: {path}").format(path=path))


__all__ = ["ReportView", "japanese_font", "report_pdf"]
