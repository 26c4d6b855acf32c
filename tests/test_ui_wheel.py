"""The mouse wheel never changes a combo box, spin box or date field that the worker is not
editing: over such a field it scrolls the form around it (``ui.wheel_guard``, installed in
``main()``). Every field of every screen and dialog is tried with a real wheel event."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QDialog, QWidget
from screen_catalog import dialogs, gate_dialogs, show_messages, workspace_screens
from support import FAST_KDF
from ui_fixtures import demo_session, demo_window, make_window, settings  # noqa: F401

from ui.session import Session
from ui.wheel_guard import install_wheel_guard


@pytest.fixture(autouse=True)
def guard(qapp):
    return install_wheel_guard(qapp)  # as main() does


def wheel(widget: QWidget, steps: int) -> None:
    """Turn the wheel ``steps`` notches (up when positive) with the pointer over ``widget``."""
    position = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(position, QPointF(widget.mapToGlobal(position.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def value(widget: QWidget):
    return widget.currentIndex() if isinstance(widget, QComboBox) else widget.text()


def value_widgets(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget) if isinstance(w, (QComboBox, QAbstractSpinBox))]


def assert_wheel_changes_nothing(root: QWidget, where: str) -> int:
    """Wheel up and down over every enabled field of ``root`` while it has no focus; return how
    many fields were tried."""
    tried = 0
    for widget in value_widgets(root):
        widget.ensurePolished()
        assert widget.focusPolicy() != Qt.FocusPolicy.WheelFocus, (where, widget.objectName())
        if not widget.isEnabled():
            continue
        widget.clearFocus()
        assert not widget.hasFocus()
        before = value(widget)
        for steps in (1, -1, -1, 1, 3, -3):
            wheel(widget, steps)
            assert value(widget) == before, f"{where}: the wheel changed {widget.objectName()}"
        assert not widget.hasFocus(), f"{where}: the wheel gave {widget.objectName()} focus"
        tried += 1
    return tried


def test_a_wheel_event_changes_a_focused_field_so_the_test_is_real(qtbot):
    combo = QComboBox()
    combo.addItems(["一", "二", "三"])
    combo.setCurrentIndex(1)
    qtbot.addWidget(combo)
    combo.show()
    qtbot.waitExposed(combo)
    wheel(combo, -1)
    assert combo.currentIndex() == 1, "unfocused: unchanged"
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    wheel(combo, -1)
    assert combo.currentIndex() == 2, "the field being edited still takes the wheel"


def test_no_field_of_any_screen_or_dialog_takes_an_unfocused_wheel(qtbot, demo_window):  # noqa: F811
    window = demo_window
    tried: dict[str, int] = {}
    for name in workspace_screens(window, qtbot):
        tried[name] = assert_wheel_changes_nothing(window.tabs.currentWidget(), name)
    for name, make in dialogs(window):
        dialog = make()
        dialog.show()
        qtbot.waitExposed(dialog)
        show_messages(dialog)
        tried[name] = assert_wheel_changes_nothing(dialog, name)
        dialog.done(QDialog.DialogCode.Rejected) if isinstance(dialog, QDialog) else dialog.close()
    # the fields a worker meets: the visit form's, the case filters, the meeting, the dialogs
    assert tried["ケース／訪問記録"] >= 4 and tried["担当ケース"] >= 3
    assert tried["会議の準備"] >= 3 and tried["設定"] >= 3 and tried["支援段階の変更"] >= 2
    assert tried["同意の記録"] >= 1 and tried["外出予定"] >= 1 and tried["チーム状況"] >= 2


def test_gate_dialogs_take_no_unfocused_wheel(qtbot, tmp_path, settings):  # noqa: F811
    window = make_window(qtbot, Session(tmp_path / "fresh", settings, kdf=FAST_KDF))
    for name, make in gate_dialogs(window):
        dialog = make()
        dialog.show()
        show_messages(dialog)
        assert_wheel_changes_nothing(dialog, name)
        dialog.done(QDialog.DialogCode.Rejected) if isinstance(dialog, QDialog) else dialog.close()


def test_the_wheel_over_a_field_scrolls_the_visit_form_instead(qtbot, demo_window):  # noqa: F811
    window = demo_window
    window.resize(1093, 560)  # a 1366×768 laptop at 125 %
    screens = workspace_screens(window, qtbot)
    while next(screens) != "ケース／訪問記録":
        pass
    view = window.tabs.currentWidget()
    form = view.form
    form.relationship_stage.setCurrentIndex(3)  # 継続的な関わり
    form.narrative.setFocus()
    qtbot.waitUntil(form.narrative.hasFocus)
    area = form.findChild(QWidget, "visitFormFieldsScroll")
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0, "the form is taller than the panel on this screen"
    bar.setValue(0)
    wheel(form.relationship_stage, -2)
    assert form.relationship_stage.currentIndex() == 3, "関係の段階 is unchanged"
    assert bar.value() > 0, "the form scrolled"
