"""Japanese everywhere: Qt's own file dialog in Japanese (English when English is chosen), one
date format on every screen (2026年12月8日(火)), and 和暦 on the meeting material and the monthly
report when the worker chooses it in 設定."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pypdf
import pytest
from PySide6.QtCore import QCoreApplication, QDate, QLocale, QTranslator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QDateEdit,
    QFileDialog,
    QLabel,
    QWidget,
)
from screen_catalog import dialogs, workspace_screens
from support import visit_fields
from ui_fixtures import demo_session, demo_window, session, settings, wait_idle, window  # noqa: F401

from outreach_desk.meetings import MeetingPlan
from outreach_desk.vocab import LegalBasis, MeetingKind
from outreach_desk.wareki import wareki_date
from ui import app as ui_app
from ui import fmt
from ui.report_view import ReportView
from ui.settings_dialog import SettingsDialog

ISO_DATE = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)|(?<!\d)\d{4}/\d{1,2}/\d{1,2}(?!\d)")
JAPANESE_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日\([月火水木金土日]\)( \d{2}:\d{2})?$")


@pytest.fixture
def language(qapp):
    """Install the translators of a language as main() does; put Japanese back afterwards."""
    installed: list[QTranslator] = []
    locale = QLocale()

    def install(lang: str) -> None:
        for translator in installed:
            qapp.removeTranslator(translator)
        installed[:] = ui_app.install_translators(qapp, lang)

    yield install
    for translator in installed:
        qapp.removeTranslator(translator)
    fmt.set_language("ja")
    QLocale.setDefault(locale)


def file_dialog_texts(qtbot) -> dict[str, str]:
    dialog = QFileDialog(None, "保存先")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own, as on Linux
    qtbot.addWidget(dialog)
    return {label.objectName(): label.text() for label in dialog.findChildren(QLabel)
            if label.objectName()}


def test_qt_file_dialog_speaks_japanese_and_english_when_chosen(qtbot, language):
    language("ja")
    texts = file_dialog_texts(qtbot)
    for name in ("lookInLabel", "fileNameLabel", "fileTypeLabel"):
        assert texts[name] and not re.search("[A-Za-z]{2,}", texts[name]), (name, texts[name])
    assert QCoreApplication.translate("QAbstractFileIconProvider", "Folder") == "フォルダー"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "キャンセル"
    language("en")
    texts = file_dialog_texts(qtbot)
    assert texts["lookInLabel"] == "&Look in:" and texts["fileTypeLabel"] == "Files of &type:"
    assert QCoreApplication.translate("MainWindow", "ファイル(&F)") == "&File"


def test_qt_translations_are_looked_for_where_a_frozen_build_keeps_them():
    dirs = ui_app.qt_translations_dirs()
    assert any(directory.replace("\\", "/").endswith("PySide6/Qt/translations")
               for directory in dirs)


class CountingTranslator(QTranslator):
    """A real translator that counts what it is asked in one context."""

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context, self.asked = context, 0

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D102
        if context == self.context:
            self.asked += 1
        return None

    def isEmpty(self) -> bool:  # noqa: N802 (Qt override)
        return False


def test_weekday_names_are_translated_once_per_language(qapp):
    counter = CountingTranslator("Dates")
    qapp.installTranslator(counter)
    try:
        fmt.set_language("ja")
        days = [format(date(2026, 12, d)) for d in range(1, 29)]
        shown = [fmt.format_date(day) for day in days]
        assert shown[7] == "2026年12月8日(火)"
        # one translation of the pattern per date, the seven weekday names once
        assert counter.asked <= len(days) + 7
        asked = counter.asked
        fmt.format_date("2026-12-09")
        assert counter.asked == asked + 1
    finally:
        qapp.removeTranslator(counter)
        fmt.set_language("ja")


def shown_texts(root: QWidget) -> list[str]:
    """What the worker reads: labels, date fields and the first rows of every list and table."""
    texts = [label.text() for label in root.findChildren(QLabel) if label.isVisibleTo(root)]
    texts += [edit.text() for edit in root.findChildren(QAbstractSpinBox)]
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if model is None:
            continue
        root_index = view.rootIndex()
        try:
            columns = model.columnCount(root_index)
        except TypeError:  # a list model whose columnCount is not public
            columns = 1
        for row in range(min(model.rowCount(root_index), 40)):
            for column in range(columns):
                value = model.index(row, column).data()
                if isinstance(value, str):
                    texts.append(value)
    return texts


def test_every_screen_writes_dates_one_way(qtbot, demo_window):  # noqa: F811
    main = demo_window
    date_fields = 0
    for name in workspace_screens(main, qtbot):
        screen = main.tabs.currentWidget()
        for text in shown_texts(screen):
            assert not ISO_DATE.search(text), f"{name}: {text!r}"
        for edit in screen.findChildren(QDateEdit):
            assert JAPANESE_DATE.match(edit.text()), f"{name}: {edit.objectName()} {edit.text()}"
            date_fields += 1
    for name, make in dialogs(main):
        dialog = make()
        for text in shown_texts(dialog):
            assert not ISO_DATE.search(text), f"{name}: {text!r}"
        for edit in dialog.findChildren(QDateEdit):
            assert JAPANESE_DATE.match(edit.text()), f"{name}: {edit.objectName()} {edit.text()}"
            date_fields += 1
        dialog.close()
    assert date_fields >= 6  # the visit form's, the plan's, the meeting's, the dialogs'


def pdf_text(path_or_bytes) -> str:
    import io

    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    raw = "".join(page.extract_text() for page in pypdf.PdfReader(source).pages)
    return "".join(unicodedata.normalize("NFKC", raw).split())


def test_wareki_is_chosen_in_settings_and_used_by_the_monthly_report(
        qtbot, demo_window, tmp_path):  # noqa: F811
    main = demo_window
    dialog = SettingsDialog(main.session, main)
    qtbot.addWidget(dialog)
    assert main.session.settings.calendar == "western"
    dialog.calendar.setCurrentIndex(dialog.calendar.findData("wareki"))
    dialog.accept()
    assert main.session.settings.calendar == "wareki"
    main.supervision.report_action.trigger()
    view = main.tabs.currentWidget()
    assert isinstance(view, ReportView)
    qtbot.waitUntil(lambda: view.loads >= 1, timeout=20_000)
    year, month = view.month.currentData()
    view.export_pdf(str(tmp_path / "wareki.pdf"))
    text = pdf_text(tmp_path / "wareki.pdf")
    era_month = wareki_date(date(year, month, 1)).split("月")[0] + "月"
    assert unicodedata.normalize("NFKC", f"事業報告{era_month}") in text
    assert f"事業報告{year}年" not in text
    main.session.settings.calendar = "western"
    view.export_pdf(str(tmp_path / "western.pdf"))
    assert f"事業報告{year}年{month}月" in pdf_text(tmp_path / "western.pdf")
    wait_idle(qtbot)


def test_wareki_dates_on_the_meeting_material_made_from_the_screen(
        qtbot, window, tmp_path):  # noqa: F811
    store = window.session.store
    welfare = store.add_agency("福祉課")
    person = store.add_person("山田 太郎", "やまだ たろう", "野尻", birth_year=1970)
    case = store.open_case(referral_source="minsei_iin", district="野尻", person_id=person,
                           team_id=store.worker()["team_id"], worker_id=store.author)
    store.record_visit(case, **visit_fields(narrative="玄関で少し話せた"))
    store.record_consent(person, agencies=[welfare], method="written")
    window.session.settings.calendar = "wareki"
    view = window.supervision.show_meeting_prep()
    qtbot.waitUntil(lambda: view.caseload.count() == 1, timeout=20_000)
    view.set_agencies([welfare])
    view.caseload.setCurrentRow(0)
    before = view.checks_done
    view.add_selected()
    qtbot.waitUntil(lambda: view.checks_done > before and view.checked_plan == view.plan(),
                    timeout=20_000)
    assert view.material_button.isEnabled()
    with qtbot.waitSignal(view.material_written, timeout=30_000):
        view.export_pdf(str(tmp_path / "会議資料.pdf"))
    text = pdf_text(tmp_path / "会議資料.pdf")
    today = wareki_date(date.today())
    assert unicodedata.normalize("NFKC", f"開催日{today}") in text, text[:300]
    assert f"{date.today().year}年{date.today().month}月{date.today().day}日" not in text
    wait_idle(qtbot)


def test_meeting_material_keeps_the_western_calendar_by_default(store, qapp):
    from outreach_desk.disclosure import disclose_meeting_material
    from ui.meeting_pdf import material_pdf

    welfare = store.add_agency("福祉課")
    person = store.add_person("山田 太郎", "やまだ たろう", "野尻", birth_year=1970)
    case = store.open_case(referral_source="minsei_iin", district="野尻", person_id=person)
    store.record_consent(person, agencies=[welfare], method="written")
    plan = MeetingPlan(MeetingKind.MULTI_AGENCY, date(2026, 12, 8), (welfare,), (case,))
    done = disclose_meeting_material(store, plan, basis=LegalBasis.CONSENT, render=material_pdf)
    text = pdf_text(done.data)
    assert "開催日2026年12月8日" in text and "令和" not in text
    assert re.search(r"作成日時\d{4}年\d{1,2}月\d{1,2}日\d{2}:\d{2}", text), text[:400]
    done = disclose_meeting_material(store, plan, basis=LegalBasis.CONSENT, render=material_pdf,
                                     wareki=True)
    assert "開催日令和8年12月8日" in pdf_text(done.data)


def test_date_fields_show_the_weekday_in_japanese(qtbot):
    edit = QDateEdit(QDate(2026, 12, 8))
    qtbot.addWidget(edit)
    edit.setLocale(QLocale(QLocale.Language.Japanese, QLocale.Country.Japan))
    edit.setDisplayFormat(fmt.date_edit_format())
    assert edit.text() == "2026年12月8日(火)" == fmt.format_date("2026-12-08")
    assert QApplication.instance() is not None
