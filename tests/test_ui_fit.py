"""Every screen and dialog fits the laptops workers carry: 1366×768 and 1280×720, and 1366×768
at Windows' 125 % (QT_SCALE_FACTOR=1.25), with a task bar and the window's title bar taken off.

Long forms scroll inside the window (``ui.widgets.scroll_body``), so no screen makes the window
taller than the screen, also while validation messages show; 保存 stays in view; the toolbar
shows every action it holds, 設定 included, with no » menu.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QDialog, QLabel, QScrollArea, QWidget
from screen_catalog import dialogs, gate_dialogs, show_messages, workspace_screens
from support import FAST_KDF
from ui_fixtures import demo_session, demo_window, make_window, settings  # noqa: F401

from ui.session import Session

TASK_BAR = 28  # px of a 768 px screen: 740 px left for windows, as the issue measured
TITLE_BAR = 32  # the window frame's title bar and borders (logical px)


def available(width: int, height: int, scale: float = 1.0) -> QSize:
    """The logical size a window's contents get on a ``width``×``height`` screen at
    ``scale``: the screen less the task bar, in logical pixels, less the title bar."""
    return QSize(int(width / scale), int((height - TASK_BAR) / scale) - TITLE_BAR)


SCREENS = {
    "1366×768": available(1366, 768),  # 1366 × 708
    "1280×720": available(1280, 720),  # 1280 × 660
    "1366×768 at 125 %": available(1366, 768, 1.25),  # 1092 × 560 (1093 × 592 less the bars)
}
SMALLEST = QSize(min(s.width() for s in SCREENS.values()),
                 min(s.height() for s in SCREENS.values()))


def test_the_budget_is_computed_honestly():
    assert SCREENS["1366×768"] == QSize(1366, 708)
    assert SCREENS["1366×768 at 125 %"] == QSize(1092, 560)
    assert SMALLEST == QSize(1092, 560)


def assert_fits(widget: QWidget, where: str) -> None:
    for screen, room in SCREENS.items():
        for what, size in (("minimumSizeHint", widget.minimumSizeHint()),
                           ("minimumSize", widget.minimumSize())):
            assert size.width() <= room.width() and size.height() <= room.height(), (
                f"{where}: {what} {size.width()}×{size.height()} does not fit {screen} "
                f"({room.width()}×{room.height()})")


def assert_no_text_is_cut(root: QWidget, where: str) -> None:
    """Every wrapped label (hints, the messages under fields) that shows gets the height its
    lines need at its width: none is squeezed into overlapping or half-hidden lines."""
    for label in root.findChildren(QLabel):
        if not label.wordWrap() or not label.isVisibleTo(root) or not label.text():
            continue
        needed = label.heightForWidth(label.width())
        assert label.height() >= needed - 1, (
            f"{where}: 「{label.text()[:30]}」 gets {label.height()} px of the {needed} px "
            "its lines need")


def assert_toolbar_shows_everything(window) -> None:
    toolbar = window.toolbar
    assert toolbar.sizeHint().width() <= SMALLEST.width()
    for action in toolbar.actions():
        if action.isVisible() and not action.isSeparator():
            button = toolbar.widgetForAction(action)
            assert button is not None and button.isVisible(), (
                f"{action.text()} is hidden behind the toolbar's » menu")
            assert QRect(button.mapTo(window, button.rect().topLeft()),
                         button.size()).right() <= window.width()
    assert window.settings_action in toolbar.actions()


@pytest.fixture(params=["ja", "en"])
def language(request, qapp):
    """The window in Japanese, then in English (longer words), as main() installs them."""
    from PySide6.QtCore import QLocale

    from ui import app as ui_app
    from ui import fmt

    locale = QLocale()
    installed = ui_app.install_translators(qapp, request.param)
    yield request.param
    for translator in installed:
        qapp.removeTranslator(translator)
    fmt.set_language("ja")
    QLocale.setDefault(locale)


def test_every_workspace_screen_fits_with_and_without_messages(qtbot, language,
                                                               demo_window):  # noqa: F811
    window = demo_window
    window.resize(SMALLEST)
    seen = []
    for name in workspace_screens(window, qtbot):
        qtbot.wait(10)
        assert_fits(window, name)
        assert_no_text_is_cut(window.tabs.currentWidget(), name)
        seen.append(name)
    assert len(seen) >= 15
    assert window.size() == SMALLEST, "the window could keep the size of the screen"
    assert_toolbar_shows_everything(window)
    assert window.statusBar().isVisible()
    status = window.statusBar()
    assert QRect(status.mapTo(window, status.rect().topLeft()), status.size()).bottom() < \
        SMALLEST.height(), "the status bar is on the screen"


def test_save_stays_in_view_while_the_visit_form_shows_its_messages(qtbot, demo_window):  # noqa: F811
    window = demo_window
    window.resize(SMALLEST)
    screens = workspace_screens(window, qtbot)
    while next(screens) != "ケース／訪問記録（入力エラー表示）":
        pass
    qtbot.wait(20)
    form = window.tabs.currentWidget().form
    assert [name for name, label in form.errors.items() if not label.isHidden()]
    button = form.save_button
    assert not button.visibleRegion().isEmpty(), "保存 is scrolled out of view"
    assert button.visibleRegion().boundingRect().size() == button.size(), "保存 is cut off"
    top_left = button.mapTo(window, button.rect().topLeft())
    assert top_left.y() + button.height() <= window.height()


def test_every_dialog_fits_with_and_without_messages(qtbot, demo_window):  # noqa: F811
    window = demo_window
    window.resize(SMALLEST)
    for name, make in dialogs(window):
        dialog: QDialog = make()
        dialog.show()
        qtbot.waitExposed(dialog)
        assert_fits(dialog, name)
        assert_no_text_is_cut(dialog, name)
        qtbot.wait(300)  # shown and laid out, as a worker sees it before pressing 保存
        if [area for area in dialog.findChildren(QScrollArea)
                if area.objectName().endswith("Scroll")]:  # made to scroll: squeeze it
            dialog.resize(dialog.width(), min(dialog.height(), 360))
            qtbot.wait(50)
        show_messages(dialog)
        qtbot.wait(200)
        assert_fits(dialog, f"{name}（入力エラー表示）")
        assert_no_text_is_cut(dialog, f"{name}（入力エラー表示）")
        # done(), not close(): a dialog holding typed content asks before it is given up
        dialog.done(QDialog.DialogCode.Rejected) if isinstance(dialog, QDialog) else dialog.close()


@pytest.mark.parametrize("page", ["first_run", "unlock"])
def test_gate_pages_and_their_dialogs_fit(qtbot, tmp_path, settings, page):  # noqa: F811
    session = Session(tmp_path / "data", settings, kdf=FAST_KDF)
    if page == "unlock":
        with qtbot.waitSignal(session.unlocked, timeout=20_000):
            session.create("correct horse battery staple 42", "佐藤 花子", "野尻担当")
        session.lock()
    window = make_window(qtbot, session)
    shown = getattr(window, f"{page}_page" if page == "unlock" else page)
    assert window.stack.currentWidget() is shown
    assert_fits(window, page)
    assert_no_text_is_cut(shown, page)
    qtbot.wait(300)  # shown and laid out, as a worker sees it before pressing the button
    shown.submit()  # nothing typed: the messages show
    qtbot.wait(200)  # the layout settles
    assert_no_text_is_cut(shown, f"{page}（入力エラー表示）")
    window.resize(SMALLEST)
    qtbot.wait(10)
    assert_fits(window, f"{page}（入力エラー表示）")
    assert_no_text_is_cut(shown, f"{page}（入力エラー表示、{SMALLEST.height()} px）")
    for name, make in gate_dialogs(window) if page == "first_run" else ():
        dialog = make()
        dialog.show()
        assert_fits(dialog, name)
        show_messages(dialog)
        qtbot.wait(10)
        assert_fits(dialog, f"{name}（入力エラー表示）")
        assert_no_text_is_cut(dialog, f"{name}（入力エラー表示）")
        # done(), not close(): a dialog holding typed content asks before it is given up
        dialog.done(QDialog.DialogCode.Rejected) if isinstance(dialog, QDialog) else dialog.close()
    session.close()
