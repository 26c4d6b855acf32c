"""How dates and the core's vocabularies are shown: the Japanese way by default.

Dates read ``2026年11月23日(月) 14:05``; in English ``Mon 2026-11-23 14:05``. Vocabulary labels
(支援段階, 種別, 同意状況 …) are the core's Japanese labels passed through Qt's translator in the
``Vocab`` context, so the English .ts file translates them like any other string.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from outreach_desk.vocab import DISTRICTS, LABELS_JA, Vocab, met_with_set

# Every vocabulary label, listed literally so that pyside6-lupdate extracts it.
VOCAB_LABELS = (
    QT_TRANSLATE_NOOP("Vocab", "把握"),
    QT_TRANSLATE_NOOP("Vocab", "関係づくり"),
    QT_TRANSLATE_NOOP("Vocab", "アセスメント"),
    QT_TRANSLATE_NOOP("Vocab", "プラン作成"),
    QT_TRANSLATE_NOOP("Vocab", "支援実施・モニタリング"),
    QT_TRANSLATE_NOOP("Vocab", "終結"),
    QT_TRANSLATE_NOOP("Vocab", "中断"),
    QT_TRANSLATE_NOOP("Vocab", "民生委員"),
    QT_TRANSLATE_NOOP("Vocab", "地域包括支援センター"),
    QT_TRANSLATE_NOOP("Vocab", "近隣住民"),
    QT_TRANSLATE_NOOP("Vocab", "ライフライン事業者"),
    QT_TRANSLATE_NOOP("Vocab", "通いの場"),
    QT_TRANSLATE_NOOP("Vocab", "会議"),
    QT_TRANSLATE_NOOP("Vocab", "SNS"),
    QT_TRANSLATE_NOOP("Vocab", "全戸訪問"),
    QT_TRANSLATE_NOOP("Vocab", "本人・家族"),
    QT_TRANSLATE_NOOP("Vocab", "医療機関"),
    QT_TRANSLATE_NOOP("Vocab", "学校"),
    QT_TRANSLATE_NOOP("Vocab", "行政の窓口"),
    QT_TRANSLATE_NOOP("Vocab", "その他"),
    QT_TRANSLATE_NOOP("Vocab", "家庭訪問"),
    QT_TRANSLATE_NOOP("Vocab", "同行支援"),
    QT_TRANSLATE_NOOP("Vocab", "電話"),
    QT_TRANSLATE_NOOP("Vocab", "手紙・置き手紙"),
    QT_TRANSLATE_NOOP("Vocab", "来所"),
    QT_TRANSLATE_NOOP("Vocab", "関係機関との連絡"),
    QT_TRANSLATE_NOOP("Vocab", "本人"),
    QT_TRANSLATE_NOOP("Vocab", "家族"),
    QT_TRANSLATE_NOOP("Vocab", "親族"),
    QT_TRANSLATE_NOOP("Vocab", "近隣の人"),
    QT_TRANSLATE_NOOP("Vocab", "関係機関"),
    QT_TRANSLATE_NOOP("Vocab", "会えず"),
    QT_TRANSLATE_NOOP("Vocab", "未接触"),
    QT_TRANSLATE_NOOP("Vocab", "家族と接触"),
    QT_TRANSLATE_NOOP("Vocab", "本人と対面"),
    QT_TRANSLATE_NOOP("Vocab", "継続的な関わり"),
    QT_TRANSLATE_NOOP("Vocab", "支援につながった"),
    QT_TRANSLATE_NOOP("Vocab", "同意"),
    QT_TRANSLATE_NOOP("Vocab", "撤回"),
    QT_TRANSLATE_NOOP("Vocab", "口頭"),
    QT_TRANSLATE_NOOP("Vocab", "書面"),
    QT_TRANSLATE_NOOP("Vocab", "同意あり"),
    QT_TRANSLATE_NOOP("Vocab", "同意なし"),
    QT_TRANSLATE_NOOP("Vocab", "一部同意"),
    QT_TRANSLATE_NOOP("Vocab", "重層的支援会議"),
    QT_TRANSLATE_NOOP("Vocab", "支援会議"),
    QT_TRANSLATE_NOOP("Vocab", "定例会議"),
    QT_TRANSLATE_NOOP("Vocab", "支援員"),
    QT_TRANSLATE_NOOP("Vocab", "スーパーバイザー"),
    QT_TRANSLATE_NOOP("Vocab", "管理者"),
    QT_TRANSLATE_NOOP("Vocab", "本人同意"),
    QT_TRANSLATE_NOOP("Vocab", "支援会議（法106条の6）"),
    QT_TRANSLATE_NOOP("Vocab", "緊急"),
)



def label(value: Vocab | None) -> str:
    """The worker-facing label of a vocabulary value, in the UI language."""
    if value is None:
        return ""
    return QCoreApplication.translate("Vocab", LABELS_JA[value])


def met_with_text(value: object) -> str:
    """会えた人 as shown: the labels of the set, joined (a visit of the old shape holds one)."""
    separator = QCoreApplication.translate("Dates", "・")  # ", " in English
    return separator.join(label(member) for member in met_with_set(value))


def follow_up_text(value: object) -> str:
    """A case's next action (its ``follow_up`` register value) as one line."""
    if not isinstance(value, dict) or not value.get("action"):
        return QCoreApplication.translate("Dates", "（次回の予定なし）")
    text = str(value["action"])
    if value.get("due"):
        text = QCoreApplication.translate("Dates", "{action}（期限: {due}）").format(
            action=text, due=format_date(value["due"]))
    if value.get("done_on"):
        text = QCoreApplication.translate("Dates", "{action}【{day}に完了】").format(
            action=text, day=format_date(value["done_on"]))
    return text


_weekdays: dict[str, tuple[str, ...]] = {}  # per UI language: translated once, not per date


def _weekday(day: date) -> str:
    names = _weekdays.get(_language[0])
    if names is None:
        names = _weekdays[_language[0]] = (
            QCoreApplication.translate("Dates", "月"), QCoreApplication.translate("Dates", "火"),
            QCoreApplication.translate("Dates", "水"), QCoreApplication.translate("Dates", "木"),
            QCoreApplication.translate("Dates", "金"), QCoreApplication.translate("Dates", "土"),
            QCoreApplication.translate("Dates", "日"),
        )
    return names[day.weekday()]


def date_edit_format(with_time: bool = False) -> str:
    """The display format of every date field (QDateEdit), the same as ``format_date``:
    2026年12月8日(火) — the field's locale gives the weekday (see ``ui.app``)."""
    if with_time:
        return QCoreApplication.translate("Dates", "yyyy年M月d日(ddd) HH:mm")
    return QCoreApplication.translate("Dates", "yyyy年M月d日(ddd)")


def _parse(value: date | datetime | str | None) -> date | datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, (date, datetime)):
        return value
    if "T" in value or " " in value:
        return datetime.fromisoformat(value)
    return date.fromisoformat(value)


def format_date(value: date | datetime | str | None) -> str:
    """2026年11月23日(月)"""
    parsed = _parse(value)
    if parsed is None:
        return ""
    day = parsed.date() if isinstance(parsed, datetime) else parsed
    return QCoreApplication.translate("Dates", "{y}年{m}月{d}日({w})").format(
        y=day.year, m=f"{day.month:02d}" if _english() else day.month,
        d=f"{day.day:02d}" if _english() else day.day, w=_weekday(day),
    )


def format_month_day(value: date | datetime | str | None) -> str:
    """11月3日 (a week's start on a chart axis)"""
    parsed = _parse(value)
    if parsed is None:
        return ""
    if _english():
        return f"{parsed.month:02d}-{parsed.day:02d}"
    return QCoreApplication.translate("Dates", "{m}月{d}日").format(m=parsed.month, d=parsed.day)


def format_month(value: date | datetime | str | None) -> str:
    """11月 (a chart's month mark)"""
    parsed = _parse(value)
    if parsed is None:
        return ""
    if _english():
        return QLocale(QLocale.Language.English).monthName(parsed.month,
                                                           QLocale.FormatType.ShortFormat)
    return QCoreApplication.translate("Dates", "{m}月").format(m=parsed.month)


_language = ["ja"]


def set_language(code: str) -> None:
    """Called when the translators are installed: English dates are written 2026-11-23."""
    _language[0] = code
    _weekdays.pop(code, None)  # translated again with the translators now installed


def _english() -> bool:
    return _language[0] == "en"


def format_datetime(value: datetime | str | None) -> str:
    """2026年11月23日(月) 14:05 — in the time zone the visit was written in."""
    parsed = _parse(value)
    if parsed is None:
        return ""
    if not isinstance(parsed, datetime):
        return format_date(parsed)
    return f"{format_date(parsed)} {parsed:%H:%M}"


__all__ = ["DISTRICTS", "VOCAB_LABELS", "date_edit_format", "format_date", "format_datetime",
           "format_month",
           "format_month_day",
           "label",
           "set_language"]
