"""The meeting material (会議資料) as an A4 PDF: Qt's own PDF writer, a Japanese font embedded.

Printing only: the content (and what is left out) comes from ``outreach_desk.material`` and its
pages from ``outreach_desk.material_html`` (Japanese official paper, like the monthly report). A
cover page names the meeting, the attending agencies and the legal basis; then one page per case
(a long case continues on the next page). Every page carries the marking 取扱注意／Confidential
with the meeting kind and date at the top, and the basis and the page number at the bottom.
The material is official paper, so it is in Japanese whatever the interface language.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from outreach_desk.material import MeetingMaterial
from outreach_desk.material_html import material_pages
from ui.report_view import japanese_font

RESOLUTION = 150
HEADER_MM = 14
FOOTER_MM = 10


def material_pdf(material: MeetingMaterial) -> bytes:
    """The material as PDF bytes (safe to call off the GUI thread: no widget is involved)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 12, 15, 12), QPageLayout.Unit.Millimeter))
    writer.setResolution(RESOLUTION)
    writer.setTitle(material.document_title)
    writer.setCreator("Outreach Desk")
    page = writer.pageLayout().paintRectPixels(RESOLUTION)
    mm = RESOLUTION / 25.4
    header, footer = HEADER_MM * mm, FOOTER_MM * mm
    body = QSizeF(page.width(), page.height() - header - footer)
    painter = QPainter(writer)
    mark_font = japanese_font(9)
    mark_font.setBold(True)
    small = japanese_font(8)
    pages = material_pages(material)
    number, first = 0, True
    try:
        for text in pages:
            doc = QTextDocument()
            doc.documentLayout().setPaintDevice(writer)
            doc.setDefaultFont(japanese_font(9.5))
            doc.setPageSize(body)
            doc.setHtml(text)
            for index in range(doc.pageCount()):
                if not first:
                    writer.newPage()
                first = False
                number += 1
                painter.setFont(mark_font)
                painter.drawText(QRectF(0, 0, body.width(), header * 0.8),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 material.marking)
                painter.drawLine(0, int(header * 0.85), int(body.width()), int(header * 0.85))
                painter.setFont(small)
                painter.drawText(QRectF(0, page.height() - footer, body.width(), footer),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 material.basis_text)
                painter.drawText(QRectF(0, page.height() - footer, body.width(), footer),
                                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                 f"{number}")
                painter.save()
                painter.translate(0, header - index * body.height())
                doc.drawContents(painter, QRectF(0, index * body.height(), body.width(),
                                                 body.height()))
                painter.restore()
    finally:
        painter.end()
    del writer
    buffer.close()
    return bytes(data.data())


__all__ = ["material_pdf"]
