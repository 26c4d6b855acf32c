<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="ja">
<context>
    <name></name>
    <message>
        <location filename="../../ui/comments.py" line="45"/>
        <source>訪問記録</source>
        <translation>Visit</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="46"/>
        <source>訪問記録（{day}）</source>
        <translation>Visit ({day})</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="48"/>
        <source>関係づくりメモ</source>
        <translation>Relationship note</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="49"/>
        <source>支援プラン</source>
        <translation>Support plan</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../ui/about_dialog.py" line="45"/>
        <source>Outreach Desk について</source>
        <translation>About Outreach Desk</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="52"/>
        <source>未設定</source>
        <translation>Not set</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="54"/>
        <source>バージョン</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="55"/>
        <source>データフォルダ</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="56"/>
        <source>同期サーバー</source>
        <translation>Sync server</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="57"/>
        <source>ログフォルダ</source>
        <translation>Log folder</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="59"/>
        <source>暗号化</source>
        <translation>Encryption</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="79"/>
        <source>Outreach Desk {version}</source>
        <translation>Outreach Desk {version}</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="81"/>
        <source>アウトリーチ支援員のための、オフラインで使える支援記録アプリです。記録はこの端末に暗号化して保存されます。</source>
        <translation>An offline-first record app for outreach workers. Records are kept encrypted on this computer.</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="84"/>
        <source>同梱しているソフトウェアとライセンス</source>
        <translation>Bundled software and licences</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="86"/>
        <source>Qt for Python (PySide6) は LGPL-3.0 に基づき、差し替え可能な共有ライブラリとして同梱しています。各ソフトウェアの配布元は一覧から確認できます。</source>
        <translation>Qt for Python (PySide6) is included under the LGPL-3.0 as replaceable shared libraries. Where each component comes from is shown in the list.</translation>
    </message>
    <message>
        <location filename="../../ui/about_dialog.py" line="111"/>
        <source>（このパッケージはライセンス文を同梱していません。上記のライセンス名と配布元を参照してください。）</source>
        <translation>(This package ships no licence text. See the licence name and the project address above.)</translation>
    </message>
</context>
<context>
    <name>CaseCommentsTab</name>
    <message>
        <location filename="../../ui/comments.py" line="156"/>
        <source>このケースへのコメント</source>
        <translation>Comments on this case</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="158"/>
        <source>このケースへのコメントはまだありません。</source>
        <translation>No comments on this case yet.</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="159"/>
        <source>既読にする(&amp;R)</source>
        <translation>Mark as &amp;read</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="174"/>
        <source>例: 本人の言葉をそのまま書けていて良いです</source>
        <translation>e.g. Good: the person&apos;s own words are written down as said</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="175"/>
        <source>コメントを書く</source>
        <translation>Write comment</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="186"/>
        <source>対象(&amp;T)</source>
        <translation>On (&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="224"/>
        <source>訪問記録 {when}</source>
        <translation>Visit {when}</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="227"/>
        <source>関係づくりメモ: {text}</source>
        <translation>Relationship note: {text}</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="231"/>
        <source>支援プラン: {goal}</source>
        <translation>Support plan: {goal}</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="245"/>
        <source>未読</source>
        <translation>Unread</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="245"/>
        <source>既読 {when}</source>
        <translation>Read {when}</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="247"/>
        <source>［{state}］{when}&#x3000;{writer} → {target}
{text}</source>
        <translation>[{state}] {when}  {writer} → {target}
{text}</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="292"/>
        <source>コメントを入力してください（2000文字まで）。</source>
        <translation>Enter a comment (up to 2000 characters).</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="295"/>
        <source>コメントを書けるのはスーパーバイザーだけです。</source>
        <translation>Only a supervisor can write comments.</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="299"/>
        <source>保存できませんでした。もう一度お試しください。</source>
        <translation>Could not save. Please try again.</translation>
    </message>
</context>
<context>
    <name>CaseListModel</name>
    <message>
        <location filename="../../ui/dashboard.py" line="70"/>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="70"/>
        <source>地区</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="70"/>
        <source>支援段階</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="70"/>
        <source>担当</source>
        <translation>Worker</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="71"/>
        <source>最終訪問</source>
        <translation>Last visit</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="83"/>
        <source>未割当</source>
        <translation>Unassigned</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="83"/>
        <source>（なし）</source>
        <translation>(none)</translation>
    </message>
</context>
<context>
    <name>CaseView</name>
    <message>
        <location filename="../../ui/case_view.py" line="112"/>
        <source>訪問を記録</source>
        <translation>Record a visit</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="118"/>
        <source>訪問を記録 (Ctrl+N)</source>
        <translation>Record a visit (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="121"/>
        <source>同意・撤回を記録…</source>
        <translation>Record consent or withdrawal…</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="124"/>
        <source>支援段階を変更…</source>
        <translation>Change support stage…</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="152"/>
        <source>選んだ記録を訂正 (F2)</source>
        <translation>Correct the selected record (F2)</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="175"/>
        <source>訪問記録</source>
        <translation>Visits</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="176"/>
        <source>関係づくりメモ</source>
        <translation>Relationship notes</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="177"/>
        <source>同意</source>
        <translation>Consent</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="178"/>
        <source>支援プラン</source>
        <translation>Support plans</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="179"/>
        <source>会議</source>
        <translation>Meetings</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="180"/>
        <source>世帯</source>
        <translation>Household</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="181"/>
        <source>支援段階</source>
        <translation>Support stage</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="182"/>
        <source>経過</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="183"/>
        <location filename="../../ui/case_view.py" line="187"/>
        <source>コメント</source>
        <translation>Comments</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="187"/>
        <source>コメント（未読 {n}）</source>
        <translation>Comments ({n} unread)</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="217"/>
        <location filename="../../ui/case_view.py" line="280"/>
        <source>ケース</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="239"/>
        <source>訪問・連絡 {count} 件（新しい順）</source>
        <translation>{count} visits and contacts (newest first)</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="270"/>
        <source>このケースは見つかりません</source>
        <translation>This case cannot be found</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="271"/>
        <source>削除されたか、同期で取り消された可能性があります。</source>
        <translation>It may have been deleted, or undone by a sync.</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="285"/>
        <source>{year}年生まれ</source>
        <translation>born {year}</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="288"/>
        <source>{district}地区</source>
        <translation>{district} district</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="289"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="291"/>
        <source>世帯: {name}（{count}人）</source>
        <translation>Household: {name} ({count} people)</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="294"/>
        <source>世帯: 未登録</source>
        <translation>Household: not registered</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="296"/>
        <source>支援段階: {stage}（{since}から）</source>
        <translation>Support stage: {stage} (since {since})</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="299"/>
        <source>関係の段階: {stage}</source>
        <translation>Relationship: {stage}</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="370"/>
        <source>入力中の記録があります。保存するか、破棄してから次の記録を開いてください。</source>
        <translation>A record is being written. Save or discard it before opening another.</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="412"/>
        <source>訂正する記録を一覧から選んでください。</source>
        <translation>Select the record to correct in the list.</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="421"/>
        <source>入力中の内容を下書きとして残しました。</source>
        <translation>What you typed was kept as a draft.</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="433"/>
        <source>下書きの破棄</source>
        <translation>Discard draft</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="430"/>
        <source>入力中の内容を破棄しました。</source>
        <translation>What you typed was discarded.</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="434"/>
        <source>入力中の内容と下書きを破棄します。元に戻せません。よろしいですか？</source>
        <translation>Discard what you typed and its draft? This cannot be undone.</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="437"/>
        <source>破棄する</source>
        <translation>Discard</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="439"/>
        <source>入力に戻る</source>
        <translation>Back to the form</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="459"/>
        <source>訂正を保存しました。</source>
        <translation>Correction saved.</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="460"/>
        <source>訪問記録を保存しました。</source>
        <translation>Visit saved.</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="404"/>
        <location filename="../../ui/case_view.py" line="491"/>
        <source>下書きを復元しました。保存するまで記録にはなりません。</source>
        <translation>Draft restored. It is not a record until you save it.</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="543"/>
        <source>同意の記録を保存しました。</source>
        <translation>Consent record saved.</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="553"/>
        <source>支援段階を変更しました。</source>
        <translation>Support stage changed.</translation>
    </message>
</context>
<context>
    <name>CaseloadModel</name>
    <message>
        <location filename="../../ui/caseload_model.py" line="234"/>
        <source>前回の訪問と比べた関係の段階（↗ 進んだ / → 同じ / ↘ 後退）</source>
        <translation>Relationship stage compared with the previous visit (↗ further / → same / ↘ back)</translation>
    </message>
    <message>
        <location filename="../../ui/caseload_model.py" line="241"/>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/caseload_model.py" line="242"/>
        <source>地区</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../ui/caseload_model.py" line="243"/>
        <source>支援段階</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location filename="../../ui/caseload_model.py" line="244"/>
        <source>同意</source>
        <translation>Consent</translation>
    </message>
    <message>
        <location filename="../../ui/caseload_model.py" line="245"/>
        <source>最終接触</source>
        <translation>Last contact</translation>
    </message>
    <message>
        <location filename="../../ui/caseload_model.py" line="246"/>
        <source>次回予定</source>
        <translation>Next action</translation>
    </message>
    <message>
        <location filename="../../ui/caseload_model.py" line="247"/>
        <source>関係の変化</source>
        <translation>Relationship trend</translation>
    </message>
    <message>
        <location filename="../../ui/caseload_model.py" line="311"/>
        <source>期限切れ（{date}）</source>
        <translation>Overdue ({date})</translation>
    </message>
    <message>
        <location filename="../../ui/caseload_model.py" line="314"/>
        <source>期限 {date}</source>
        <translation>Due {date}</translation>
    </message>
    <message>
        <location filename="../../ui/caseload_model.py" line="321"/>
        <source>未解決の競合があります。「競合」の画面で確認してください。</source>
        <translation>There is an unresolved conflict. Review it on the Conflicts screen.</translation>
    </message>
    <message>
        <location filename="../../ui/caseload_model.py" line="325"/>
        <location filename="../../ui/caseload_model.py" line="328"/>
        <source>ふりがな: {kana}</source>
        <translation>Reading: {kana}</translation>
    </message>
    <message>
        <location filename="../../ui/caseload_model.py" line="331"/>
        <source>{stage}（{date} から）</source>
        <translation>{stage} (since {date})</translation>
    </message>
    <message>
        <location filename="../../ui/caseload_model.py" line="334"/>
        <source>同意の記録が食い違っています。ケース画面で確認してください。</source>
        <translation>The consent records disagree. Please check on the case screen.</translation>
    </message>
    <message>
        <location filename="../../ui/caseload_model.py" line="343"/>
        <source>前回: {prev} → 今回: {now}</source>
        <translation>Previous: {prev} → latest: {now}</translation>
    </message>
    <message>
        <location filename="../../ui/caseload_model.py" line="352"/>
        <source>（競合あり）</source>
        <translation>(conflict)</translation>
    </message>
    <message>
        <location filename="../../ui/caseload_model.py" line="355"/>
        <source>{status}（要確認）</source>
        <translation>{status} (check)</translation>
    </message>
</context>
<context>
    <name>CaseloadView</name>
    <message>
        <location filename="../../ui/caseload.py" line="103"/>
        <source>氏名・ふりがな・記録の本文で検索 (Ctrl+F)</source>
        <translation>Search names, readings and record text (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/caseload.py" line="104"/>
        <source>ケースを検索</source>
        <translation>Search cases</translation>
    </message>
    <message>
        <location filename="../../ui/caseload.py" line="114"/>
        <source>地区で絞り込む</source>
        <translation>Filter by district</translation>
    </message>
    <message>
        <location filename="../../ui/caseload.py" line="118"/>
        <source>支援段階で絞り込む</source>
        <translation>Filter by stage</translation>
    </message>
    <message>
        <location filename="../../ui/caseload.py" line="120"/>
        <source>すべての段階</source>
        <translation>All stages</translation>
    </message>
    <message>
        <location filename="../../ui/caseload.py" line="121"/>
        <source>終結・中断を含む</source>
        <translation>Including closed and suspended</translation>
    </message>
    <message>
        <location filename="../../ui/caseload.py" line="126"/>
        <source>同意状況で絞り込む</source>
        <translation>Filter by consent</translation>
    </message>
    <message>
        <location filename="../../ui/caseload.py" line="127"/>
        <source>すべての同意状況</source>
        <translation>Any consent status</translation>
    </message>
    <message>
        <location filename="../../ui/caseload.py" line="131"/>
        <source>要確認（同意の記録が食い違う）</source>
        <translation>Check (consent records disagree)</translation>
    </message>
    <message>
        <location filename="../../ui/caseload.py" line="132"/>
        <source>期限切れのみ</source>
        <translation>Overdue only</translation>
    </message>
    <message>
        <location filename="../../ui/caseload.py" line="140"/>
        <source>担当ケース一覧</source>
        <translation>My cases</translation>
    </message>
    <message>
        <location filename="../../ui/caseload.py" line="283"/>
        <source>すべての地区</source>
        <translation>All districts</translation>
    </message>
    <message>
        <location filename="../../ui/caseload.py" line="351"/>
        <source>一覧を読み込めませんでした。ロックしてから開き直してください。</source>
        <translation>The list could not be loaded. Please lock and unlock again.</translation>
    </message>
    <message>
        <location filename="../../ui/caseload.py" line="353"/>
        <source>読み込み中…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../ui/caseload.py" line="355"/>
        <source>{n} 件（全 {total} 件中）</source>
        <translation>{n} of {total} cases</translation>
    </message>
    <message>
        <location filename="../../ui/caseload.py" line="357"/>
        <source>{n} 件</source>
        <translation>{n} cases</translation>
    </message>
    <message>
        <location filename="../../ui/caseload.py" line="359"/>
        <source>・記録の本文も検索しています…</source>
        <translation> · also searching record text…</translation>
    </message>
    <message>
        <location filename="../../ui/caseload.py" line="361"/>
        <source>・記録のファイルの一部（検索用の索引）が壊れているため、本文を検索できません。バックアップから復元してください。</source>
        <translation> · part of the records file (the search index) is damaged, so the text of records cannot be searched. Please restore from a backup.</translation>
    </message>
</context>
<context>
    <name>ChangePassphraseDialog</name>
    <message>
        <location filename="../../ui/passphrase_dialog.py" line="29"/>
        <source>パスフレーズの変更</source>
        <translation>Change passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_dialog.py" line="51"/>
        <source>いまのパスフレーズ(&amp;O)</source>
        <translation>Current passphrase (&amp;O)</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_dialog.py" line="53"/>
        <source>新しいパスフレーズ(&amp;N)</source>
        <translation>&amp;New passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_dialog.py" line="55"/>
        <source>{n}文字以上。推測されやすいもの（同じ文字の繰り返し、よく使われるパスワード、名前だけ）は使えません。</source>
        <translation>At least {n} characters. Easy-to-guess ones (repeated characters, common passwords, names on their own) are not accepted.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_dialog.py" line="58"/>
        <source>もう一度入力(&amp;C)</source>
        <translation>&amp;Confirm</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_dialog.py" line="67"/>
        <source>記録そのものは変わりません。次からは新しいパスフレーズで開きます。以前に作成したバックアップは、作成したときのパスフレーズで開きます。</source>
        <translation>The records themselves do not change. From now on they open with the new passphrase. Backups made earlier open with the passphrase in use when they were made.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_dialog.py" line="72"/>
        <source>変更する</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_dialog.py" line="89"/>
        <source>いまのパスフレーズを入力してください。</source>
        <translation>Please enter the current passphrase.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_dialog.py" line="92"/>
        <source>新しいパスフレーズを入力してください。</source>
        <translation>Please enter the new passphrase.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_dialog.py" line="98"/>
        <source>いまのパスフレーズと同じです。</source>
        <translation>This is the same as the current passphrase.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_dialog.py" line="100"/>
        <source>確認のため、新しいパスフレーズをもう一度入力してください。</source>
        <translation>Please enter the new passphrase again to confirm it.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_dialog.py" line="102"/>
        <source>確認用のパスフレーズが一致しません。</source>
        <translation>The confirmation does not match the passphrase.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_dialog.py" line="111"/>
        <source>まだ変更できません: {reason}</source>
        <translation>Cannot change yet: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_dialog.py" line="140"/>
        <source>いまのパスフレーズが違います。</source>
        <translation>The current passphrase is not correct.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_dialog.py" line="148"/>
        <source>パスフレーズを変更できませんでした。いまのパスフレーズのままです。</source>
        <translation>The passphrase could not be changed. The current passphrase still applies.</translation>
    </message>
</context>
<context>
    <name>CommentListModel</name>
    <message>
        <location filename="../../ui/comments.py" line="56"/>
        <source>日時</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="56"/>
        <source>ケース</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="56"/>
        <source>対象</source>
        <translation>On</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="56"/>
        <source>コメント</source>
        <translation>Comments</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="57"/>
        <source>記入者</source>
        <translation>Written by</translation>
    </message>
</context>
<context>
    <name>CommentsView</name>
    <message>
        <location filename="../../ui/comments.py" line="89"/>
        <source>既読にする(&amp;R)</source>
        <translation>Mark as &amp;read</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="99"/>
        <source>担当ケースの訪問記録・メモ・支援プランに、スーパーバイザーが書いたコメントです。行をダブルクリック（または Enter）するとケースを開きます。</source>
        <translation>Comments a supervisor wrote on the visits, notes and support plans of your cases. Double-click a row (or press Enter) to open the case.</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="119"/>
        <source>未読のコメント {n} 件（新しい順）</source>
        <translation>{n} unread comments (newest first)</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="120"/>
        <source>未読のコメントはありません。</source>
        <translation>No unread comments.</translation>
    </message>
    <message>
        <location filename="../../ui/comments.py" line="129"/>
        <source>既読にするコメントを一覧から選んでください。</source>
        <translation>Select the comment to mark as read.</translation>
    </message>
</context>
<context>
    <name>CompanionCombo</name>
    <message>
        <location filename="../../ui/visit_fields.py" line="89"/>
        <source>なし</source>
        <translation>None</translation>
    </message>
    <message>
        <location filename="../../ui/visit_fields.py" line="93"/>
        <source>{name}（職員）</source>
        <translation>{name} (staff)</translation>
    </message>
</context>
<context>
    <name>ConflictCard</name>
    <message>
        <location filename="../../ui/conflict_card.py" line="95"/>
        <source>この値にする</source>
        <translation>Keep this value</translation>
    </message>
    <message>
        <location filename="../../ui/conflict_card.py" line="96"/>
        <source>いま表示されている値</source>
        <translation>Value shown now</translation>
    </message>
    <message>
        <location filename="../../ui/conflict_card.py" line="104"/>
        <source>両方をもとに書き直す:</source>
        <translation>Rewrite from both:</translation>
    </message>
    <message>
        <location filename="../../ui/conflict_card.py" line="113"/>
        <source>書き直した内容</source>
        <translation>Rewritten text</translation>
    </message>
    <message>
        <location filename="../../ui/conflict_card.py" line="115"/>
        <source>この内容で保存</source>
        <translation>Save this text</translation>
    </message>
    <message>
        <location filename="../../ui/conflict_card.py" line="124"/>
        <source>ケースを開く</source>
        <translation>Open case</translation>
    </message>
</context>
<context>
    <name>ConflictsView</name>
    <message>
        <location filename="../../ui/conflicts_view.py" line="84"/>
        <source>競合</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="158"/>
        <source>競合の一覧を読み込めませんでした。</source>
        <translation>The conflicts could not be loaded.</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="191"/>
        <source>同じ項目が別々の端末でほぼ同時に変更されました（{n} 件）。残す値を選ぶか、書き直して保存してください。保存した内容は次の同期でほかの端末にも届きます。</source>
        <translation>The same item was changed on different devices at about the same time ({n}). Choose the value to keep, or rewrite it and save. What you save reaches the other devices at the next sync.</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="195"/>
        <source>読み込み中…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="197"/>
        <source>未解決の競合はありません。</source>
        <translation>No unresolved conflicts.</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="217"/>
        <source>空欄にはできません。内容を入力してください。</source>
        <translation>This cannot be empty. Please enter a value.</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="223"/>
        <source>この内容では保存できませんでした。内容を確かめてください。</source>
        <translation>This could not be saved. Please check the value.</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="226"/>
        <source>この記録は削除されたため、ここでは直せません。</source>
        <translation>This record was deleted and cannot be fixed here.</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="230"/>
        <source>保存できませんでした。もう一度お試しください。</source>
        <translation>Could not save. Please try again.</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="245"/>
        <location filename="../../ui/conflicts_view.py" line="302"/>
        <source>担当チーム</source>
        <translation>Team</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="245"/>
        <source>支援員</source>
        <translation>Worker</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="246"/>
        <source>関係機関</source>
        <translation>Agency</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="246"/>
        <location filename="../../ui/conflicts_view.py" line="301"/>
        <source>世帯</source>
        <translation>Household</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="247"/>
        <location filename="../../ui/conflicts_view.py" line="302"/>
        <source>対象者</source>
        <translation>Person</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="247"/>
        <location filename="../../ui/conflicts_view.py" line="306"/>
        <source>ケース</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="248"/>
        <source>関係づくりメモ</source>
        <translation>Relationship note</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="248"/>
        <source>支援プラン</source>
        <translation>Support plan</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="249"/>
        <source>会議</source>
        <translation>Meeting</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="249"/>
        <source>訪問・連絡記録</source>
        <translation>Visit/contact record</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="250"/>
        <source>スーパービジョンのコメント</source>
        <translation>Supervision comment</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="250"/>
        <source>外出予定</source>
        <translation>Going out</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="259"/>
        <source>{kind}（{date}）</source>
        <translation>{kind} ({date})</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="262"/>
        <source>{name}・{when}</source>
        <translation>{name} · {when}</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="263"/>
        <location filename="../../ui/conflicts_view.py" line="266"/>
        <source>（名前なし）</source>
        <translation>(no name)</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="267"/>
        <source>{kind}：{name}</source>
        <translation>{kind}: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="271"/>
        <source>（不明な機関）</source>
        <translation>(unknown agency)</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="272"/>
        <source>項目：同意（{agency}）</source>
        <translation>Field: consent ({agency})</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="273"/>
        <source>項目：{field}</source>
        <translation>Field: {field}</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="278"/>
        <source>この機関への同意と撤回が、別々の端末で同時に記録されました。安全のため撤回として扱っています。本人に意思を確かめ、ケース画面から同意または撤回を記録し直してください。</source>
        <translation>Consent and a withdrawal for this agency were recorded at the same time on different devices. To be safe, it is treated as withdrawn. Ask the person, then record consent or a withdrawal again from the case screen.</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="283"/>
        <source>同じ訪問記録に、別々の端末で同時に訂正が加えられました。ケース画面の訪問記録で訂正の内容を確かめてください。</source>
        <translation>The same visit record was corrected on different devices at the same time. Check the corrections in the case&apos;s visit records.</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="286"/>
        <source>一方の端末で削除され、もう一方では変更されました。残すか削除するかを選んでください。</source>
        <translation>It was deleted on one device and changed on another. Choose whether to keep or delete it.</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="292"/>
        <source>チーム名</source>
        <translation>Team name</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="292"/>
        <source>機関名</source>
        <translation>Agency name</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="293"/>
        <source>機関の種類</source>
        <translation>Agency type</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="293"/>
        <source>世帯名</source>
        <translation>Household name</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="294"/>
        <source>会議の種類</source>
        <translation>Meeting type</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="294"/>
        <source>種別</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="295"/>
        <source>メモの本文</source>
        <translation>Note text</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="295"/>
        <source>内容</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="296"/>
        <source>コメントの本文</source>
        <translation>Comment text</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="299"/>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="299"/>
        <source>ふりがな</source>
        <translation>Reading (furigana)</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="300"/>
        <source>生まれ年</source>
        <translation>Birth year</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="300"/>
        <source>地区</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="301"/>
        <source>住所・目印のメモ</source>
        <translation>Address/landmark note</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="303"/>
        <source>担当支援員</source>
        <translation>Assigned worker</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="303"/>
        <source>役割</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="304"/>
        <source>把握の経路</source>
        <translation>Referral source</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="304"/>
        <source>把握時のメモ</source>
        <translation>Referral note</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="305"/>
        <source>支援段階</source>
        <translation>Support stage</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="305"/>
        <source>開始日</source>
        <translation>Opened on</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="306"/>
        <source>目標</source>
        <translation>Goals</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="307"/>
        <source>関係機関の役割</source>
        <translation>Agency roles</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="307"/>
        <source>モニタリング日</source>
        <translation>Monitoring date</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="308"/>
        <source>開催日</source>
        <translation>Held on</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="308"/>
        <source>出席した機関</source>
        <translation>Agencies attending</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="309"/>
        <source>対象ケース</source>
        <translation>Cases</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="309"/>
        <source>決定事項</source>
        <translation>Decisions</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="310"/>
        <source>次回モニタリング日</source>
        <translation>Next monitoring date</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="311"/>
        <source>日時</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="311"/>
        <source>会えた相手</source>
        <translation>Met with</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="312"/>
        <source>本人・家族の反応</source>
        <translation>Reaction</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="313"/>
        <source>関係の段階</source>
        <translation>Relationship stage</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="313"/>
        <source>次回の予定</source>
        <translation>Next action</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="314"/>
        <source>次回の期限</source>
        <translation>Next action due</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="314"/>
        <source>削除・復元</source>
        <translation>Delete/restore</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="315"/>
        <source>既読にした日時</source>
        <translation>Read at</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="315"/>
        <source>既読にした人</source>
        <translation>Read by</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="316"/>
        <source>帰所予定</source>
        <translation>Expected return</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="316"/>
        <source>帰所した日時</source>
        <translation>Back at</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="329"/>
        <source>（不明な支援員）</source>
        <translation>(unknown worker)</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="331"/>
        <source>この端末</source>
        <translation>this device</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="333"/>
        <source>端末 {id}</source>
        <translation>device {id}</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="334"/>
        <source>{name}・{device}・{when}</source>
        <translation>{name} · {device} · {when}</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="340"/>
        <source>削除する</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="340"/>
        <source>残す</source>
        <translation>Keep</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="342"/>
        <source>（空欄）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="352"/>
        <source>{stage}（{date}から）</source>
        <translation>{stage} (since {date})</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="355"/>
        <source>理由: {reason}</source>
        <translation>Reason: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="362"/>
        <location filename="../../ui/conflicts_view.py" line="364"/>
        <location filename="../../ui/conflicts_view.py" line="367"/>
        <source>（不明）</source>
        <translation>(unknown)</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="366"/>
        <source>{agency}: {role}</source>
        <translation>{agency}: {role}</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="370"/>
        <source>・{goal}</source>
        <translation>• {goal}</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="372"/>
        <source>はい</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_view.py" line="372"/>
        <source>いいえ</source>
        <translation>No</translation>
    </message>
</context>
<context>
    <name>ConsentBanner</name>
    <message>
        <location filename="../../ui/consent_banner.py" line="32"/>
        <source>同意状況</source>
        <translation>Consent status</translation>
    </message>
    <message>
        <location filename="../../ui/consent_banner.py" line="41"/>
        <source>同意: 世帯のケースです。同意は対象者ごとに記録します。</source>
        <translation>Consent: this is a household case. Consent is recorded for each person.</translation>
    </message>
    <message>
        <location filename="../../ui/consent_banner.py" line="57"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../ui/consent_banner.py" line="61"/>
        <source>{status}: {agencies}</source>
        <translation>{status}: {agencies}</translation>
    </message>
    <message>
        <location filename="../../ui/consent_banner.py" line="64"/>
        <source>{status}: 同意 {granted}／撤回 {withdrawn}</source>
        <translation>{status}: granted {granted} / withdrawn {withdrawn}</translation>
    </message>
    <message>
        <location filename="../../ui/consent_banner.py" line="69"/>
        <source>{status}: すべての関係機関への同意が撤回されています。情報提供は支援会議の範囲に限られます。</source>
        <translation>{status}: consent has been withdrawn for every agency. Information may only be shared within a support council meeting.</translation>
    </message>
    <message>
        <location filename="../../ui/consent_banner.py" line="72"/>
        <source>{status}: {agencies} への同意が撤回されています。</source>
        <translation>{status}: consent has been withdrawn for {agencies}.</translation>
    </message>
    <message>
        <location filename="../../ui/consent_banner.py" line="75"/>
        <source>{status}: 情報提供は支援会議（社会福祉法第106条の6）の範囲に限られます。</source>
        <translation>{status}: information may only be shared within a support council meeting (Social Welfare Act, Art. 106-6).</translation>
    </message>
    <message>
        <location filename="../../ui/consent_banner.py" line="79"/>
        <source>要確認: {agencies} について同意と撤回が同時に記録されています（撤回として扱っています）。</source>
        <translation>Check: consent and withdrawal were recorded at the same time for {agencies} (treated as withdrawn).</translation>
    </message>
</context>
<context>
    <name>ConsentDialog</name>
    <message>
        <location filename="../../ui/consent_dialog.py" line="49"/>
        <source>同意・撤回の記録</source>
        <translation>Record consent or withdrawal</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="174"/>
        <source>{name} さんの同意を記録します。</source>
        <translation>Record consent for {name}.</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="61"/>
        <source>同意(&amp;G)</source>
        <translation>&amp;Grant</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="63"/>
        <source>撤回(&amp;W)</source>
        <translation>&amp;Withdraw</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="84"/>
        <source>現在同意している関係機関はありません。</source>
        <translation>No agency is consented to at present.</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="95"/>
        <source>1つも選ばないときは、すべての関係機関への同意を撤回します（確認があります）。</source>
        <translation>With no agency ticked, consent is withdrawn for every agency (you will be asked first).</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="141"/>
        <location filename="../../ui/consent_dialog.py" line="177"/>
        <source>同意を記録</source>
        <translation>Record consent</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="167"/>
        <source>同意の撤回の記録</source>
        <translation>Record a withdrawal of consent</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="168"/>
        <source>{name} さんの同意の撤回を記録します。</source>
        <translation>Record a withdrawal of consent by {name}.</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="170"/>
        <source>同意を撤回する関係機関</source>
        <translation>Agencies consent is withdrawn from</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="171"/>
        <source>撤回を記録</source>
        <translation>Record withdrawal</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="173"/>
        <source>同意の記録</source>
        <translation>Record consent</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="176"/>
        <source>情報を提供してよい関係機関</source>
        <translation>Agencies that may receive information</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="185"/>
        <source>すべての同意の撤回</source>
        <translation>Withdraw all consent</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="186"/>
        <source>関係機関が選ばれていません。{name} さんの、すべての関係機関への同意を撤回します。よろしいですか？</source>
        <translation>No agency is selected. This withdraws {name}&apos;s consent for every agency. Continue?</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="191"/>
        <source>すべて撤回する</source>
        <translation>Withdraw all</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="193"/>
        <source>選び直す</source>
        <translation>Choose again</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="83"/>
        <source>関係機関が登録されていません。</source>
        <translation>No agencies are registered.</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="101"/>
        <source>口頭(&amp;O)</source>
        <translation>&amp;Oral</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="103"/>
        <source>書面(&amp;P)</source>
        <translation>In writing (&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="116"/>
        <source>yyyy年M月d日(ddd)</source>
        <translation>ddd yyyy-MM-dd</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="118"/>
        <source>（支援員が未設定）</source>
        <translation>(no worker set)</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="122"/>
        <source>任意: 説明した内容など</source>
        <translation>Optional: what was explained, etc.</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="129"/>
        <source>記録の種類</source>
        <translation>Kind of record</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="132"/>
        <source>方法</source>
        <translation>Method</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="133"/>
        <source>日付(&amp;D)</source>
        <translation>&amp;Date</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="136"/>
        <source>記録者</source>
        <translation>Recorded by</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="137"/>
        <source>メモ(&amp;N)</source>
        <translation>&amp;Note</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="222"/>
        <source>同意した関係機関を1つ以上選んでください。</source>
        <translation>Select at least one agency the consent covers.</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="224"/>
        <source>未来の日付は記録できません。</source>
        <translation>A date in the future cannot be recorded.</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="227"/>
        <source>記録する支援員が設定されていないため、記録できません。</source>
        <translation>No worker is set to record this, so it cannot be recorded.</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="247"/>
        <source>関係機関の選択を確認してください。</source>
        <translation>Check the agencies selected.</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="248"/>
        <source>日付が正しくありません。</source>
        <translation>The date is not valid.</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="249"/>
        <source>メモが長すぎます。</source>
        <translation>The note is too long.</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="251"/>
        <source>入力内容を確認してください。</source>
        <translation>Check what you entered.</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="255"/>
        <source>記録できませんでした。もう一度お試しください。</source>
        <translation>Could not record this. Please try again.</translation>
    </message>
</context>
<context>
    <name>ConsentHistoryTab</name>
    <message>
        <location filename="../../ui/case_tabs.py" line="85"/>
        <source>日付</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="85"/>
        <source>記録</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="85"/>
        <source>関係機関</source>
        <translation>Agencies</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="85"/>
        <source>方法</source>
        <translation>Method</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="86"/>
        <source>記録者</source>
        <translation>Recorded by</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="86"/>
        <source>メモ</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="87"/>
        <source>同意の記録はまだありません。</source>
        <translation>No consent has been recorded yet.</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="89"/>
        <source>同意・撤回を記録…</source>
        <translation>Record consent or withdrawal…</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="102"/>
        <source>世帯のケースです。同意は対象者ごとに記録します。</source>
        <translation>This is a household case. Consent is recorded for each person.</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="110"/>
        <source>すべての関係機関</source>
        <translation>All agencies</translation>
    </message>
</context>
<context>
    <name>DashboardView</name>
    <message>
        <location filename="../../ui/dashboard.py" line="163"/>
        <source> 日</source>
        <translation> days</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="165"/>
        <source>最新にする</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="170"/>
        <source>担当チーム</source>
        <translation>Team</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="173"/>
        <source>連絡のない日数</source>
        <translation>Days without contact</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="178"/>
        <source>該当するケースはありません</source>
        <translation>No cases</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="182"/>
        <source>この12週に訪問の記録はありません</source>
        <translation>No visits recorded in these 12 weeks</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="189"/>
        <source>支援段階別のケース数</source>
        <translation>Cases by stage</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="190"/>
        <source>地区別の担当中ケース数</source>
        <translation>Open cases by district</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="191"/>
        <source>担当者別の担当中ケース数</source>
        <translation>Open cases by worker</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="192"/>
        <source>担当者別・週ごとの訪問・連絡件数（直近12週）</source>
        <translation>Visits and contacts per worker per week (last 12 weeks)</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="197"/>
        <source>棒やマスをクリックすると、その件数のケースが「選んだケース」に表示されます。</source>
        <translation>Click a bar or a cell to list its cases under &quot;Selected cases&quot;.</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="203"/>
        <source>次回予定の期限</source>
        <translation>Next action due</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="204"/>
        <source>最後の連絡から</source>
        <translation>Since last contact</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="205"/>
        <source>同意が足りない機関</source>
        <translation>Agencies without consent</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="206"/>
        <source>会議が必要になった時</source>
        <translation>Meeting due since</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="207"/>
        <location filename="../../ui/dashboard.py" line="398"/>
        <source>関係の段階</source>
        <translation>Relationship stage</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="213"/>
        <source>決裁待ちのプラン</source>
        <translation>Plan awaiting approval</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="218"/>
        <source>外出予定の帰所時刻を過ぎても「帰所しました」の記録がなく、その時刻より後に書かれた記録も同期で届いていない支援員です。「最後の記録」はその人の最新の記録の時刻です。</source>
        <translation>Workers past the expected return of their outing with no &quot;Back in the office&quot; and no record written after that time received by sync. &quot;Latest record&quot; is when their latest record was written.</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="234"/>
        <source>行をダブルクリック（または Enter）するとケースを開きます。</source>
        <translation>Double-click a row (or press Enter) to open the case.</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="252"/>
        <source>期限切れの予定 ({n})</source>
        <translation>Overdue follow-ups ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="252"/>
        <source>連絡のないケース ({n})</source>
        <translation>No contact ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="253"/>
        <source>会議の同意不足 ({n})</source>
        <translation>Meeting without consent ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="253"/>
        <source>未開催の会議 ({n})</source>
        <translation>Meetings not held ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="254"/>
        <source>決裁待ち ({n})</source>
        <translation>Awaiting approval ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="254"/>
        <source>帰所予定を過ぎた支援員 ({n})</source>
        <translation>Past expected return ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="255"/>
        <source>選んだケース ({n})</source>
        <translation>Selected cases ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="267"/>
        <source>全チーム</source>
        <translation>All teams</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="299"/>
        <source>集計しています…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="307"/>
        <source>集計できませんでした。もう一度お試しください。</source>
        <translation>The figures could not be read. Please try again.</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="315"/>
        <source>{day} 現在&#x3000;全 {total} 件、うち担当中 {open} 件</source>
        <translation>As of {day}: {total} cases, {open} open</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="319"/>
        <source>（地区なし）</source>
        <translation>(no district)</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="323"/>
        <location filename="../../ui/dashboard.py" line="396"/>
        <source>未割当</source>
        <translation>Unassigned</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="326"/>
        <source>不明な支援員</source>
        <translation>Unknown worker</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="332"/>
        <source>{n} 日</source>
        <translation>{n} days</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="343"/>
        <source>&#x3000;⚠ 帰所予定を過ぎた支援員が {n} 人います</source>
        <translation>  ⚠ {n} workers are past their expected return</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="360"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="363"/>
        <source>同意の記録なし</source>
        <translation>no consent recorded</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="364"/>
        <source>次回の予定</source>
        <translation>next action</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="365"/>
        <source>{missing}（{when}）</source>
        <translation>{missing} ({when})</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="368"/>
        <source>プラン策定</source>
        <translation>Plan made</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="368"/>
        <source>再プラン策定</source>
        <translation>Re-plan</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="369"/>
        <source>終結</source>
        <translation>Closing</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="369"/>
        <source>中断</source>
        <translation>Suspension</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="370"/>
        <source>{reason}（{day}）</source>
        <translation>{reason} ({day})</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="373"/>
        <source>・{day} に予定あり</source>
        <translation>, planned for {day}</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="399"/>
        <source>（訪問なし）</source>
        <translation>(no visits)</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="408"/>
        <source>{name}&#x3000;{week} の週: 訪問・連絡 {n} 件</source>
        <translation>{name}, week of {week}: {n} visits and contacts</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="411"/>
        <source>この週の訪問・連絡</source>
        <translation>Visits this week</translation>
    </message>
    <message>
        <location filename="../../ui/dashboard.py" line="412"/>
        <source>{n} 件</source>
        <translation>{n}</translation>
    </message>
</context>
<context>
    <name>Dates</name>
    <message>
        <location filename="../../ui/fmt.py" line="84"/>
        <source>・</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="91"/>
        <source>（次回の予定なし）</source>
        <translation>(no next action)</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="94"/>
        <source>{action}（期限: {due}）</source>
        <translation>{action} (due: {due})</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="97"/>
        <source>{action}【{day}に完了】</source>
        <translation>{action} [done on {day}]</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="109"/>
        <source>火</source>
        <translation>Tue</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="110"/>
        <source>水</source>
        <translation>Wed</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="110"/>
        <source>木</source>
        <translation>Thu</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="111"/>
        <source>金</source>
        <translation>Fri</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="111"/>
        <source>土</source>
        <translation>Sat</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="112"/>
        <source>日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="121"/>
        <source>yyyy年M月d日(ddd) HH:mm</source>
        <translation>ddd yyyy-MM-dd HH:mm</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="122"/>
        <source>yyyy年M月d日(ddd)</source>
        <translation>ddd yyyy-MM-dd</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="141"/>
        <source>{y}年{m}月{d}日({w})</source>
        <translation>{w} {y}-{m}-{d}</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="154"/>
        <source>{m}月{d}日</source>
        <translation>{m}/{d}</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="165"/>
        <source>{m}月</source>
        <translation>{m}</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="109"/>
        <location filename="../../ui/visit_form.py" line="59"/>
        <source>月</source>
        <translation>Mon</translation>
    </message>
</context>
<context>
    <name>DemoNote</name>
    <message>
        <location filename="../../ui/demo_note.py" line="37"/>
        <source>{name}（{role}・{team}）</source>
        <translation>{name} ({role}, {team})</translation>
    </message>
    <message>
        <location filename="../../ui/demo_note.py" line="39"/>
        <source>チームなし</source>
        <translation>no team</translation>
    </message>
    <message>
        <location filename="../../ui/demo_note.py" line="40"/>
        <source>デモ: {who}として使用中。記録はすべて架空のものです。</source>
        <translation>Demo: signed in as {who}. Every record is fictional.</translation>
    </message>
    <message>
        <location filename="../../ui/demo_note.py" line="42"/>
        <source>デモ用のデータです。実在の人物・機関とは関係ありません。アプリを閉じると消去されます。</source>
        <translation>Demo data: no real person or agency is described. It is erased when the app closes.</translation>
    </message>
</context>
<context>
    <name>DialogDrafts</name>
    <message>
        <location filename="../../ui/drafts.py" line="211"/>
        <source>入力中の内容の破棄</source>
        <translation>Discard input</translation>
    </message>
    <message>
        <location filename="../../ui/drafts.py" line="212"/>
        <source>入力中の内容を破棄しますか？</source>
        <translation>Discard what you have entered?</translation>
    </message>
    <message>
        <location filename="../../ui/drafts.py" line="216"/>
        <source>破棄する</source>
        <translation>Discard</translation>
    </message>
    <message>
        <location filename="../../ui/drafts.py" line="219"/>
        <source>入力に戻る</source>
        <translation>Back to input</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <location filename="../../ui/widgets.py" line="179"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>DuePicks</name>
    <message>
        <location filename="../../ui/visit_fields.py" line="140"/>
        <source>3日後(&amp;3)</source>
        <translation>In 3 days (&amp;3)</translation>
    </message>
    <message>
        <location filename="../../ui/visit_fields.py" line="140"/>
        <source>1週間後(&amp;1)</source>
        <translation>In 1 week (&amp;1)</translation>
    </message>
    <message>
        <location filename="../../ui/visit_fields.py" line="140"/>
        <source>2週間後(&amp;2)</source>
        <translation>In 2 weeks (&amp;2)</translation>
    </message>
    <message>
        <location filename="../../ui/visit_fields.py" line="141"/>
        <source>1か月後(&amp;4)</source>
        <translation>In 1 month (&amp;4)</translation>
    </message>
    <message>
        <location filename="../../ui/visit_fields.py" line="149"/>
        <source>期限をこの日付にします（訪問日から数えます）</source>
        <translation>Sets the due date this far after the visit&apos;s date</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../../ui/crash.py" line="66"/>
        <source>エラー</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../ui/crash.py" line="67"/>
        <source>予期しないエラーが発生しました。入力中の内容は下書きとして保存しました。
作業内容を確認してください。問い合わせの際は参照番号をお伝えください。
参照番号: {ref}</source>
        <translation>An unexpected error occurred. What you were typing has been kept as a draft.
Please check your work. If you contact support, please give the reference.
Reference: {ref}</translation>
    </message>
</context>
<context>
    <name>FieldAlertModel</name>
    <message>
        <location filename="../../ui/field_safety.py" line="157"/>
        <source>支援員</source>
        <translation>Worker</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="157"/>
        <source>帰所予定</source>
        <translation>Expected return</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="157"/>
        <source>超過</source>
        <translation>Overdue by</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="158"/>
        <source>訪問予定のケース</source>
        <translation>Planned case</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="158"/>
        <source>最後の記録</source>
        <translation>Latest record</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="164"/>
        <source>{h}時間{m}分</source>
        <translation>{h} h {m} min</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="166"/>
        <source>（なし）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="167"/>
        <source>不明な支援員</source>
        <translation>Unknown worker</translation>
    </message>
</context>
<context>
    <name>FieldPlanDialog</name>
    <message>
        <location filename="../../ui/field_safety.py" line="49"/>
        <source>外出予定</source>
        <translation>Going out</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="54"/>
        <source>氏名・ふりがなで絞り込み</source>
        <translation>Filter by name or reading</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="58"/>
        <source>今日訪問する予定のケース</source>
        <translation>Cases to visit today</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="69"/>
        <source>訪問予定のケース(&amp;C)</source>
        <translation>Planned &amp;cases</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="73"/>
        <source>帰所予定(&amp;R)</source>
        <translation>Expected &amp;return</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="76"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="81"/>
        <source>帰所したら「帰所しました」を押してください。帰所予定を過ぎても帰所の記録がなく、その後に書いた記録の同期もない場合、スーパーバイザーのチーム状況に表示されます。</source>
        <translation>Press &quot;Back in the office&quot; when you return. If the expected return passes with no check-in and no record written after it has synced, you are listed on the supervisor&apos;s team dashboard.</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="97"/>
        <source>{name}（{district}）</source>
        <translation>{name} ({district})</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="107"/>
        <source>外出中: 帰所予定 {time}（{n} 件）</source>
        <translation>Out: expected back at {time} ({n} cases)</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="112"/>
        <source>帰所済み（{time}）</source>
        <translation>Back in the office ({time})</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="114"/>
        <source>今日の外出予定はまだありません。</source>
        <translation>No outing planned today yet.</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="139"/>
        <source>帰所予定は今より後の時刻にしてください。</source>
        <translation>The expected return must be later than now.</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="141"/>
        <source>入力内容を確認してください。</source>
        <translation>Check what you entered.</translation>
    </message>
    <message>
        <location filename="../../ui/field_safety.py" line="146"/>
        <source>保存できませんでした。もう一度お試しください。</source>
        <translation>Could not save. Please try again.</translation>
    </message>
</context>
<context>
    <name>FirstRunPage</name>
    <message>
        <location filename="../../ui/pages.py" line="55"/>
        <source>Outreach Desk をはじめる</source>
        <translation>Getting started with Outreach Desk</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="57"/>
        <source>記録はこの端末に暗号化して保存されます。最初に、記録を開くためのパスフレーズと、あなたの名前・担当チームを決めてください。</source>
        <translation>Records are kept encrypted on this computer. First choose the passphrase that opens them, and enter your name and team.</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="61"/>
        <source>パスフレーズは再発行できず、忘れるとこの端末の記録は誰にも開けなくなります（サーバーと同期した記録は、サーバーから復元できます）。</source>
        <translation>The passphrase cannot be recovered: if it is forgotten, nobody can open the records on this computer (records synced with the server can be restored from it).</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="68"/>
        <source>{n}文字以上。ひらがな・漢字・スペースも使えます。覚えやすい言葉をいくつかつなげると、長くて強いパスフレーズになります。同じ文字の繰り返しや、よく使われるパスワード、名前だけのものは使えません。</source>
        <translation>At least {n} characters. Hiragana, kanji and spaces are allowed. A few easy-to-remember words joined together make a long, strong passphrase. Repeated characters, common passwords and names on their own are not accepted.</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="74"/>
        <source>入力したパスフレーズを表示する(&amp;S)</source>
        <translation>&amp;Show the passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="77"/>
        <source>かな漢字変換を使って入力するときは、表示にすると入力しやすくなります。</source>
        <translation>Showing it makes typing easier when you use kana-kanji conversion.</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="81"/>
        <source>例: 佐藤 花子</source>
        <translation>e.g. Hanako Sato</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="84"/>
        <source>例: 野尻担当</source>
        <translation>e.g. Nojiri team</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="93"/>
        <source>記録を作成してはじめる</source>
        <translation>Create the records and start</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="104"/>
        <source>パスフレーズ(&amp;P)</source>
        <translation>&amp;Passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="106"/>
        <source>もう一度入力(&amp;C)</source>
        <translation>&amp;Confirm</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="108"/>
        <source>あなたの名前(&amp;N)</source>
        <translation>Your &amp;name</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="110"/>
        <source>担当チーム(&amp;T)</source>
        <translation>&amp;Team</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="128"/>
        <source>バックアップから復元…</source>
        <translation>Restore from a backup…</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="131"/>
        <source>以前に作成したバックアップファイルから、この端末の記録を復元します。</source>
        <translation>Restores the records on this computer from a backup file made earlier.</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="164"/>
        <source>パスフレーズを入力してください。</source>
        <translation>Please enter a passphrase.</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="213"/>
        <source>強さ: 弱い（推測されやすいため使えません）</source>
        <translation>Strength: weak (too easy to guess; cannot be used)</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="171"/>
        <source>確認のため、同じパスフレーズをもう一度入力してください。</source>
        <translation>Please enter the same passphrase again to confirm it.</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="173"/>
        <source>確認用のパスフレーズが一致しません。</source>
        <translation>The confirmation does not match the passphrase.</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="175"/>
        <source>あなたの名前を入力してください。</source>
        <translation>Please enter your name.</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="177"/>
        <source>担当チームの名前を入力してください（例: 野尻担当）。</source>
        <translation>Please enter your team&apos;s name (e.g. Nojiri team).</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="199"/>
        <source>まだ作成できません: {reason}</source>
        <translation>Cannot create yet: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="210"/>
        <source>あと {n} 文字必要です</source>
        <translation>{n} more characters needed</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="215"/>
        <source>強さ: ふつう</source>
        <translation>Strength: fair</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="217"/>
        <source>強さ: 強い</source>
        <translation>Strength: strong</translation>
    </message>
</context>
<context>
    <name>FollowUpsView</name>
    <message>
        <location filename="../../ui/follow_ups_view.py" line="86"/>
        <source>次回予定の一覧</source>
        <translation>Follow-up list</translation>
    </message>
    <message>
        <location filename="../../ui/follow_ups_view.py" line="88"/>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/follow_ups_view.py" line="88"/>
        <source>期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/follow_ups_view.py" line="88"/>
        <source>次回の予定</source>
        <translation>Next action</translation>
    </message>
    <message>
        <location filename="../../ui/follow_ups_view.py" line="89"/>
        <source>地区</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../ui/follow_ups_view.py" line="101"/>
        <source>完了にする</source>
        <translation>Mark done</translation>
    </message>
    <message>
        <location filename="../../ui/follow_ups_view.py" line="104"/>
        <source>選んだケースの次回の予定を完了にします。次の予定は訪問記録か、ここで入れ直します。</source>
        <translation>Marks the chosen case&apos;s next action as done. Set the next one in a visit record or here.</translation>
    </message>
    <message>
        <location filename="../../ui/follow_ups_view.py" line="205"/>
        <source>期限切れ</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../ui/follow_ups_view.py" line="205"/>
        <source>今日</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../ui/follow_ups_view.py" line="205"/>
        <source>今週（7日以内）</source>
        <translation>This week (7 days)</translation>
    </message>
    <message>
        <location filename="../../ui/follow_ups_view.py" line="206"/>
        <source>次回の予定なし</source>
        <translation>No next action</translation>
    </message>
    <message>
        <location filename="../../ui/follow_ups_view.py" line="222"/>
        <source>{group}（{n} 件）</source>
        <translation>{group} ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/follow_ups_view.py" line="234"/>
        <source>ふりがな: {kana}</source>
        <translation>Reading: {kana}</translation>
    </message>
    <message>
        <location filename="../../ui/follow_ups_view.py" line="265"/>
        <source>読み込み中…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../ui/follow_ups_view.py" line="269"/>
        <source>期限が近い次回予定はありません。</source>
        <translation>No follow-ups due soon.</translation>
    </message>
    <message>
        <location filename="../../ui/follow_ups_view.py" line="271"/>
        <source>期限切れ {overdue} 件・今日 {today} 件・今週 {week} 件</source>
        <translation>{overdue} overdue · {today} today · {week} this week</translation>
    </message>
    <message>
        <location filename="../../ui/follow_ups_view.py" line="274"/>
        <source>（次回の予定なし {n} 件）</source>
        <translation> ({n} with no next action)</translation>
    </message>
    <message>
        <location filename="../../ui/follow_ups_view.py" line="294"/>
        <source>完了にできませんでした。もう一度お試しください。</source>
        <translation>Could not mark it done. Please try again.</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <location filename="../../ui/help_dialog.py" line="75"/>
        <source>使い方</source>
        <translation>User guide</translation>
    </message>
    <message>
        <location filename="../../ui/help_dialog.py" line="85"/>
        <source>使い方のファイルが見つかりません。アプリを入れ直してください。</source>
        <translation>The user guide file is missing. Please reinstall the app.</translation>
    </message>
    <message>
        <location filename="../../ui/help_dialog.py" line="87"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>HistoryReview</name>
    <message>
        <location filename="../../ui/history_review.py" line="42"/>
        <source>訪問・連絡</source>
        <translation>Visits</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="43"/>
        <source>支援段階</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="44"/>
        <source>同意</source>
        <translation>Consent</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="45"/>
        <source>支援プラン</source>
        <translation>Support plan</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="46"/>
        <source>会議</source>
        <translation>Meetings</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="53"/>
        <source>支援プランを削除（第{n}版）</source>
        <translation>Support plan deleted (version {n})</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="55"/>
        <source>第{n}版</source>
        <translation>Version {n}</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="56"/>
        <source>目標: {goals}</source>
        <translation>Goals: {goals}</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="57"/>
        <location filename="../../ui/history_review.py" line="61"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="60"/>
        <source>役割分担: {roles}</source>
        <translation>Roles: {roles}</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="63"/>
        <source>モニタリング時期: {day}</source>
        <translation>Monitoring: {day}</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="66"/>
        <source>決裁: {name}（{when}）</source>
        <translation>Approved: {name} ({when})</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="70"/>
        <source>決裁: 未決裁</source>
        <translation>Approval: not approved</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="78"/>
        <source>記録: {name}</source>
        <translation>Recorded by {name}</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="84"/>
        <source>（理由: {reason}）</source>
        <translation> (reason: {reason})</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="89"/>
        <source>すべての関係機関</source>
        <translation>all agencies</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="90"/>
        <source>{action}（{method}）: {agencies}</source>
        <translation>{action} ({method}): {agencies}</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="99"/>
        <source>{kind}&#x3000;出席: {agencies}</source>
        <translation>{kind}, attended by: {agencies}</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="155"/>
        <source>訪問の記録がまだありません</source>
        <translation>No visits recorded yet</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="158"/>
        <source>表示する記録:</source>
        <translation>Show:</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="175"/>
        <source>ケースの経過</source>
        <translation>Case history</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="182"/>
        <source>関係の段階の推移（訪問ごと。点線は支援段階の変更）</source>
        <translation>Relationship stage over time (per visit; dotted lines: stage changes)</translation>
    </message>
    <message>
        <location filename="../../ui/history_review.py" line="226"/>
        <source>{shown} / {total} 件</source>
        <translation>{shown} / {total} entries</translation>
    </message>
</context>
<context>
    <name>HouseholdTab</name>
    <message>
        <location filename="../../ui/case_tabs.py" line="177"/>
        <source>世帯</source>
        <translation>Household</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="178"/>
        <location filename="../../ui/case_tabs.py" line="181"/>
        <source>地区</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="179"/>
        <source>住所メモ</source>
        <translation>Address note</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="181"/>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="181"/>
        <source>ふりがな</source>
        <translation>Reading</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="181"/>
        <source>生年</source>
        <translation>Born</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="182"/>
        <source>世帯が登録されていません。</source>
        <translation>No household is registered.</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="187"/>
        <source>世帯員</source>
        <translation>Members</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="202"/>
        <source>{name}（本人）</source>
        <translation>{name} (the person)</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="203"/>
        <source>{year}年</source>
        <translation>{year}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="99"/>
        <source>Outreach Desk</source>
        <translation>Outreach Desk</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="125"/>
        <location filename="../../ui/main_window.py" line="188"/>
        <source>担当ケース</source>
        <translation>My cases</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="126"/>
        <location filename="../../ui/main_window.py" line="190"/>
        <source>次回予定</source>
        <translation>Follow-ups</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="183"/>
        <source>ロック</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="185"/>
        <source>画面をロックします (Ctrl+L)</source>
        <translation>Lock the screen (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="186"/>
        <source>新規ケース</source>
        <translation>New case</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="192"/>
        <source>検索</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="194"/>
        <source>ケースを閉じる</source>
        <translation>Close case</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="196"/>
        <source>今すぐ同期</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="202"/>
        <source>設定</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="204"/>
        <source>終了</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="205"/>
        <source>このアプリについて</source>
        <translation>About this app</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="207"/>
        <source>使い方</source>
        <translation>User guide</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="208"/>
        <source>いま開いている画面の使い方を表示します (F1)</source>
        <translation>Show how to use the screen in front of you (F1)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="209"/>
        <source>バックアップを作成…</source>
        <translation>Create &amp;backup…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="212"/>
        <source>記録を暗号化したまま1つのファイルに保存します (作成時のパスフレーズで開けます)</source>
        <translation>Saves the records, still encrypted, to one file (it opens with the passphrase in use when it was made)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="214"/>
        <source>データフォルダを開く</source>
        <translation>Open data folder</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="217"/>
        <source>操作</source>
        <translation>Actions</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="229"/>
        <source>ファイル(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="235"/>
        <source>表示(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="239"/>
        <source>同期(&amp;S)</source>
        <translation>&amp;Sync</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="341"/>
        <source>同期できませんでした。</source>
        <translation>Could not sync.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="357"/>
        <source>オフライン期間の上限まであと {days} 日です。期限を過ぎると同期するまで記録を開けなくなります。早めに同期してください。</source>
        <translation>{days} days left before the offline limit. After it, the records cannot be opened until this laptop has synced. Please sync soon.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="364"/>
        <source>同期先が設定されていません。管理者に連絡してください。</source>
        <translation>No sync server is set. Please contact your administrator.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="366"/>
        <source>同期しています…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="384"/>
        <source>{reason}。この端末の記録は消去しました。引き続き使うには、管理者に相談してください。</source>
        <translation>{reason}. The records on this computer have been erased. Ask your administrator how to continue.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="445"/>
        <source>同期先が設定されていません。設定でサーバーのアドレスを入力してください。</source>
        <translation>No sync server is set. Enter the server address in Settings.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="520"/>
        <source>バックアップの保存先</source>
        <translation>Save the backup as</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="521"/>
        <source>Outreach Desk バックアップ (*.odbackup)</source>
        <translation>Outreach Desk backup (*.odbackup)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="532"/>
        <source>バックアップを作成しています…</source>
        <translation>Creating the backup…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="539"/>
        <source>バックアップを保存しました: {path}</source>
        <translation>Backup saved: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="546"/>
        <source>バックアップ</source>
        <translation>Backup</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="547"/>
        <source>バックアップを作成できませんでした。保存先のフォルダと空き容量を確認してください。</source>
        <translation>The backup could not be created. Please check the folder and the free space.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="242"/>
        <source>ヘルプ(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="197"/>
        <source>サーバーと今すぐ同期します (F5)</source>
        <translation>Sync with the server now (F5)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="198"/>
        <location filename="../../ui/main_window.py" line="471"/>
        <source>競合</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="201"/>
        <source>別々の端末で同時に変更された項目を確認します (Ctrl+3)</source>
        <translation>Review items changed on two devices at the same time (Ctrl+3)</translation>
    </message>
</context>
<context>
    <name>MeetingPrepView</name>
    <message>
        <location filename="../../ui/meeting_prep.py" line="125"/>
        <source>会議の種別</source>
        <translation>Meeting kind</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="125"/>
        <source>開催日</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="132"/>
        <source>出席する関係機関</source>
        <translation>Attending agencies</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="137"/>
        <source>氏名・ふりがなで絞り込み</source>
        <translation>Filter by name or reading</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="140"/>
        <source>ケースを追加 →</source>
        <translation>Add case →</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="142"/>
        <source>担当ケースから選ぶ</source>
        <translation>Choose from the caseload</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="148"/>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="148"/>
        <source>地区</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="148"/>
        <source>支援段階</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="148"/>
        <source>判定</source>
        <translation>Verdict</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="149"/>
        <source>外す</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="151"/>
        <source>支援会議に切り替える</source>
        <translation>Switch to a support council meeting</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="155"/>
        <source>検討するケース</source>
        <translation>Cases to discuss</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="167"/>
        <source>緊急の提供（理由を記録します）</source>
        <translation>Emergency disclosure (the reason is recorded)</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="171"/>
        <source>緊急に提供する理由（必須）</source>
        <translation>Why this is an emergency (required)</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="172"/>
        <source>会議資料を作成（PDF）…</source>
        <translation>Make the meeting material (PDF)…</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="174"/>
        <source>会議資料</source>
        <translation>Meeting material</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="176"/>
        <source>提供の根拠</source>
        <translation>Legal basis</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="184"/>
        <source>決定事項（役割分担、次の一手など）</source>
        <translation>Decisions (roles, next steps…)</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="187"/>
        <source>次回モニタリング</source>
        <translation>Next monitoring</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="194"/>
        <source>会議を記録する</source>
        <translation>Record the meeting</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="196"/>
        <source>開催後の記録（出席機関は上で選んだ機関）</source>
        <translation>After the meeting (attendees: the agencies chosen above)</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="244"/>
        <source>緊急の提供はスーパーバイザーだけが行えます</source>
        <translation>Only a supervisor can make an emergency disclosure</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="261"/>
        <source>{name}（{district}・{stage}）</source>
        <translation>{name} ({district}, {stage})</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="334"/>
        <source>判定できませんでした。もう一度お試しください。</source>
        <translation>Could not check the cases. Please try again.</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="347"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="350"/>
        <source>不可: 撤回 — {withdrawn}／同意なし — {agencies}。支援会議なら可</source>
        <translation>Not allowed: withdrawn — {withdrawn} / no consent — {agencies}. Allowed in a support council</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="354"/>
        <source>可（本人同意）</source>
        <translation>Allowed (consent)</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="355"/>
        <source>可（支援会議・法106条の6）</source>
        <translation>Allowed (support council, Art. 106-6)</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="356"/>
        <source>不可: 同意なし — {agencies}。支援会議なら可</source>
        <translation>Not allowed: no consent — {agencies}. Allowed in a support council</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="357"/>
        <source>不可: 同意なし（同意の記録がありません） — {agencies}。支援会議なら可</source>
        <translation>Not allowed: no consent (none recorded) — {agencies}. Allowed in a support council</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="359"/>
        <source>不可: 撤回 — {agencies}。支援会議なら可</source>
        <translation>Not allowed: withdrawn — {agencies}. Allowed in a support council</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="360"/>
        <source>不可: 世帯のケース（本人の同意なし）。支援会議なら可</source>
        <translation>Refused: a household case (no personal consent). Allowed in a support council meeting</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="372"/>
        <source>判定中…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="393"/>
        <source>ケースを追加してください。</source>
        <translation>Add the cases to discuss.</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="395"/>
        <source>判定しています…</source>
        <translation>Checking the cases…</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="398"/>
        <source>{n} 件のケースはこの会議では扱えません。資料は作成できません。支援会議（法106条の6）に切り替えると、同意がなくても検討できます。</source>
        <translation>{n} cases cannot be discussed in this meeting, so no material can be made. In a support council meeting (Art. 106-6) they can be discussed without consent.</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="404"/>
        <source>すべてのケースを扱えます。</source>
        <translation>Every case may be discussed.</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="408"/>
        <source>ケースが選ばれていません。</source>
        <translation>No case is chosen.</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="409"/>
        <source>出席する関係機関を選んでください。</source>
        <translation>Choose the attending agencies.</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="410"/>
        <source>提供の根拠がありません。根拠のない資料は作成できません。</source>
        <translation>There is no legal basis. Material cannot be made without one.</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="411"/>
        <source>提供の根拠が正しくありません。</source>
        <translation>The legal basis is not valid.</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="412"/>
        <source>緊急の提供には理由の入力が必要です。</source>
        <translation>An emergency disclosure needs its reason.</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="413"/>
        <source>緊急の提供はスーパーバイザーだけが行えます。</source>
        <translation>Only a supervisor can make an emergency disclosure.</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="414"/>
        <source>法106条の6 を根拠にできるのは支援会議だけです。</source>
        <translation>Art. 106-6 is the basis of a support council meeting only.</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="415"/>
        <source>支援会議の資料は 法106条の6 を根拠に作成します。</source>
        <translation>Material for a support council meeting is made on the basis of Art. 106-6.</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="417"/>
        <source>本人同意の範囲外のケースがあります。支援会議に切り替えるか、ケースを外してください。</source>
        <translation>Some cases are outside the consent given. Switch to a support council meeting or remove them.</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="419"/>
        <source>開催日がまだ来ていません。会議が終わってから記録してください。</source>
        <translation>The meeting date has not come yet. Record the meeting after it is held.</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="420"/>
        <source>決定事項を入力してください。</source>
        <translation>Enter the decisions.</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="427"/>
        <source>会議資料_{day}.pdf</source>
        <translation>meeting-material_{day}.pdf</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="428"/>
        <source>会議資料の保存先</source>
        <translation>Save the meeting material as</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="429"/>
        <source>PDF ファイル (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="441"/>
        <source>会議資料を作成しています…</source>
        <translation>Making the meeting material…</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="452"/>
        <source>ファイルを書き出せませんでした: {reason}（提供の記録は残っています）</source>
        <translation>Could not write the file: {reason} (the disclosure stays recorded)</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="456"/>
        <source>会議資料を作成し、提供の記録を残しました: {path}</source>
        <translation>Meeting material made and the disclosure recorded: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="463"/>
        <source>作成できませんでした: {problem}</source>
        <translation>Not made: {problem}</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="468"/>
        <source>会議資料を作成できませんでした。もう一度お試しください。</source>
        <translation>Could not make the meeting material. Please try again.</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="495"/>
        <source>会議を記録しました。各ケースの「会議」と「経過」に表示されます。</source>
        <translation>Meeting recorded. It appears under Meetings and History of each case.</translation>
    </message>
    <message>
        <location filename="../../ui/meeting_prep.py" line="505"/>
        <source>会議を記録できませんでした。入力を確かめてください。</source>
        <translation>Could not record the meeting. Check what you entered.</translation>
    </message>
</context>
<context>
    <name>MeetingsTab</name>
    <message>
        <location filename="../../ui/case_tabs.py" line="127"/>
        <source>開催日</source>
        <translation>Held on</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="127"/>
        <source>種別</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="127"/>
        <source>出席した関係機関</source>
        <translation>Agencies attending</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="127"/>
        <source>決定事項</source>
        <translation>Decisions</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="128"/>
        <source>次回モニタリング</source>
        <translation>Next monitoring</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="129"/>
        <source>このケースを扱った会議はまだありません。</source>
        <translation>No meeting has discussed this case yet.</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="132"/>
        <source>作成日時</source>
        <translation>Made at</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="132"/>
        <source>会議</source>
        <translation>Meeting</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="132"/>
        <source>提供の根拠</source>
        <translation>Legal basis</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="132"/>
        <source>提供先の機関</source>
        <translation>Given to</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="133"/>
        <source>作成者</source>
        <translation>Made by</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="137"/>
        <source>提供の記録（会議資料として外に出た情報）</source>
        <translation>Disclosures (information that left the app as meeting material)</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="152"/>
        <source>{basis}（{reason}）</source>
        <translation>{basis} ({reason})</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="155"/>
        <source>{kind} {day}</source>
        <translation>{kind} {day}</translation>
    </message>
</context>
<context>
    <name>NewCaseDialog</name>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="66"/>
        <source>新規ケース</source>
        <translation>New case</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="89"/>
        <source>対象者のケース(&amp;P)</source>
        <translation>Case for a &amp;person</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="92"/>
        <source>世帯のみのケース(&amp;H)</source>
        <translation>&amp;Household-only case</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="95"/>
        <source>まだ誰が支援の対象か分からないときなど、世帯として記録します。</source>
        <translation>Record it as a household, e.g. when it is not yet clear who needs support.</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="101"/>
        <source>例: 黒木 花子</source>
        <translation>e.g. Hanako Kuroki</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="102"/>
        <source>例: くろき はなこ</source>
        <translation>e.g. kuroki hanako (in kana)</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="103"/>
        <source>例: 1950（分からなければ空欄）</source>
        <translation>e.g. 1950 (leave empty if unknown)</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="110"/>
        <location filename="../../ui/new_case_dialog.py" line="180"/>
        <source>選択してください</source>
        <translation>Please choose</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="117"/>
        <source>似ている対象者が登録されています（名寄せ）</source>
        <translation>Similar people are already registered (possible duplicates)</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="122"/>
        <source>同じ人なら選んで「この人のケースを開く」を押してください。新しい対象者は登録されません。</source>
        <translation>If it is the same person, select them and press &quot;Open a case for this person&quot;. No new person is registered.</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="126"/>
        <source>似ている対象者</source>
        <translation>Similar people</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="131"/>
        <source>この人のケースを開く(&amp;E)</source>
        <translation>Open a case for this p&amp;erson</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="135"/>
        <source>別の人として登録する(&amp;A)</source>
        <translation>Register as &amp;another person</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="138"/>
        <source>よみか氏名が同じ人とは別の人であることを確かめたら、チェックしてください。</source>
        <translation>Tick this once you have made sure this is not the person with the same reading or name.</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="155"/>
        <source>選択を取り消す(&amp;U)</source>
        <translation>&amp;Undo the selection</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="160"/>
        <source>既存のケースを開く(&amp;X)</source>
        <translation>Open the e&amp;xisting case</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="169"/>
        <source>この人の世帯も登録する(&amp;W)</source>
        <translation>Also register this person&apos;s household (&amp;W)</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="172"/>
        <source>例: 黒木家</source>
        <translation>e.g. Kuroki household</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="173"/>
        <source>例: 〇〇商店の裏、青い屋根</source>
        <translation>e.g. behind the grocery, blue roof</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="186"/>
        <source>例: 近所の方から、新聞がたまっていると連絡があった。</source>
        <translation>e.g. A neighbour called: newspapers are piling up.</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="212"/>
        <source>種類</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="213"/>
        <source>氏名(&amp;N)</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="214"/>
        <source>ふりがな(&amp;K)</source>
        <translation>Reading (&amp;kana)</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="215"/>
        <source>生年(&amp;B)</source>
        <translation>&amp;Birth year</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="216"/>
        <source>地区(&amp;D)</source>
        <translation>&amp;District</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="220"/>
        <source>世帯名(&amp;O)</source>
        <translation>H&amp;ousehold name</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="222"/>
        <source>所在地メモ(&amp;L)</source>
        <translation>&amp;Location note</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="224"/>
        <source>把握の経路（入口）(&amp;R)</source>
        <translation>&amp;Referral source</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="225"/>
        <source>把握の経緯(&amp;M)</source>
        <translation>Referral note (&amp;M)</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="231"/>
        <source>登録(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="232"/>
        <source>登録して、ケースを開きます (Ctrl+Enter)</source>
        <translation>Save and open the case (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="303"/>
        <source>{family}家</source>
        <translation>{family} household</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="328"/>
        <source>よみか氏名が同じです</source>
        <translation>Same reading or name</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="343"/>
        <source>同じよみ</source>
        <translation>same reading</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="345"/>
        <source>同じ氏名</source>
        <translation>same name</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="347"/>
        <source>同じ姓</source>
        <translation>same family name</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="349"/>
        <source>同じ生年</source>
        <translation>same birth year</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="351"/>
        <source>同じ地区</source>
        <translation>same district</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="355"/>
        <source>{name}（{kana}）</source>
        <translation>{name} ({kana})</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="357"/>
        <source>{year}年生まれ</source>
        <translation>born {year}</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="360"/>
        <source>・</source>
        <comment>between match reasons</comment>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="362"/>
        <source>［{reasons}］</source>
        <translation>[{reasons}]</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="384"/>
        <source>登録済みの対象者「{name}（{kana}）」のケースとして開きます。新しい対象者は登録しません。</source>
        <translation>The case will be opened for the registered person &quot;{name} ({kana})&quot;. No new person is registered.</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="390"/>
        <source>この人には対応中のケースがあります（{stage}、{since}から）。同じ相談なら、新しいケースを作らずに既存のケースを開いてください。</source>
        <translation>This person already has an active case ({stage}, since {since}). If it is about the same matter, open the existing case instead of creating a new one.</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="408"/>
        <location filename="../../ui/new_case_dialog.py" line="463"/>
        <source>{n}文字以内で入力してください。</source>
        <translation>Please use at most {n} characters.</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="411"/>
        <source>生年は1900年から{year}年までの西暦で入力してください（例: 1950）。</source>
        <translation>Enter the birth year as a year from 1900 to {year} (e.g. 1950).</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="415"/>
        <source>ふりがなを入力してください。</source>
        <translation>Please enter the reading.</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="416"/>
        <source>ふりがなは、ひらがなかカタカナで入力してください。</source>
        <translation>Please write the reading in hiragana or katakana.</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="418"/>
        <location filename="../../ui/new_case_dialog.py" line="453"/>
        <source>地区を選んでください。</source>
        <translation>Please choose a district.</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="420"/>
        <location filename="../../ui/new_case_dialog.py" line="460"/>
        <source>把握の経路を選んでください。</source>
        <translation>Please choose the referral source.</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="422"/>
        <source>関連する記録（担当チームなど）が見つかりません。削除された可能性があります。</source>
        <translation>A related record (such as the team) was not found. It may have been deleted.</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="426"/>
        <source>氏名を入力してください。</source>
        <translation>Please enter the name.</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="428"/>
        <source>世帯名を入力してください。</source>
        <translation>Please enter the household name.</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="429"/>
        <source>入力してください。</source>
        <translation>Please fill this in.</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="430"/>
        <source>入力内容を確認してください。</source>
        <translation>Please check what was entered.</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="450"/>
        <source>よみか氏名が同じ人が、すでに登録されています。同じ人なら一覧から選び、別の人なら「別の人として登録する」にチェックしてください。</source>
        <translation>A person with the same reading or name is already registered. If it is the same person, pick them from the list; if not, tick &quot;Register as another person&quot;.</translation>
    </message>
    <message>
        <location filename="../../ui/new_case_dialog.py" line="509"/>
        <source>保存できませんでした。もう一度お試しください。</source>
        <translation>Could not save. Please try again.</translation>
    </message>
</context>
<context>
    <name>NotesTab</name>
    <message>
        <location filename="../../ui/notes_tab.py" line="56"/>
        <source>関係づくりメモの一覧</source>
        <translation>Relationship notes</translation>
    </message>
    <message>
        <location filename="../../ui/notes_tab.py" line="62"/>
        <source>メモはまだありません。下の欄に書いて追加できます。</source>
        <translation>No notes yet. Write one in the box below to add it.</translation>
    </message>
    <message>
        <location filename="../../ui/notes_tab.py" line="73"/>
        <source>このメモを改訂(&amp;E)</source>
        <translation>R&amp;evise this note</translation>
    </message>
    <message>
        <location filename="../../ui/notes_tab.py" line="95"/>
        <source>例: 釣りの話題だと表情がやわらぐ。父親の話は避ける。</source>
        <translation>e.g. Relaxes when talking about fishing. Avoid talking about the father.</translation>
    </message>
    <message>
        <location filename="../../ui/notes_tab.py" line="102"/>
        <source>メモを保存(&amp;W)</source>
        <translation>Save note (&amp;W)</translation>
    </message>
    <message>
        <location filename="../../ui/notes_tab.py" line="105"/>
        <source>新しいメモにする</source>
        <translation>Make it a new note</translation>
    </message>
    <message>
        <location filename="../../ui/notes_tab.py" line="143"/>
        <source>【競合あり】{text}</source>
        <translation>[conflict] {text}</translation>
    </message>
    <message>
        <location filename="../../ui/notes_tab.py" line="202"/>
        <source>改訂 {count} 回&#x3000;最終: {when}（{name}）</source>
        <translation>Revised {count} times, last: {when} ({name})</translation>
    </message>
    <message>
        <location filename="../../ui/notes_tab.py" line="214"/>
        <source>同時に書かれた版が {count} つあります。内容を確かめ、1つにまとめて保存してください。</source>
        <translation>{count} versions were written at the same time. Check them and save one merged version.</translation>
    </message>
    <message>
        <location filename="../../ui/notes_tab.py" line="222"/>
        <source>{name}&#x3000;{when}</source>
        <translation>{name}, {when}</translation>
    </message>
    <message>
        <location filename="../../ui/notes_tab.py" line="228"/>
        <source>この版を編集欄へ</source>
        <translation>Copy this version to the editor</translation>
    </message>
    <message>
        <location filename="../../ui/notes_tab.py" line="242"/>
        <source>新しいメモ(&amp;I)</source>
        <translation>New note (&amp;I)</translation>
    </message>
    <message>
        <location filename="../../ui/notes_tab.py" line="253"/>
        <source>選択したメモを改訂(&amp;I)</source>
        <translation>Revise the selected note (&amp;I)</translation>
    </message>
    <message>
        <location filename="../../ui/notes_tab.py" line="264"/>
        <source>メモを入力してください。</source>
        <translation>Write the note.</translation>
    </message>
    <message>
        <location filename="../../ui/notes_tab.py" line="278"/>
        <source>メモが長すぎます。</source>
        <translation>The note is too long.</translation>
    </message>
    <message>
        <location filename="../../ui/notes_tab.py" line="279"/>
        <source>入力内容を確認してください。</source>
        <translation>Check what you entered.</translation>
    </message>
    <message>
        <location filename="../../ui/notes_tab.py" line="285"/>
        <source>保存できませんでした。もう一度お試しください。</source>
        <translation>Could not save. Please try again.</translation>
    </message>
</context>
<context>
    <name>OfflineExpiredPage</name>
    <message>
        <location filename="../../ui/offline_page.py" line="37"/>
        <source>オフライン期間の上限を過ぎました</source>
        <translation>The offline limit has passed</translation>
    </message>
    <message>
        <location filename="../../ui/offline_page.py" line="41"/>
        <source>今すぐ同期</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location filename="../../ui/offline_page.py" line="50"/>
        <source>解除コード</source>
        <translation>Unlock code</translation>
    </message>
    <message>
        <location filename="../../ui/offline_page.py" line="52"/>
        <source>管理者から受け取った解除コード(&amp;C)</source>
        <translation>Unlock &amp;code from your administrator</translation>
    </message>
    <message>
        <location filename="../../ui/offline_page.py" line="54"/>
        <source>コードで解除</source>
        <translation>Unlock with code</translation>
    </message>
    <message>
        <location filename="../../ui/offline_page.py" line="76"/>
        <source>この端末は {days} 日以上サーバーと同期していません。紛失した端末を守るため、記録を開く前に一度同期してください。同期できない場所では、管理者に電話で解除コードを発行してもらえます。</source>
        <translation>This laptop has not synced with the server for more than {days} days. To protect a lost laptop, please sync once before opening the records. Where you cannot sync, your administrator can give you an unlock code over the phone.</translation>
    </message>
    <message>
        <location filename="../../ui/offline_page.py" line="89"/>
        <source>あと {n} 秒待ってから入力してください。</source>
        <translation>Please wait {n} seconds before trying again.</translation>
    </message>
    <message>
        <location filename="../../ui/offline_page.py" line="93"/>
        <source>解除コードを入力してください。</source>
        <translation>Please enter the unlock code.</translation>
    </message>
    <message>
        <location filename="../../ui/offline_page.py" line="111"/>
        <source>解除コードが正しくないか、すでに使われています。</source>
        <translation>The unlock code is wrong or has already been used.</translation>
    </message>
    <message>
        <location filename="../../ui/offline_page.py" line="117"/>
        <source>解除コードを確認できませんでした。</source>
        <translation>The unlock code could not be checked.</translation>
    </message>
</context>
<context>
    <name>PassphraseText</name>
    <message>
        <location filename="../../ui/passphrase_text.py" line="18"/>
        <source>パスフレーズは{n}文字以上にしてください。</source>
        <translation>The passphrase must be at least {n} characters long.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_text.py" line="21"/>
        <source>パスフレーズは{n}文字以上にしてください（いま{count}文字）。</source>
        <translation>The passphrase must be at least {n} characters long (now {count}).</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_text.py" line="25"/>
        <source>使っている文字の種類が少なすぎます。{n}種類以上の文字を使ってください。</source>
        <translation>Too few different characters. Use at least {n} different characters.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_text.py" line="29"/>
        <source>同じ文字や言葉の繰り返しは推測されやすいため使えません。</source>
        <translation>Repeated characters or words are easy to guess and cannot be used.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_text.py" line="31"/>
        <source>「abc」「6543」のような並びは推測されやすいため使えません。</source>
        <translation>Sequences like “abc” or “6543” are easy to guess and cannot be used.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_text.py" line="33"/>
        <source>キーボードで隣り合うキーの並び（qwerty など）は推測されやすいため使えません。</source>
        <translation>Rows of neighbouring keys (such as qwerty) are easy to guess and cannot be used.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_text.py" line="36"/>
        <source>よく使われるパスワード（またはそれに近いもの）のため使えません。</source>
        <translation>This is (or is close to) a commonly used password and cannot be used.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_text.py" line="38"/>
        <source>一つの単語だけでは推測されやすいため使えません。言葉をいくつかつなげてください。</source>
        <translation>A single word is easy to guess and cannot be used. Join several words together.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_text.py" line="41"/>
        <source>人の名前だけでは推測されやすいため使えません。</source>
        <translation>A name on its own is easy to guess and cannot be used.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_text.py" line="43"/>
        <source>あなたの名前や担当チームの名前は推測されやすいため使えません。</source>
        <translation>Your own name or your team&apos;s name is easy to guess and cannot be used.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_text.py" line="45"/>
        <source>日付や年は推測されやすいため使えません。</source>
        <translation>Dates and years are easy to guess and cannot be used.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_text.py" line="48"/>
        <source>推測されやすいパスフレーズのため使えません。覚えやすい言葉をいくつかつなげてください。</source>
        <translation>This passphrase is too easy to guess and cannot be used. Join a few easy-to-remember words together.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_text.py" line="58"/>
        <source>ディスクの空き容量が足りないため、書き込めませんでした。これまでの記録は失われていません。不要なファイルを削除してから、もう一度お試しください。</source>
        <translation>The disk is full, so nothing could be written. No records were lost. Delete files you no longer need and try again.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_text.py" line="62"/>
        <source>鍵ファイル（outreach-desk.key）の設定が、このアプリで扱える範囲を超えています。書き換えられたか壊れているため、開く前に止めました。バックアップから復元してください。</source>
        <translation>The key file (outreach-desk.key) asks for settings beyond what this app accepts. It was edited or is damaged, so it was stopped before opening. Please restore from a backup.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_text.py" line="67"/>
        <source>鍵ファイル（outreach-desk.key）が壊れているため、記録を開けません（パスフレーズの誤りではありません）。バックアップから復元してください。</source>
        <translation>The key file (outreach-desk.key) is damaged, so the records cannot be opened (the passphrase is not the problem). Please restore from a backup.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_text.py" line="71"/>
        <source>記録のファイルが壊れているため、開けません。バックアップから復元するか、サーバーから同期し直してください。</source>
        <translation>The records file is damaged and cannot be opened. Restore it from a backup, or sync it again from the server.</translation>
    </message>
    <message>
        <location filename="../../ui/passphrase_text.py" line="75"/>
        <source>この記録は新しい版の Outreach Desk で作られています。アプリを更新してください。</source>
        <translation>These records were made by a newer version of Outreach Desk. Please update the app.</translation>
    </message>
</context>
<context>
    <name>PlansTab</name>
    <message>
        <location filename="../../ui/plan_tab.py" line="54"/>
        <source>決裁済み（{name}、{when}）</source>
        <translation>Approved ({name}, {when})</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="63"/>
        <source>現行プラン: 決裁済みのプランなし</source>
        <translation>Current plan: none approved</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="64"/>
        <source>現行プラン: モニタリング {day}、{approval}</source>
        <translation>Current plan: monitoring {day}, {approval}</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="67"/>
        <source>&#x3000;※変更が決裁待ち</source>
        <translation>  * a change awaits approval</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="84"/>
        <source>支援プランの一覧</source>
        <translation>Support plans</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="88"/>
        <source>支援プランはまだありません。</source>
        <translation>No support plan yet.</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="90"/>
        <source>このプランを編集(&amp;E)</source>
        <translation>&amp;Edit this plan</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="96"/>
        <source>決裁する(&amp;A)</source>
        <translation>&amp;Approve</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="99"/>
        <source>このプランを今の内容で決裁します。決裁後に編集すると、また決裁待ちになります。</source>
        <translation>Approve this plan as it stands. Editing it afterwards sends it back for approval.</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="124"/>
        <source>1行に1つずつ書きます</source>
        <translation>One per line</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="130"/>
        <source>例: 月1回の見守り訪問</source>
        <translation>e.g. a monthly check-in visit</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="132"/>
        <source>役割を追加</source>
        <translation>Add role</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="142"/>
        <source>選んだ役割を削除</source>
        <translation>Remove selected role</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="147"/>
        <source>yyyy年M月d日(ddd)</source>
        <translation>ddd yyyy-MM-dd</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="154"/>
        <source>プランを保存(&amp;W)</source>
        <translation>Save plan (&amp;W)</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="157"/>
        <source>新しいプランにする</source>
        <translation>Make it a new plan</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="160"/>
        <source>目標(&amp;G)</source>
        <translation>&amp;Goals</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="163"/>
        <source>役割分担(&amp;L)</source>
        <translation>Ro&amp;les</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="168"/>
        <source>モニタリング時期(&amp;O)</source>
        <translation>M&amp;onitoring date</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="200"/>
        <source>決裁済み</source>
        <translation>Approved</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="200"/>
        <location filename="../../ui/plan_tab.py" line="295"/>
        <source>決裁待ち</source>
        <translation>Awaiting approval</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="201"/>
        <source>［{state}］モニタリング {day}: {goal}</source>
        <translation>[{state}] Monitoring {day}: {goal}</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="274"/>
        <source>決裁待ち（この内容はまだ決裁されていません）</source>
        <translation>Awaiting approval (this content has not been approved yet)</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="279"/>
        <source>目標</source>
        <translation>Goals</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="279"/>
        <source>役割分担</source>
        <translation>Roles</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="280"/>
        <source>モニタリング時期</source>
        <translation>Monitoring date</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="295"/>
        <source>未決裁</source>
        <translation>Not approved</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="296"/>
        <source>第{n}版&#x3000;{who}が保存 — {state}</source>
        <translation>Version {n}, saved by {who} — {state}</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="316"/>
        <source>決裁できるのはスーパーバイザーだけです。</source>
        <translation>Only a supervisor can approve.</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="321"/>
        <source>決裁できませんでした。もう一度お試しください。</source>
        <translation>Could not approve. Please try again.</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="330"/>
        <source>新しい支援プラン</source>
        <translation>New support plan</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="343"/>
        <source>支援プランの編集</source>
        <translation>Edit support plan</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="355"/>
        <source>{agency}: {role}</source>
        <translation>{agency}: {role}</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="364"/>
        <source>関係機関を選び、役割を入力してください。</source>
        <translation>Choose an agency and enter its role.</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="386"/>
        <source>目標を1つ以上入力してください。</source>
        <translation>Enter at least one goal.</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="396"/>
        <source>入力内容を確認してください（長すぎる項目や空の項目があります）。</source>
        <translation>Check what you entered (an entry is too long or empty).</translation>
    </message>
    <message>
        <location filename="../../ui/plan_tab.py" line="400"/>
        <source>保存できませんでした。もう一度お試しください。</source>
        <translation>Could not save. Please try again.</translation>
    </message>
</context>
<context>
    <name>Refused</name>
    <message>
        <location filename="../../ui/refused_dialog.py" line="42"/>
        <source>訪問・連絡記録</source>
        <translation>Visit / contact</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="43"/>
        <source>訂正</source>
        <translation>Amendment</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="44"/>
        <source>ケース</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="45"/>
        <source>対象者</source>
        <translation>Person</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="46"/>
        <source>世帯</source>
        <translation>Household</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="47"/>
        <source>関係づくりメモ</source>
        <translation>Relationship note</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="48"/>
        <source>支援プラン</source>
        <translation>Support plan</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="49"/>
        <source>会議</source>
        <translation>Meeting</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="50"/>
        <source>同意の記録</source>
        <translation>Consent record</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="51"/>
        <source>アクセス記録</source>
        <translation>Access record</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="54"/>
        <source>日時</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="55"/>
        <source>種別</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="56"/>
        <source>会えた人</source>
        <translation>Met with</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="57"/>
        <source>内容</source>
        <translation>What happened</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="58"/>
        <source>本人の反応</source>
        <translation>Reaction</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="59"/>
        <source>関係の段階</source>
        <translation>Relationship stage</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="60"/>
        <source>次回の予定</source>
        <translation>Next action</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="61"/>
        <source>期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="62"/>
        <source>メモ</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="63"/>
        <source>把握の経緯</source>
        <translation>How the case was found</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="64"/>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="65"/>
        <source>備考</source>
        <translation>Remarks</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="66"/>
        <source>決定事項</source>
        <translation>Decisions</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="105"/>
        <source>（記録の削除）</source>
        <translation>(record deleted)</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="114"/>
        <source>{kind}（{name}）</source>
        <translation>{kind} ({name})</translation>
    </message>
</context>
<context>
    <name>RefusedCard</name>
    <message>
        <location filename="../../ui/refused_dialog.py" line="130"/>
        <source>{when} に送信を拒否されました</source>
        <translation>Refused by the server on {when}</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="132"/>
        <source>理由: {reason}</source>
        <translation>Reason: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="139"/>
        <source>コピー</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="141"/>
        <source>書いた内容をクリップボードにコピーします</source>
        <translation>Copy what was written to the clipboard</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="143"/>
        <source>確認済み</source>
        <translation>Dealt with</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="145"/>
        <source>対応が済んだら一覧から外します</source>
        <translation>Take it off the list once you have dealt with it</translation>
    </message>
</context>
<context>
    <name>RefusedChangesDialog</name>
    <message>
        <location filename="../../ui/refused_dialog.py" line="169"/>
        <source>送信できなかった変更</source>
        <translation>Changes not accepted</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="173"/>
        <source>次の変更は担当チームの外の記録に書かれたため、サーバーが受け付けませんでした。この端末には残っていますが、ほかの端末には届きません。内容をコピーして担当チームに伝え、済んだら「確認済み」を押してください。</source>
        <translation>The server did not accept these changes because they were written to records outside your team. They stay on this laptop but reach no other laptop. Copy what you wrote, pass it to the team in charge, then press “Dealt with”.</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="177"/>
        <source>送信できなかった変更はありません。</source>
        <translation>No changes were refused.</translation>
    </message>
    <message>
        <location filename="../../ui/refused_dialog.py" line="185"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>ReportView</name>
    <message>
        <location filename="../../ui/report_view.py" line="108"/>
        <source>{y}年{m}月</source>
        <translation>{m}/{y}</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="113"/>
        <source>全チーム</source>
        <translation>All teams</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="119"/>
        <source>CSVに書き出す…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="122"/>
        <source>PDFに書き出す…</source>
        <translation>Export PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="126"/>
        <source>対象月</source>
        <translation>Month</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="126"/>
        <source>担当チーム</source>
        <translation>Team</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="133"/>
        <location filename="../../ui/report_view.py" line="139"/>
        <source>実人数</source>
        <translation>People</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="133"/>
        <location filename="../../ui/report_view.py" line="134"/>
        <location filename="../../ui/report_view.py" line="136"/>
        <location filename="../../ui/report_view.py" line="137"/>
        <source>件数</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="136"/>
        <source>把握の経路（入口）</source>
        <translation>Referral source</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="137"/>
        <source>支援段階の移行</source>
        <translation>Stage transition</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="134"/>
        <source>種別・会えた人</source>
        <translation>Kind / who was met</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="134"/>
        <source>会えた</source>
        <translation>Contact made</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="135"/>
        <source>会えず</source>
        <translation>No contact</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="140"/>
        <source>訪問・連絡（延べ件数。会えずは種別を問わず同じに数えます）</source>
        <translation>Visits and contacts (attempts without contact counted alike whatever the kind)</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="142"/>
        <source>新規ケース（把握の経路別）</source>
        <translation>New cases (by referral source)</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="143"/>
        <source>支援段階の移行・終結・中断</source>
        <translation>Stage transitions, closings, suspensions</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="162"/>
        <source>集計しています…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="168"/>
        <source>集計できませんでした。もう一度お試しください。</source>
        <translation>The figures could not be read. Please try again.</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="177"/>
        <source>訪問・連絡を行ったケース</source>
        <translation>Cases visited or contacted</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="178"/>
        <source>本人または家族に会えたケース</source>
        <translation>Cases where the person or family was met</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="179"/>
        <source>本人に会えたケース</source>
        <translation>Cases where the person was met</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="182"/>
        <location filename="../../ui/report_view.py" line="189"/>
        <source>合計</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="185"/>
        <source>会えた人: {who}</source>
        <translation>Met: {who}</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="190"/>
        <source>{before} → {after}</source>
        <translation>{before} → {after}</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="196"/>
        <source>うち終結</source>
        <translation>of which closed</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="197"/>
        <source>うち中断</source>
        <translation>of which suspended</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="199"/>
        <source>{month}（{team}）の集計です。</source>
        <translation>Figures for {month} ({team}).</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="206"/>
        <source>事業報告_{y}-{m}</source>
        <translation>activity-report_{y}-{m}</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="218"/>
        <source>CSV ファイル (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="221"/>
        <source>PDF ファイル (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="226"/>
        <source>書き出し先</source>
        <translation>Export to</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="233"/>
        <source>書き出せませんでした</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="234"/>
        <source>ファイルを書き出せませんでした: {reason}</source>
        <translation>The file could not be written: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/report_view.py" line="236"/>
        <source>書き出しました: {path}</source>
        <translation>Exported: {path}</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <location filename="../../ui/restore_dialog.py" line="30"/>
        <source>バックアップから復元</source>
        <translation>Restore from a backup</translation>
    </message>
    <message>
        <location filename="../../ui/restore_dialog.py" line="35"/>
        <source>例: outreach-desk-20260501-1730.odbackup</source>
        <translation>e.g. outreach-desk-20260501-1730.odbackup</translation>
    </message>
    <message>
        <location filename="../../ui/restore_dialog.py" line="36"/>
        <source>参照…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../ui/restore_dialog.py" line="46"/>
        <source>バックアップファイル</source>
        <translation>Backup file</translation>
    </message>
    <message>
        <location filename="../../ui/restore_dialog.py" line="48"/>
        <source>パスフレーズ</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/restore_dialog.py" line="49"/>
        <source>バックアップを作成したときのパスフレーズです。</source>
        <translation>The passphrase in use when the backup was made.</translation>
    </message>
    <message>
        <location filename="../../ui/restore_dialog.py" line="53"/>
        <source>バックアップの内容を確認してから、この端末の記録として復元します。</source>
        <translation>The backup is checked first, then restored as the records of this computer.</translation>
    </message>
    <message>
        <location filename="../../ui/restore_dialog.py" line="55"/>
        <source>復元する</source>
        <translation>Restore</translation>
    </message>
    <message>
        <location filename="../../ui/restore_dialog.py" line="60"/>
        <source>バックアップファイルを選ぶ</source>
        <translation>Choose a backup file</translation>
    </message>
    <message>
        <location filename="../../ui/restore_dialog.py" line="61"/>
        <source>Outreach Desk バックアップ (*.odbackup);;すべてのファイル (*)</source>
        <translation>Outreach Desk backups (*.odbackup);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../ui/restore_dialog.py" line="68"/>
        <source>バックアップファイルを選んでください。</source>
        <translation>Please choose a backup file.</translation>
    </message>
    <message>
        <location filename="../../ui/restore_dialog.py" line="70"/>
        <source>パスフレーズを入力してください。</source>
        <translation>Please enter the passphrase.</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../../ui/session.py" line="159"/>
        <source>記録の保存場所を準備しています…</source>
        <translation>Preparing the record store…</translation>
    </message>
    <message>
        <location filename="../../ui/session.py" line="169"/>
        <source>デモデータを作成しています…（ケース {done} / {total} 件）</source>
        <translation>Creating demo data… (cases {done} / {total})</translation>
    </message>
    <message>
        <location filename="../../ui/session.py" line="175"/>
        <source>デモデータの仕上げをしています…</source>
        <translation>Finishing the demo data…</translation>
    </message>
    <message>
        <location filename="../../ui/session.py" line="181"/>
        <source>デモデータを作成しています…</source>
        <translation>Creating demo data…</translation>
    </message>
    <message>
        <location filename="../../ui/session.py" line="187"/>
        <source>あと {n} 秒待ってから入力してください。</source>
        <translation>Please wait {n} more seconds before trying again.</translation>
    </message>
    <message>
        <location filename="../../ui/session.py" line="189"/>
        <source>解錠しています…</source>
        <translation>Unlocking…</translation>
    </message>
    <message>
        <location filename="../../ui/session.py" line="199"/>
        <source>バックアップを確認して復元しています…</source>
        <translation>Checking and restoring the backup…</translation>
    </message>
    <message>
        <location filename="../../ui/session.py" line="232"/>
        <source>パスフレーズが違います。</source>
        <translation>Wrong passphrase.</translation>
    </message>
    <message>
        <location filename="../../ui/session.py" line="234"/>
        <source>続けて間違えたため、{n} 秒待ってから入力してください。</source>
        <translation>After several wrong attempts, please wait {n} seconds before trying again.</translation>
    </message>
    <message>
        <location filename="../../ui/session.py" line="241"/>
        <source>このファイルは Outreach Desk のバックアップではないか、壊れています。</source>
        <translation>This file is not an Outreach Desk backup, or it is damaged.</translation>
    </message>
    <message>
        <location filename="../../ui/session.py" line="245"/>
        <source>記録を開けませんでした: {reason}</source>
        <translation>The records could not be opened: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/session.py" line="249"/>
        <source>記録を開けませんでした。もう一度お試しください。</source>
        <translation>The records could not be opened. Please try again.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settings_dialog.py" line="93"/>
        <source>設定</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="100"/>
        <source>日本語</source>
        <translation>Japanese</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="105"/>
        <source>表示言語の変更は、アプリを再起動すると反映されます。</source>
        <translation>A new display language takes effect when the app is restarted.</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="109"/>
        <source>西暦（2026年12月8日）</source>
        <translation>Western (2026-12-08)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="110"/>
        <source>和暦（令和8年12月8日）</source>
        <translation>Japanese era (Reiwa 8, 12/8)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="112"/>
        <source>会議資料と事業報告の PDF の日付の書き方です。</source>
        <translation>How dates are written in the meeting material and monthly report PDFs.</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="117"/>
        <source> 分</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="119"/>
        <source>自動ロックまでの時間（分）</source>
        <translation>Minutes until automatic lock</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="121"/>
        <source>この時間、操作がないと画面をロックします。入力中の内容は下書きとして残ります。</source>
        <translation>The screen locks after this long without activity. Anything being typed is kept as a draft.</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="127"/>
        <source>フォルダを開く(&amp;O)</source>
        <translation>&amp;Open folder</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="132"/>
        <source>パスフレーズを変更(&amp;P)…</source>
        <translation>Change &amp;passphrase…</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="139"/>
        <source>例: https://sync.example.jp</source>
        <translation>e.g. https://sync.example.jp</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="144"/>
        <source>ネットワークにつながっているとき、記録はこのサーバーと自動で同期されます。</source>
        <translation>While the network is available, records are synced with this server automatically.</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="150"/>
        <source>証明書ファイルを選ぶ(&amp;R)…</source>
        <translation>Choose ce&amp;rtificate file…</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="154"/>
        <source>解除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="162"/>
        <source>例: K7QF-2M9X-P4TR-8HWD</source>
        <translation>e.g. K7QF-2M9X-P4TR-8HWD</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="163"/>
        <source>この端末を登録(&amp;E)</source>
        <translation>&amp;Enroll this computer</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="177"/>
        <source>表示言語(&amp;L)</source>
        <translation>Display &amp;language</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="178"/>
        <source>日付の書き方(&amp;W)</source>
        <translation>Date style (&amp;W)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="180"/>
        <source>自動ロック(&amp;A)</source>
        <translation>&amp;Automatic lock</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="182"/>
        <source>データフォルダ(&amp;D)</source>
        <translation>&amp;Data folder</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="184"/>
        <source>パスフレーズ</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="186"/>
        <source>サーバーのアドレス(&amp;S)</source>
        <translation>&amp;Server address</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="188"/>
        <source>サーバー証明書</source>
        <translation>Server certificate</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="191"/>
        <source>登録コード(&amp;C)</source>
        <translation>Enrollment &amp;code</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="235"/>
        <source>http:// か https:// で始まるアドレスを入力してください（例: https://sync.example.jp:8443）。使わないときは空欄にします。</source>
        <translation>Enter an address starting with http:// or https:// (e.g. https://sync.example.jp:8443). Leave it empty if not used.</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="239"/>
        <source>http:// の通信は暗号化されません。ふつうは https:// を使ってください。</source>
        <translation>Traffic over http:// is not encrypted. Normally use https://.</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="249"/>
        <source>パソコンの証明書ストアでサーバーを確認します。自治体の認証局を使う場合は、その証明書ファイル（PEM）を選んでください。</source>
        <translation>The server is checked against this computer&apos;s certificate store. If your municipality uses its own certificate authority, choose its certificate file (PEM).</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="253"/>
        <source>設定済み: {subject}（有効期限 {until}）</source>
        <translation>Set: {subject} (valid until {until})</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="259"/>
        <source>サーバー証明書（CA）を選ぶ</source>
        <translation>Choose the server certificate (CA)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="260"/>
        <source>証明書 (*.pem *.crt *.cer);;すべてのファイル (*)</source>
        <translation>Certificates (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="271"/>
        <source>PEM 形式の証明書ファイルではありません。</source>
        <translation>This is not a certificate file in PEM format.</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="286"/>
        <source>デモ版の記録（架空のデータ）はサーバーに登録・同期できません。</source>
        <translation>The demo records (fictional data) cannot be enrolled with or synced to a server.</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="290"/>
        <source>登録済み: {login}（{teams}）</source>
        <translation>Enrolled: {login} ({teams})</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="294"/>
        <source>未登録です。同期するには、管理者から受け取った登録コードを入力して登録します。</source>
        <translation>Not enrolled. To sync, enter the enrollment code from your administrator and enroll.</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="301"/>
        <source>登録の前に、サーバーのアドレスを入力してください。</source>
        <translation>Enter the server address before enrolling.</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="306"/>
        <source>登録コードを入力してください。</source>
        <translation>Enter the enrollment code.</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="311"/>
        <source>登録しています…</source>
        <translation>Enrolling…</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="331"/>
        <source>登録できませんでした。もう一度お試しください。</source>
        <translation>Could not enroll. Please try again.</translation>
    </message>
</context>
<context>
    <name>StageDialog</name>
    <message>
        <location filename="../../ui/stage_dialog.py" line="41"/>
        <source>支援段階の変更</source>
        <translation>Change support stage</translation>
    </message>
    <message>
        <location filename="../../ui/stage_dialog.py" line="48"/>
        <source>現在の支援段階: {stage}（{since}から）</source>
        <translation>Current stage: {stage} (since {since})</translation>
    </message>
    <message>
        <location filename="../../ui/stage_dialog.py" line="62"/>
        <source>yyyy年M月d日(ddd)</source>
        <translation>ddd yyyy-MM-dd</translation>
    </message>
    <message>
        <location filename="../../ui/stage_dialog.py" line="67"/>
        <source>例: 本人と初めて会えたため</source>
        <translation>e.g. met the person for the first time</translation>
    </message>
    <message>
        <location filename="../../ui/stage_dialog.py" line="74"/>
        <source>新しい段階(&amp;S)</source>
        <translation>New &amp;stage</translation>
    </message>
    <message>
        <location filename="../../ui/stage_dialog.py" line="75"/>
        <source>変更日(&amp;D)</source>
        <translation>&amp;Date</translation>
    </message>
    <message>
        <location filename="../../ui/stage_dialog.py" line="76"/>
        <source>理由(&amp;R)</source>
        <translation>&amp;Reason</translation>
    </message>
    <message>
        <location filename="../../ui/stage_dialog.py" line="86"/>
        <source>変更する</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../ui/stage_dialog.py" line="108"/>
        <source>現在と同じ段階です。新しい段階を選んでください。</source>
        <translation>This is the current stage. Choose the new stage.</translation>
    </message>
    <message>
        <location filename="../../ui/stage_dialog.py" line="110"/>
        <source>未来の日付にはできません。</source>
        <translation>The date cannot be in the future.</translation>
    </message>
    <message>
        <location filename="../../ui/stage_dialog.py" line="112"/>
        <source>今の段階になった日（{day}）より前にはできません。</source>
        <translation>The date cannot be before the current stage began ({day}).</translation>
    </message>
    <message>
        <location filename="../../ui/stage_dialog.py" line="115"/>
        <source>変更の理由を入力してください。</source>
        <translation>Enter the reason for the change.</translation>
    </message>
    <message>
        <location filename="../../ui/stage_dialog.py" line="124"/>
        <source>入力内容を確認してください。</source>
        <translation>Check what you entered.</translation>
    </message>
    <message>
        <location filename="../../ui/stage_dialog.py" line="128"/>
        <source>変更できませんでした。もう一度お試しください。</source>
        <translation>Could not change the stage. Please try again.</translation>
    </message>
</context>
<context>
    <name>StageHistoryTab</name>
    <message>
        <location filename="../../ui/case_tabs.py" line="217"/>
        <source>日付</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="217"/>
        <source>支援段階</source>
        <translation>Support stage</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="217"/>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="217"/>
        <source>記録者</source>
        <translation>Recorded by</translation>
    </message>
    <message>
        <location filename="../../ui/case_tabs.py" line="218"/>
        <source>支援段階を変更…</source>
        <translation>Change support stage…</translation>
    </message>
</context>
<context>
    <name>SupervisionTabs</name>
    <message>
        <location filename="../../ui/supervision.py" line="33"/>
        <location filename="../../ui/supervision.py" line="102"/>
        <source>チーム状況</source>
        <translation>Team dashboard</translation>
    </message>
    <message>
        <location filename="../../ui/supervision.py" line="35"/>
        <source>段階・地区・担当者別のケース数、週ごとの訪問件数、期限切れや連絡のないケース (Ctrl+4)</source>
        <translation>Cases by stage, district and worker, weekly visits, overdue and silent cases (Ctrl+4)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision.py" line="38"/>
        <location filename="../../ui/supervision.py" line="105"/>
        <source>事業報告</source>
        <translation>Activity report</translation>
    </message>
    <message>
        <location filename="../../ui/supervision.py" line="39"/>
        <source>月ごとの活動の集計と CSV・PDF 書き出し (Ctrl+5)</source>
        <translation>Monthly activity figures, exported as CSV or PDF (Ctrl+5)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision.py" line="41"/>
        <location filename="../../ui/supervision.py" line="108"/>
        <source>会議の準備</source>
        <translation>Meeting preparation</translation>
    </message>
    <message>
        <location filename="../../ui/supervision.py" line="43"/>
        <source>会議の種別・出席機関・ケースを選び、同意の範囲を確かめて資料を作成します (Ctrl+6)</source>
        <translation>Choose the meeting kind, agencies and cases, check consent, and make the material (Ctrl+6)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision.py" line="47"/>
        <source>集計・会議(&amp;R)</source>
        <translation>&amp;Reports and meetings</translation>
    </message>
    <message>
        <location filename="../../ui/supervision.py" line="54"/>
        <location filename="../../ui/supervision.py" line="79"/>
        <location filename="../../ui/supervision.py" line="111"/>
        <source>コメント</source>
        <translation>Comments</translation>
    </message>
    <message>
        <location filename="../../ui/supervision.py" line="56"/>
        <source>担当ケースへのスーパーバイザーのコメント（未読） (Ctrl+9)</source>
        <translation>Unread supervisor comments on your cases (Ctrl+9)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision.py" line="58"/>
        <source>外出予定</source>
        <translation>Going out</translation>
    </message>
    <message>
        <location filename="../../ui/supervision.py" line="59"/>
        <source>今日の訪問予定と帰所予定の時刻 (Ctrl+7)</source>
        <translation>Today&apos;s planned visits and expected return (Ctrl+7)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision.py" line="61"/>
        <source>帰所しました</source>
        <translation>Back in the office</translation>
    </message>
    <message>
        <location filename="../../ui/supervision.py" line="62"/>
        <source>外出から戻ったことを記録します (Ctrl+8)</source>
        <translation>Record that you are back from the field (Ctrl+8)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision.py" line="65"/>
        <source>業務(&amp;W)</source>
        <translation>&amp;Work</translation>
    </message>
    <message>
        <location filename="../../ui/supervision.py" line="78"/>
        <source>コメント（未読 {n}）</source>
        <translation>Comments ({n} unread)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision.py" line="124"/>
        <source>外出予定を保存しました。帰所したら「帰所しました」を押してください。</source>
        <translation>Outing saved. Press &quot;Back in the office&quot; when you return.</translation>
    </message>
    <message>
        <location filename="../../ui/supervision.py" line="136"/>
        <source>帰所を記録できませんでした。</source>
        <translation>Could not record your return.</translation>
    </message>
    <message>
        <location filename="../../ui/supervision.py" line="140"/>
        <source>帰所を記録しました。</source>
        <translation>Your return is recorded.</translation>
    </message>
    <message>
        <location filename="../../ui/supervision.py" line="141"/>
        <source>今日の外出予定がないか、すでに帰所を記録しています。</source>
        <translation>No outing today, or your return is already recorded.</translation>
    </message>
</context>
<context>
    <name>SyncMessages</name>
    <message>
        <location filename="../../ui/status_bar.py" line="31"/>
        <source>サーバーに接続できません（オフライン）</source>
        <translation>Cannot reach the server (offline)</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="32"/>
        <source>サーバーから応答がありません（オフライン）</source>
        <translation>The server does not answer (offline)</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="33"/>
        <source>サーバーとアプリのバージョンが合いません。アプリを更新してください</source>
        <translation>The server and the app versions do not match. Please update the app</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="34"/>
        <source>サーバーでエラーが起きました。しばらくしてから再試行します</source>
        <translation>An error occurred on the server. Will try again shortly</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="35"/>
        <source>サーバーの応答を読み取れませんでした。しばらくしてから再試行します</source>
        <translation>The server&apos;s answer could not be read. Will try again shortly</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="36"/>
        <source>サーバーが同期を受け付けませんでした（{status}）</source>
        <translation>The server refused the sync ({status})</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="37"/>
        <source>サーバーのアドレスが正しくありません</source>
        <translation>The server address is not valid</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="38"/>
        <source>この端末のデータがサーバーの記録より古い状態です（バックアップから戻しましたか？）。管理者に連絡してください</source>
        <translation>This device&apos;s data is older than the server&apos;s records (was it restored from a backup?). Please contact your administrator</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="39"/>
        <source>この端末はサーバーに登録されていません。管理者から登録コードを受け取ってください</source>
        <translation>This computer is not enrolled with the server. Ask the administrator for an enrollment code</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="40"/>
        <source>この端末の登録は管理者により取り消されました。端末内のデータは消去されます</source>
        <translation>The administrator revoked this computer&apos;s enrollment. The data on it will be erased</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="41"/>
        <source>サーバーがこの操作を許可しませんでした（利用者が無効か、権限がありません）</source>
        <translation>The server did not allow this (the user is disabled or lacks permission)</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="42"/>
        <source>サーバーへの要求が多すぎます。しばらくしてから再試行します</source>
        <translation>Too many requests to the server. Will retry shortly</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="43"/>
        <source>登録コードが正しくないか、期限切れか、使用済みです</source>
        <translation>The enrollment code is wrong, expired or already used</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="44"/>
        <source>サーバーの証明書を確認できませんでした。設定のサーバー証明書（CA）を確認してください</source>
        <translation>Could not verify the server&apos;s certificate. Check the server certificate (CA) in Settings</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="45"/>
        <source>暗号化されていない http:// では同期できません。https:// のアドレスを使ってください</source>
        <translation>Cannot sync over unencrypted http://. Use an https:// address</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <location filename="../../ui/status_bar.py" line="84"/>
        <source>競合の一覧を開きます</source>
        <translation>Open the list of conflicts</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="90"/>
        <source>サーバーが受け付けなかった変更の一覧を開きます（書いた内容をコピーできます）</source>
        <translation>Open the changes the server did not accept (you can copy what you wrote)</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="130"/>
        <source>送信できなかった変更 {n}件</source>
        <translation>{n} changes not accepted</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="133"/>
        <source>未送信 {n}件</source>
        <translation>{n} unsent</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="135"/>
        <source>この端末で記録し、まだサーバーに送っていない変更の数です。</source>
        <translation>Changes recorded on this device that have not been sent to the server yet.</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="136"/>
        <source>この端末の変更はすべてサーバーに送ってあります。</source>
        <translation>All changes from this device have been sent to the server.</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="138"/>
        <source>競合 {n}件</source>
        <translation>{n} conflicts</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="146"/>
        <source>同期先未設定</source>
        <translation>No sync server set</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="147"/>
        <source>設定でサーバーのアドレスを入力すると、記録をサーバーと同期できます。</source>
        <translation>Enter a server address in Settings to sync your records with the server.</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="151"/>
        <source>同期中 ({done}/{total})</source>
        <translation>Syncing ({done}/{total})</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="152"/>
        <source>同期中…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="156"/>
        <source>オフライン</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="158"/>
        <source>{state}・{last}</source>
        <translation>{state} · {last}</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="161"/>
        <source>サーバーにつながっていません。記録はこの端末に保存され、つながったときに送られます。</source>
        <translation>Not connected to the server. Records are saved on this device and sent once connected.</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="166"/>
        <source>同期できませんでした</source>
        <translation>Sync failed</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="169"/>
        <source>未同期</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="177"/>
        <source>最終同期 {time}</source>
        <translation>Last sync {time}</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="178"/>
        <source>最終同期 {month}月{day}日 {time}</source>
        <translation>Last sync {month}/{day} {time}</translation>
    </message>
    <message>
        <location filename="../../ui/status_bar.py" line="184"/>
        <source>{time} にもう一度試します。</source>
        <translation>Will try again at {time}.</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <location filename="../../ui/timeline.py" line="176"/>
        <source>スーパービジョン: {text}</source>
        <translation>Supervision: {text}</translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <location filename="../../ui/timeline.py" line="343"/>
        <source>訪問記録の一覧</source>
        <translation>Visit records</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="354"/>
        <source>この記録を訂正</source>
        <translation>Correct this record</translation>
    </message>
</context>
<context>
    <name>UnlockPage</name>
    <message>
        <location filename="../../ui/pages.py" line="267"/>
        <source>記録はロックされています</source>
        <translation>The records are locked</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="268"/>
        <source>パスフレーズを入力して、ロックを解除してください。</source>
        <translation>Enter your passphrase to unlock.</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="273"/>
        <source>パスフレーズ</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="275"/>
        <source>パスフレーズ(&amp;P)</source>
        <translation>&amp;Passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="277"/>
        <source>入力したパスフレーズを表示する(&amp;S)</source>
        <translation>&amp;Show the passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="286"/>
        <source>デモ版です（架空のデータ）。パスフレーズ: {passphrase}</source>
        <translation>This is the demo (fictional data). Passphrase: {passphrase}</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="290"/>
        <source>ロック解除</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="319"/>
        <source>パスフレーズを入力してください。</source>
        <translation>Please enter your passphrase.</translation>
    </message>
    <message>
        <location filename="../../ui/pages.py" line="346"/>
        <source>あと {n} 秒で、もう一度入力できます。</source>
        <translation>You can try again in {n} seconds.</translation>
    </message>
</context>
<context>
    <name>VisitForm</name>
    <message>
        <location filename="../../ui/visit_form.py" line="118"/>
        <source>不在（置き手紙） Alt+A</source>
        <translation>Nobody home (letter left) Alt+A</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="121"/>
        <source>会えなかった訪問を入力します: 種別「手紙・置き手紙」、会えた人「会えず」、次回の予定「再訪」。続けて Ctrl+Enter で保存します。</source>
        <translation>Fills in a visit where nobody was met: kind &quot;Letter&quot;, met &quot;No contact&quot;, next action &quot;Visit again&quot;. Then press Ctrl+Enter to save.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="128"/>
        <source>yyyy年M月d日(ddd) HH:mm</source>
        <translation>ddd yyyy-MM-dd HH:mm</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="135"/>
        <source>例: 自宅、公民館</source>
        <translation>e.g. home, community hall</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="140"/>
        <source> 分</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="141"/>
        <source>未記入</source>
        <translation>Not recorded</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="142"/>
        <source>古い記録の後日入力です</source>
        <translation>Late entry of an old record</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="144"/>
        <source>ケースの開始日より前の日付で記録します。紙の記録などを後から入力するときに使います。</source>
        <translation>Records it with a date before the case was opened: for entering an old (paper) record late.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="150"/>
        <source>様子、話したこと、気づいたこと</source>
        <translation>How things were, what was said, what you noticed</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="159"/>
        <source>例: 時間帯を変えて再訪する</source>
        <translation>e.g. visit again at another time of day</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="160"/>
        <source>期限を設定</source>
        <translation>Set a due date</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="165"/>
        <source>yyyy年M月d日(ddd)</source>
        <translation>ddd yyyy-MM-dd</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="173"/>
        <source>例: 日時の入力誤り</source>
        <translation>e.g. wrong date entered</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="198"/>
        <source>所要時間(&amp;I)</source>
        <translation>Durat&amp;ion</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="203"/>
        <source>日時(&amp;D)</source>
        <translation>&amp;Date and time</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="204"/>
        <source>種別(&amp;K)</source>
        <translation>&amp;Kind</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="205"/>
        <source>会えた人(&amp;M)</source>
        <translation>&amp;Met with</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="206"/>
        <source>同行者(&amp;W)</source>
        <translation>Accompanied &amp;with</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="207"/>
        <source>場所(&amp;L)</source>
        <translation>P&amp;lace</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="208"/>
        <source>内容(&amp;T)</source>
        <translation>Wha&amp;t happened</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="209"/>
        <source>本人の反応(&amp;R)</source>
        <translation>&amp;Reaction</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="210"/>
        <source>関係の段階(&amp;S)</source>
        <translation>Relationship &amp;stage</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="211"/>
        <source>次回の予定(&amp;X)</source>
        <translation>Ne&amp;xt action</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="212"/>
        <source>期限(&amp;U)</source>
        <translation>D&amp;ue</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="213"/>
        <source>訂正の理由(&amp;Y)</source>
        <translation>Reason for correction (&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="230"/>
        <source>保存 (Ctrl+Enter)</source>
        <translation>Save (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="234"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="236"/>
        <source>入力中の内容は下書きとして残ります (Esc)</source>
        <translation>What you typed stays as a draft (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="238"/>
        <source>破棄</source>
        <translation>Discard</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="240"/>
        <source>入力中の内容と下書きを消します</source>
        <translation>Deletes what you typed and the draft</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="351"/>
        <source>訪問記録の訂正</source>
        <translation>Correct a visit record</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="351"/>
        <source>新しい訪問記録</source>
        <translation>New visit record</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="460"/>
        <source>不在のため置き手紙</source>
        <translation>Nobody home; left a letter</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="462"/>
        <source>再訪</source>
        <translation>Visit again</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="495"/>
        <location filename="../../ui/visit_form.py" line="591"/>
        <source>未来の日時は記録できません。訪問した日時を入力してください。</source>
        <translation>A future date and time cannot be recorded. Enter when the visit took place.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="498"/>
        <location filename="../../ui/visit_form.py" line="583"/>
        <source>内容を入力してください。</source>
        <translation>Describe what happened.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="501"/>
        <source>会えた人を選んでください。会えなかったときは「会えず」です。</source>
        <translation>Choose who was met. If nobody was, choose &quot;No contact&quot;.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="504"/>
        <location filename="../../ui/visit_form.py" line="584"/>
        <source>期限を入れるときは、次回の予定も書いてください。</source>
        <translation>A due date needs the next action it is for.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="508"/>
        <source>期限は訪問日より前にはできません。訪問日以降の日付にしてください。</source>
        <translation>The due date cannot be before the visit. Choose the visit date or later.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="510"/>
        <location filename="../../ui/visit_form.py" line="586"/>
        <source>訂正の理由を入力してください。</source>
        <translation>Enter the reason for the correction.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="526"/>
        <location filename="../../ui/visit_form.py" line="587"/>
        <source>変更された項目がありません。訂正する内容を入力してください。</source>
        <translation>Nothing was changed. Enter the correction.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="558"/>
        <source>この記録は見つかりませんでした。</source>
        <translation>This record could not be found.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="562"/>
        <source>保存できませんでした。もう一度お試しください。</source>
        <translation>Could not save. Please try again.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="589"/>
        <source>この項目を入力してください。</source>
        <translation>This field is required.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="593"/>
        <source>文字数が多すぎます。短くしてください。</source>
        <translation>Too long. Please shorten it.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="594"/>
        <source>同行支援では「会えず」は選べません。会えた人を確認してください。</source>
        <translation>&quot;No contact&quot; cannot be chosen for an accompanied visit. Check who was met.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="596"/>
        <source>「会えず」と会えた人は同時に選べません。会えた人を確認してください。</source>
        <translation>&quot;No contact&quot; cannot be chosen together with someone met. Check who was met.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="598"/>
        <source>値が範囲外です。確認してください。</source>
        <translation>The value is out of range. Please check it.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="610"/>
        <source>本人の生まれ年（{year}年）より前の日付です。訪問した日付を確認してください。</source>
        <translation>The date is before the person&apos;s birth year ({year}). Check the date of the visit.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="614"/>
        <source>ケースの開始日（{date}）より前の日付です。古い記録を後から入力する場合は、下の「古い記録の後日入力です」にチェックを入れて保存してください。</source>
        <translation>The date is before the case was opened ({date}). If you are entering an old record late, tick &quot;Late entry of an old record&quot; below and save.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="618"/>
        <source>未来の日時は記録できません（この端末の時計より{hours}時間以上先です）。訪問した日時を入力してください。</source>
        <translation>A visit cannot be dated in the future (more than {hours} hours ahead of this laptop&apos;s clock). Enter when the visit took place.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="599"/>
        <source>一覧から選んでください。</source>
        <translation>Choose from the list.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="600"/>
        <source>日付が正しくありません。</source>
        <translation>The date is not valid.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="601"/>
        <source>日時が正しくありません。</source>
        <translation>The date and time are not valid.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="602"/>
        <source>この項目は訂正できません。</source>
        <translation>This field cannot be corrected.</translation>
    </message>
    <message>
        <location filename="../../ui/visit_form.py" line="603"/>
        <source>入力内容を確認してください。</source>
        <translation>Check what you entered.</translation>
    </message>
</context>
<context>
    <name>VisitTimeline</name>
    <message>
        <location filename="../../ui/timeline.py" line="54"/>
        <source>日時</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="55"/>
        <source>種別</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="56"/>
        <source>会えた人</source>
        <translation>Met with</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="57"/>
        <source>内容</source>
        <translation>What happened</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="58"/>
        <source>本人の反応</source>
        <translation>Reaction</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="59"/>
        <source>関係の段階</source>
        <translation>Relationship stage</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="60"/>
        <source>次回の予定</source>
        <translation>Next action</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="61"/>
        <source>期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="67"/>
        <source>（なし）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="90"/>
        <source>不明な支援員</source>
        <translation>unknown worker</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="94"/>
        <source>会えた人: {met}&#x3000;関係の段階: {stage}</source>
        <translation>Met with: {met}  Relationship: {stage}</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="100"/>
        <source>記録: {name}</source>
        <translation>Recorded by {name}</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="106"/>
        <source>反応: {text}</source>
        <translation>Reaction: {text}</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="110"/>
        <source>次回の予定: {action}（期限: {due}）</source>
        <translation>Next: {action} (due {due})</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="114"/>
        <source>次回の予定: {action}</source>
        <translation>Next: {action}</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="119"/>
        <source>訂正 {when}（{name}）理由: {reason}</source>
        <translation>Corrected {when} ({name}), reason: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="131"/>
        <source>訂正あり</source>
        <translation>Corrected</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="132"/>
        <source>元の記録:</source>
        <translation>Original record:</translation>
    </message>
    <message>
        <location filename="../../ui/timeline.py" line="133"/>
        <source>同時に別の訂正があります:</source>
        <translation>Another correction was made at the same time:</translation>
    </message>
</context>
<context>
    <name>Vocab</name>
    <message>
        <location filename="../../ui/fmt.py" line="18"/>
        <source>把握</source>
        <translation>Identified</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="19"/>
        <source>関係づくり</source>
        <translation>Building the relationship</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="20"/>
        <source>アセスメント</source>
        <translation>Assessment</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="21"/>
        <source>プラン作成</source>
        <translation>Planning</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="22"/>
        <source>支援実施・モニタリング</source>
        <translation>Support and monitoring</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="23"/>
        <source>終結</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="24"/>
        <source>中断</source>
        <translation>Suspended</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="25"/>
        <source>民生委員</source>
        <translation>Community welfare volunteer</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="26"/>
        <source>地域包括支援センター</source>
        <translation>Community general support center</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="27"/>
        <source>近隣住民</source>
        <translation>Neighbour</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="28"/>
        <source>ライフライン事業者</source>
        <translation>Utility company</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="29"/>
        <source>通いの場</source>
        <translation>Community gathering place</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="30"/>
        <source>会議</source>
        <translation>Meeting</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="31"/>
        <source>SNS</source>
        <translation>Social media</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="32"/>
        <source>全戸訪問</source>
        <translation>Door-to-door survey</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="33"/>
        <source>本人・家族</source>
        <translation>The person or family</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="34"/>
        <source>医療機関</source>
        <translation>Medical institution</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="35"/>
        <source>学校</source>
        <translation>School</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="36"/>
        <source>行政の窓口</source>
        <translation>City office desk</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="37"/>
        <source>その他</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="38"/>
        <source>家庭訪問</source>
        <translation>Home visit</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="39"/>
        <source>同行支援</source>
        <translation>Accompanied support</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="40"/>
        <source>電話</source>
        <translation>Phone call</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="41"/>
        <source>手紙・置き手紙</source>
        <translation>Letter / note left</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="42"/>
        <source>来所</source>
        <translation>Office visit</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="43"/>
        <source>関係機関との連絡</source>
        <translation>Contact with an agency</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="44"/>
        <source>本人</source>
        <translation>The person</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="45"/>
        <source>家族</source>
        <translation>Family</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="46"/>
        <source>親族</source>
        <translation>Relative</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="47"/>
        <source>近隣の人</source>
        <translation>Neighbour</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="48"/>
        <source>関係機関</source>
        <translation>Agency</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="49"/>
        <source>会えず</source>
        <translation>No contact</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="50"/>
        <source>未接触</source>
        <translation>No contact yet</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="51"/>
        <source>家族と接触</source>
        <translation>Contact with family</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="52"/>
        <source>本人と対面</source>
        <translation>Met the person</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="53"/>
        <source>継続的な関わり</source>
        <translation>Ongoing contact</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="54"/>
        <source>支援につながった</source>
        <translation>Connected to support</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="55"/>
        <source>同意</source>
        <translation>Consent</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="56"/>
        <source>撤回</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="57"/>
        <source>口頭</source>
        <translation>Oral</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="58"/>
        <source>書面</source>
        <translation>Written</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="59"/>
        <source>同意あり</source>
        <translation>Consent given</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="60"/>
        <source>同意なし</source>
        <translation>No consent</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="61"/>
        <source>一部同意</source>
        <translation>Partial consent</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="62"/>
        <source>重層的支援会議</source>
        <translation>Multi-agency support meeting</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="63"/>
        <source>支援会議</source>
        <translation>Support council meeting</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="64"/>
        <source>定例会議</source>
        <translation>Regular meeting</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="65"/>
        <source>支援員</source>
        <translation>Worker</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="66"/>
        <source>スーパーバイザー</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="67"/>
        <source>管理者</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="68"/>
        <source>本人同意</source>
        <translation>Personal consent</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="69"/>
        <source>支援会議（法106条の6）</source>
        <translation>Support council meeting (Art. 106-6)</translation>
    </message>
    <message>
        <location filename="../../ui/fmt.py" line="70"/>
        <source>緊急</source>
        <translation>Emergency</translation>
    </message>
</context>
</TS>
