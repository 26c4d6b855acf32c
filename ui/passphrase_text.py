"""Japanese words for the passphrase rule (:mod:`outreach_desk.passphrase_rule`) and for the
failures of opening a store, shared by the first-run page, the unlock page, the passphrase
change and the session."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from outreach_desk import passphrase_rule as rule
from outreach_desk.errors import is_disk_full


def reason_text(reason: str | None, length: int = 0) -> str:
    """Why the rule refuses a passphrase, as one Japanese sentence ("" when it accepts it)."""
    if reason is None:
        return ""
    if reason == rule.TOO_SHORT and not length:
        return QCoreApplication.translate(
            "PassphraseText", "パスフレーズは{n}文字以上にしてください。").format(n=rule.MIN_LENGTH)
    if reason == rule.TOO_SHORT:
        return QCoreApplication.translate(
            "PassphraseText", "パスフレーズは{n}文字以上にしてください（いま{count}文字）。"
        ).format(n=rule.MIN_LENGTH, count=length)
    if reason == rule.FEW_CHARACTERS:
        return QCoreApplication.translate(
            "PassphraseText", "使っている文字の種類が少なすぎます。{n}種類以上の文字を使って"
            "ください。").format(n=rule.MIN_DISTINCT)
    texts = {
        rule.REPEAT: QCoreApplication.translate(
            "PassphraseText", "同じ文字や言葉の繰り返しは推測されやすいため使えません。"),
        rule.SEQUENCE: QCoreApplication.translate(
            "PassphraseText", "「abc」「6543」のような並びは推測されやすいため使えません。"),
        rule.KEYBOARD: QCoreApplication.translate(
            "PassphraseText", "キーボードで隣り合うキーの並び（qwerty など）は推測されやすい"
            "ため使えません。"),
        rule.COMMON: QCoreApplication.translate(
            "PassphraseText", "よく使われるパスワード（またはそれに近いもの）のため使えません。"),
        rule.WORD: QCoreApplication.translate(
            "PassphraseText", "一つの単語だけでは推測されやすいため使えません。言葉をいくつか"
            "つなげてください。"),
        rule.NAME: QCoreApplication.translate(
            "PassphraseText", "人の名前だけでは推測されやすいため使えません。"),
        rule.PERSONAL: QCoreApplication.translate(
            "PassphraseText", "あなたの名前や担当チームの名前は推測されやすいため使えません。"),
        rule.DATE: QCoreApplication.translate(
            "PassphraseText", "日付や年は推測されやすいため使えません。"),
    }
    return texts.get(reason) or QCoreApplication.translate(
        "PassphraseText", "推測されやすいパスフレーズのため使えません。覚えやすい言葉をいくつか"
        "つなげてください。")


def open_failure_text(exc: BaseException) -> str | None:
    """The Japanese message for a store that could not be made or opened, or None when the
    failure is not one of these (a wrong passphrase is the caller's: it counts tries)."""
    code = getattr(exc, "code", "")
    if is_disk_full(exc):
        return QCoreApplication.translate(
            "PassphraseText", "ディスクの空き容量が足りないため、書き込めませんでした。これまでの"
            "記録は失われていません。不要なファイルを削除してから、もう一度お試しください。")
    if code == "kdf_cost_refused":
        return QCoreApplication.translate(
            "PassphraseText", "鍵ファイル（outreach-desk.key）の設定が、このアプリで扱える範囲を"
            "超えています。書き換えられたか壊れているため、開く前に止めました。バックアップから"
            "復元してください。")
    if code == "key_file_damaged":
        return QCoreApplication.translate(
            "PassphraseText", "鍵ファイル（outreach-desk.key）が壊れているため、記録を開けません"
            "（パスフレーズの誤りではありません）。バックアップから復元してください。")
    if code == "store_corrupt":
        return QCoreApplication.translate(
            "PassphraseText", "記録のファイルが壊れているため、開けません。バックアップから"
            "復元するか、サーバーから同期し直してください。")
    if code == "store_too_new":
        return QCoreApplication.translate(
            "PassphraseText", "この記録は新しい版の Outreach Desk で作られています。アプリを"
            "更新してください。")
    if code == "weak_passphrase":
        return reason_text(getattr(exc, "reason", rule.GUESSABLE))
    return None


__all__ = ["open_failure_text", "reason_text"]
