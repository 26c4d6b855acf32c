"""The consent dialog in withdrawal mode (撤回): it lists only the agencies consented now, its
words say 撤回, and withdrawing from every agency (none ticked) asks first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_ui_drafts import LEFT, answer_box, make_case, modal, open_case
from ui_fixtures import session, settings, wait_idle, window  # noqa: F401

from outreach_desk.vocab import ConsentStatus
from ui.consent_dialog import ConsentDialog


def test_withdrawal_lists_only_consented_agencies_says_withdraw_and_asks_before_all(
        qtbot, window):  # noqa: F811
    store = window.session.store
    welfare = store.add_agency("福祉課")
    health = store.add_agency("保健センター")
    school = store.add_agency("中学校")
    case = make_case(store)
    person = store.get("case", case)["person_id"]
    store.record_consent(person, agencies=[welfare, health], method="written")
    view = open_case(qtbot, window, case)

    view.record_consent(withdraw=True)
    dialog = modal(qtbot, ConsentDialog)
    shown = {a for a, box in dialog.agency_boxes.items() if not box.isHidden()}
    assert shown == {welfare, health}
    assert dialog.windowTitle() == "同意の撤回の記録"
    assert dialog.agencies_box.title() == "同意を撤回する関係機関"
    assert dialog.save_button.text() == "撤回を記録"
    assert "撤回を記録します" in dialog.intro.text()
    assert "情報を提供してよい" not in dialog.agencies_box.title()

    # switching to 同意 shows every agency and the grant's words
    qtbot.mouseClick(dialog.grant, LEFT)
    assert {a for a, box in dialog.agency_boxes.items() if not box.isHidden()} == {
        welfare, health, school}
    assert dialog.agencies_box.title() == "情報を提供してよい関係機関"
    assert dialog.save_button.text() == "同意を記録"
    qtbot.mouseClick(dialog.withdraw, LEFT)

    # none ticked: asks; 選び直す records nothing
    before = store.counts()
    seen: list[str] = []
    answer_box(qtbot, "chooseAgainButton", seen)
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert seen and "すべての関係機関への同意を撤回します" in seen[0]
    assert store.counts() == before and dialog.isVisible()
    assert store.consent(person).status is ConsentStatus.GRANTED

    # one ticked: no question, that agency only
    dialog.agency_boxes[health].setFocus()
    qtbot.keyClick(dialog.agency_boxes[health], Qt.Key.Key_Space)
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert len(seen) == 1
    state = store.consent(person)
    assert state.granted == {welfare} and health in state.withdrawn
    wait_idle(qtbot)

    # withdrawing from all, confirmed
    view.record_consent(withdraw=True)
    dialog = modal(qtbot, ConsentDialog)
    assert {a for a, box in dialog.agency_boxes.items() if not box.isHidden()} == {welfare}
    answer_box(qtbot, "confirmWithdrawAllButton", seen)
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert len(seen) == 2
    assert store.consent(person).status is ConsentStatus.WITHDRAWN
    wait_idle(qtbot)


def test_withdrawal_with_nothing_consented_says_so(qtbot, window):  # noqa: F811
    store = window.session.store
    store.add_agency("福祉課")
    view = open_case(qtbot, window, make_case(store))
    view.record_consent(withdraw=True)
    dialog = modal(qtbot, ConsentDialog)
    assert all(box.isHidden() for box in dialog.agency_boxes.values())
    assert not dialog.no_consented.isHidden()
    assert dialog.no_consented.text() == "現在同意している関係機関はありません。"
    dialog.reject()
    wait_idle(qtbot)
