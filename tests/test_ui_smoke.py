import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from ui import app as ui_app
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def window(qtbot, tmp_path):
    win = MainWindow(tmp_path / "data")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def label_text(win, name):
    return win.findChild(QLabel, name).text()


def test_title_and_japanese_text(window):
    assert window.windowTitle() == "Outreach Desk"
    assert "アウトリーチ支援記録" in label_text(window, "headingLabel")
    assert "データ基盤の準備ができています" in label_text(window, "statusLabel")


def test_data_dir_from_command_line(qtbot, tmp_path):
    args, _ = ui_app.parse_args(["--data-dir", str(tmp_path / "records")])
    win = MainWindow(args.data_dir)
    qtbot.addWidget(win)
    assert str(tmp_path / "records") in label_text(win, "dataDirLabel")
    assert not (tmp_path / "records").exists(), "the placeholder window must not create a store"


def test_quit_action_closes_window(window, qtbot):
    window.quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_english_translation(qtbot, tmp_path):
    if not (ui_app.I18N_DIR / "outreach_desk_en.qm").exists():
        pytest.skip("outreach_desk_en.qm not built (dev.py compiles it)")
    app = QCoreApplication.instance()
    translators = ui_app.install_translators(app, "en")
    try:
        assert QCoreApplication.translate("MainWindow", "ファイル(&F)") == "&File"
        win = MainWindow(tmp_path)
        qtbot.addWidget(win)
        assert "data foundation is ready" in label_text(win, "statusLabel")
    finally:
        for translator in translators:
            app.removeTranslator(translator)


def test_launcher_imports_no_qt():
    code = "import ui.launcher, sys; assert not any(m.startswith('PySide6') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_excepthook_shows_japanese_dialog_with_reference(qapp, monkeypatch, caplog):
    shown = []
    monkeypatch.setattr(ui_app.QMessageBox, "critical", lambda *args: shown.append(args))
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        ui_app._excepthook(type(exc), exc, exc.__traceback__)
    ((_, title, text),) = shown
    assert "予期しないエラーが発生しました" in text
    ref = text.rsplit(" ", 1)[-1]
    assert len(ref) == 8 and ref in caplog.text
