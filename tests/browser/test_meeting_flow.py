"""Issue 4 in a real browser: a whole meeting, from opening to the downloaded notulen.

Two people (two browser contexts) write the minutes of one agenda item at the same time: the
changes of one reach the other within 2 seconds (conditional polling), and a save on an old
base is merged, never overwritten. Elements are found by structure, not wording.
"""
import io
import re

import docx
import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in


pytestmark = pytest.mark.browser

# The promise is "within 2 seconds" (a 1 s poll plus one fragment fetch), and the live-update
# benchmark measures it. Here we prove the page follows without a reload; the wide margin is for
# a two-core CI machine running two test workers, their browsers and servers side by side.
LIVE_MS = 10000


def test_a_whole_meeting_runs_in_the_browser(open_page, page_problems, live_server, programme, alice, bob):
    from tests.meetings.conftest import AgendaItemFactory, MeetingFactory

    meeting = MeetingFactory(programme_id=programme.id, title="Rakor Program Wisata Industri", created_by_id=alice.id)
    item = AgendaItemFactory(meeting_id=meeting.id, title="Penambahan kata kota pada nama program")
    path = f"/p/{programme.slug}/meetings/{meeting.id}"
    minutes_box = f'[data-minutes-item="{item.id}"]'

    owner = open_page("alice")
    owner.on("dialog", lambda dialog: dialog.accept())
    sign_in(owner, alice.email)
    owner.goto(path)
    owner.locator("form[action$='/status'] input[name=status][value=in_progress] + button").click()
    expect(owner.locator(".status-in_progress").first).to_be_visible()

    # Take attendance: invite government and business, then the roll call.
    for count, element in enumerate(("pemerintah", "bisnis"), start=1):
        owner.locator("#attendance select[name=target]").select_option(f"e:{element}")
        owner.locator("#attendance form.invite-form button[type=submit]").click()
        expect(owner.locator("#attendance .roll-call li")).to_have_count(count)  # the section was swapped
    for left in (1, 0):
        owner.locator("#attendance .roll-call button[value=present]").first.click()
        expect(owner.locator("#attendance .roll-call li")).to_have_count(left)
    expect(owner.locator("#attendance tr[data-element=pemerintah]:not(.coverage-missing)")).to_be_visible()
    expect(owner.locator("#attendance tr[data-element=bisnis]:not(.coverage-missing)")).to_be_visible()

    # Two people write the minutes of one item at once.
    editor = open_page("bob")
    sign_in(editor, bob.email)
    editor.goto(path)
    first = "Konsultan Badak LNG mengusulkan kata kota agar program lebih membumi."
    owner.locator(f"{minutes_box} textarea").fill(first)
    owner.locator(f"{minutes_box} button[type=submit]").click()
    expect(owner.locator(minutes_box)).to_have_attribute("data-rev", "1")
    # bob is not typing: his copy follows within 2 seconds.
    expect(editor.locator(f"{minutes_box} textarea")).to_have_value(first, timeout=LIVE_MS)

    # Now both edit from revision 1, in different places of the paragraph.
    editor.locator(f"{minutes_box} textarea").fill(first.replace("Konsultan Badak LNG", "Konsultan dari Badak LNG"))
    owner.locator(f"{minutes_box} textarea").fill(first + " Forum menyepakati.")
    owner.locator(f"{minutes_box} button[type=submit]").click()
    expect(owner.locator(minutes_box)).to_have_attribute("data-rev", "2")
    # bob is typing: he is told, not overwritten.
    expect(editor.locator(f"{minutes_box} .minutes-notice")).not_to_be_empty(timeout=LIVE_MS)
    editor.locator(f"{minutes_box} button[type=submit]").click()
    merged = "Konsultan dari Badak LNG mengusulkan kata kota agar program lebih membumi. Forum menyepakati."
    expect(editor.locator(f"{minutes_box} textarea")).to_have_value(merged)
    expect(owner.locator(f"{minutes_box} textarea")).to_have_value(merged, timeout=LIVE_MS)

    # The agenda follows too: an item added by alice appears on bob's page.
    adding = owner.locator("#agenda details").first
    adding.locator("summary").click()
    adding.locator("input[name=title]").fill("Kebutuhan produk regulasi")
    adding.locator("button[type=submit]").click()
    expect(owner.locator("#agenda .agenda-item")).to_have_count(2)
    expect(editor.locator("#agenda .agenda-item")).to_have_count(2, timeout=LIVE_MS)

    # Record a decision and take the step to an action item.
    details = owner.locator(f"#item-{item.id} .decisions details")
    details.locator("summary").click()
    details.locator("select[name=kind]").select_option("work")
    details.locator("textarea[name=text]").fill("Usulkan nama Program Wisata Kota Industri ke DPP MASATA")
    details.locator("button[type=submit]").click()
    expect(owner.locator(f"#item-{item.id} .decision-work")).to_contain_text("Program Wisata Kota Industri")
    owner.locator(f"#item-{item.id} .decision-work a.button").click()
    # The actions' form opens with the decision filled in; saving links the action back.
    form = owner.locator("#action-form")
    expect(form.locator("input[name=title]")).to_have_value("Usulkan nama Program Wisata Kota Industri ke DPP MASATA")
    form.locator("button[type=submit]").last.click()
    # Wait for the saved action's page: going on at once may cancel the POST on a busy machine.
    owner.wait_for_url(re.compile(r"/actions/\d+$"))
    owner.goto(path)
    expect(owner.locator(f"#item-{item.id} .decision-action")).to_contain_text("Program Wisata Kota Industri")

    # Close and approve: the minutes lock.
    owner.locator("form[action$='/status'] input[value=finished] + button").click()
    expect(owner.locator(".status-finished").first).to_be_visible()
    expect(editor.locator("[data-live-status]")).to_be_visible(timeout=LIVE_MS)  # bob is told the stage moved
    owner.locator("form[action$='/status'] input[value=approved] + button").click()
    expect(owner.locator(".status-approved").first).to_be_visible()
    expect(owner.locator(f"{minutes_box} textarea")).to_be_hidden()  # read-only now
    owner.locator(f"{minutes_box} details.correction summary").click()  # a correction needs a reason
    expect(owner.locator(f"{minutes_box} input[name=reason]")).to_be_visible()

    # Download the notulen.
    with owner.expect_download() as download_info:
        owner.locator("a[href$='/notulen.docx']").first.click()
    document = docx.Document(io.BytesIO(open(download_info.value.path(), "rb").read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert merged in text
    assert page_problems == []


def test_the_agenda_is_reordered_by_keyboard_and_by_dragging(open_page, page_problems, live_server, programme, alice):
    from tests.meetings.conftest import AgendaItemFactory, MeetingFactory

    meeting = MeetingFactory(programme_id=programme.id, created_by_id=alice.id)
    titles = ["Paparan konsep program", "Penambahan kata kota", "Dukungan Disnaker"]
    items = [AgendaItemFactory(meeting_id=meeting.id, title=t, position=i) for i, t in enumerate(titles)]
    page = open_page("alice")
    sign_in(page, alice.email)
    page.goto(f"/p/{programme.slug}/meetings/{meeting.id}")
    order = page.locator("#agenda .agenda-item")

    # Keyboard: focus "down" on the first item and press Enter.
    page.locator(f"#agenda button[value='{items[0].id}:down']").focus()
    page.keyboard.press("Enter")
    expect(order.first).to_have_attribute("data-id", str(items[1].id))
    expect(order.nth(1)).to_have_attribute("data-id", str(items[0].id))

    # Drag: the last item's handle onto the first item.
    page.wait_for_function("window.Sortable !== undefined")
    page.locator(f"#agenda .agenda-item[data-id='{items[2].id}'] .drag-handle").drag_to(order.first)
    expect(order.first).to_have_attribute("data-id", str(items[2].id))
    page.reload()
    expect(order.first).to_have_attribute("data-id", str(items[2].id))  # saved, not only moved on screen
    assert page_problems == []
