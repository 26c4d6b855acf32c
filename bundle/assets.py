"""Files the frozen build makes before bundling: compiled translations and platform icons.

    python -m bundle.assets OUT_DIR

writes ``OUT_DIR/translations/*.qm`` (every ``resources/translations/*.ts``, compiled with Qt's
lrelease) and ``OUT_DIR/icons/outreach-desk.{png,ico}`` (and ``.icns`` where Qt can write it, on
macOS) rendered from the SVG icon. ``build.spec`` runs it, so ``pyinstaller build.spec`` alone
builds a complete app. Not part of the app itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"


def compile_translations(out: Path) -> list[Path]:
    """Compile every .ts to .qm with the lrelease that ships inside PySide6."""
    import PySide6

    tool = Path(PySide6.__file__).parent / ("lrelease.exe" if os.name == "nt" else "lrelease")
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for ts in sorted((RESOURCES / "translations").glob("*.ts")):
        qm = out / ts.with_suffix(".qm").name
        subprocess.run([str(tool), "-silent", str(ts), "-qm", str(qm)], check=True)
        made.append(qm)
    return made


def render_icons(out: Path) -> list[Path]:
    """The SVG icon as 256 px PNG, .ico (Windows) and .icns (macOS, where Qt writes it)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841
    renderer = QSvgRenderer(str(RESOURCES / "icons" / "outreach-desk.svg"))
    if not renderer.isValid():
        raise RuntimeError("the SVG icon could not be read")
    out.mkdir(parents=True, exist_ok=True)

    def image(size: int) -> QImage:
        picture = QImage(size, size, QImage.Format.Format_ARGB32)
        picture.fill(Qt.GlobalColor.transparent)
        painter = QPainter(picture)
        renderer.render(painter)
        painter.end()
        return picture

    made = []
    png = out / "outreach-desk.png"
    if not image(256).save(str(png), "PNG"):
        raise RuntimeError("could not write the PNG icon")
    made.append(png)
    formats = {bytes(f).decode() for f in QImageWriter.supportedImageFormats()}
    for suffix in ("ico", "icns"):
        if suffix not in formats:
            continue
        target = out / f"outreach-desk.{suffix}"
        writer = QImageWriter(str(target), suffix.encode())
        if not writer.write(image(256)):
            raise RuntimeError(f"could not write the {suffix} icon: {writer.errorString()}")
        made.append(target)
    return made


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "build" / "assets"
    for path in compile_translations(out / "translations") + render_icons(out / "icons"):
        print(f"[assets] {path.relative_to(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
