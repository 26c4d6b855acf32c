<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="ja">
<context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../../ui/app.py" line="57"/>
        <source>エラー</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="58"/>
        <source>予期しないエラーが発生しました。作業内容を確認してください。
参照番号: {ref}</source>
        <translation>An unexpected error occurred. Please check your work.
Reference: {ref}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="33"/>
        <source>Outreach Desk</source>
        <translation>Outreach Desk</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="40"/>
        <source>ファイル(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="41"/>
        <source>終了(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="47"/>
        <source>ヘルプ(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="48"/>
        <source>このアプリについて(&amp;A)</source>
        <translation>&amp;About Outreach Desk</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="54"/>
        <source>アウトリーチ支援記録 — Outreach Desk</source>
        <translation>Outreach Support Records — Outreach Desk</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="61"/>
        <source>データ基盤の準備ができています。画面は次の版で追加されます。</source>
        <translation>The data foundation is ready. Screens will be added in the next version.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="65"/>
        <source>データフォルダ: {path}</source>
        <translation>Data folder: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="87"/>
        <source>Outreach Desk について</source>
        <translation>About Outreach Desk</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="89"/>
        <source>Outreach Desk {version}

アウトリーチ支援員のための、オフラインで使える支援記録アプリです。
記録はこの端末に暗号化して保存されます。</source>
        <translation>Outreach Desk {version}

An offline-capable support record app for outreach workers.
Records are stored encrypted on this device.</translation>
    </message>
</context>
</TS>
