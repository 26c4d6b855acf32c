"""How a failed sync or enrollment is told: :class:`SyncError` with its ``kind``, the Japanese
messages for the status bar (``MESSAGES``), and the error for a refusal by the server."""

from __future__ import annotations

import httpx
from pydantic import ValidationError

from outreach_desk.errors import OutreachDeskError

from .protocol import ErrorBody

MESSAGES = {
    "offline": "サーバーに接続できません（オフライン）",
    "timeout": "サーバーから応答がありません（オフライン）",
    "protocol": "サーバーとアプリのバージョンが合いません。アプリを更新してください",
    "server": "サーバーでエラーが起きました。しばらくしてから再試行します",
    "answer": "サーバーの応答を読み取れませんでした。しばらくしてから再試行します",
    "refused": "サーバーが同期を受け付けませんでした（{status}）",
    "url": "サーバーのアドレスが正しくありません",
    "older": "この端末のデータがサーバーの記録より古い状態です（バックアップから戻しましたか？）。"
             "管理者に連絡してください",
    "unenrolled": "この端末はサーバーに登録されていません。"
                  "管理者から登録コードを受け取ってください",
    "revoked": "この端末の登録は管理者により取り消されました。端末内のデータは消去されます",
    "denied": "サーバーがこの操作を許可しませんでした（利用者が無効か、権限がありません）",
    "busy": "サーバーへの要求が多すぎます。しばらくしてから再試行します",
    "code": "登録コードが正しくないか、期限切れか、使用済みです",
    "certificate": "サーバーの証明書を確認できませんでした。"
                   "設定のサーバー証明書（CA）を確認してください",
    "plain": "暗号化されていない http:// では同期できません。"
             "https:// のアドレスを使ってください",
}


class SyncError(OutreachDeskError):
    """A round failed. ``kind``: ``offline`` (no connection, timeout, cut), ``protocol`` (the
    server speaks another protocol version), ``server`` (5xx or an answer that makes no sense),
    ``refused`` (4xx), ``unenrolled`` (401: no credential the server knows), ``revoked`` (the
    server says this device was revoked and must wipe its store), ``denied`` (403 otherwise).
    ``message`` is Japanese, for the status bar; ``detail`` is English, for the log."""

    KINDS = ("offline", "protocol", "server", "refused", "unenrolled", "revoked", "denied")

    def __init__(self, kind: str, message: str, detail: str = ""):
        if kind not in self.KINDS:
            raise ValueError(f"unknown sync error kind {kind!r}")
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.detail = detail
        self.code = f"sync_{kind}"

    def __repr__(self) -> str:
        return f"SyncError({self.kind!r}, {self.message!r}, {self.detail!r})"


def error_for(what: str, response: httpx.Response) -> SyncError:
    """The :class:`SyncError` for a refusal by the server."""
    status = response.status_code
    detail = f"{what}: HTTP {status}: {_error_text(response)}"
    if status == 426:
        return SyncError("protocol", MESSAGES["protocol"], detail)
    if status == 401:
        return SyncError("unenrolled", MESSAGES["unenrolled"], detail)
    if status == 403:
        try:
            wipe = ErrorBody.model_validate_json(response.content).wipe
        except (ValidationError, ValueError):
            wipe = False
        return SyncError("revoked" if wipe else "denied",
                         MESSAGES["revoked" if wipe else "denied"], detail)
    if status == 429:
        return SyncError("offline", MESSAGES["busy"], detail)  # retried with back-off
    if 400 <= status < 500:
        return SyncError("refused", MESSAGES["refused"].format(status=status), detail)
    return SyncError("server", MESSAGES["server"], detail)


def _error_text(response: httpx.Response) -> str:
    try:
        return ErrorBody.model_validate_json(response.content).message[:200]
    except (ValidationError, ValueError):
        return response.text[:200]
