"""Issue 2 in a real browser: a programme gathers two Pentahelix elements through an invitation link.

The flow finds things by structure (form ids, field names, data-element) rather than by wording that
may be reworded; the language shows in <html lang> and in the Pentahelix terms on the badges.
"""
import re

import pytest
from playwright.sync_api import expect

from app.pentahelix import Element

pytestmark = pytest.mark.browser

PASSWORD = "rahasia-bontang-2026"


def register(page, name, email, organisation, element):
    page.goto("/register")
    form = page.locator("#register-form")
    form.locator("#name").fill(name)
    form.locator("#email").fill(email)
    form.locator("#password").fill(PASSWORD)
    form.locator("#confirm").fill(PASSWORD)
    form.locator("#organisation_id").select_option("0")  # "my organisation is not listed"
    form.locator("#new_organisation_name").fill(organisation)
    form.locator("#new_organisation_element").select_option(element.value)
    form.locator("button[type=submit]").click()
    # Signed in: the header links to the profile instead of the registration page.
    expect(page.locator(".nav-user a[href='/profile']")).to_be_visible()


def create_programme(page, name):
    page.locator("main a[href='/p/new']").click()
    form = page.locator("#programme-form")
    form.locator("#name").fill(name)
    form.locator("#description").fill("Menyusun **rencana aksi** wisata industri bersama.")
    form.locator("button[type=submit]").click()
    expect(page.locator("#coverage")).to_be_visible()
    expect(page.locator("main h1")).to_have_text(name)
    return page.url


def coverage_of(page):
    """{element value: True if someone of that element is at the table}, read from the panel."""
    rows = page.locator("#coverage li[data-element]")
    return {
        rows.nth(i).get_attribute("data-element"): "coverage-missing" not in (rows.nth(i).get_attribute("class") or "")
        for i in range(rows.count())
    }


def test_a_partner_of_another_element_joins_through_an_invitation_link(open_page, page_problems, live_server):
    owner = open_page("owner")
    register(owner, "Rina Pemkot", "rina@bontangkota.go.id", "Pemkot Bontang", Element.PEMERINTAH)
    expect(owner.locator("html")).to_have_attribute("lang", "id")
    programme_url = create_programme(owner, "Program Wisata Kota Industri Bontang")
    assert re.fullmatch(re.escape(live_server("/p/")) + r"[a-z0-9-]+/", programme_url)
    assert coverage_of(owner) == {e.value: e is Element.PEMERINTAH for e in Element}

    # The owner makes an editor link on the members page and copies it from the list.
    owner.locator("nav.subnav a[href$='/members']").click()
    link_form = owner.locator("#invite-link-form")
    link_form.locator("select[name=role]").select_option("editor")
    link_form.locator("input[name=days]").fill("7")
    link_form.locator("button[type=submit]").click()
    link_field = owner.locator("input.invite-link")
    expect(link_field).to_have_count(1)
    link = link_field.input_value()
    assert re.fullmatch(re.escape(live_server("/join/")) + r"\S+", link)

    # A lecturer from the university, in a browser of her own, registers and follows the link.
    partner = open_page("partner")
    register(partner, "Dewi Unmul", "dewi@unmul.ac.id", "Universitas Mulawarman", Element.AKADEMISI)
    partner.goto(link)
    expect(partner.locator("main h1")).to_contain_text("Program Wisata Kota Industri Bontang")
    partner.locator("main form[action*='/join/'] button[type=submit]").click()

    partner.wait_for_url(programme_url)
    expect(partner.locator(".flash-success")).to_contain_text("Program Wisata Kota Industri Bontang")
    expected = {e.value: e in (Element.PEMERINTAH, Element.AKADEMISI) for e in Element}
    assert coverage_of(partner) == expected
    # The three elements still missing are flagged, each with its own warning and one note for all.
    expect(partner.locator("#coverage li.coverage-missing .warning")).to_have_count(3)
    expect(partner.locator("#coverage p.warning[role=note]")).to_contain_text("3")
    academia = partner.locator("#coverage li[data-element=akademisi]")
    expect(academia.locator(".coverage-orgs")).to_have_text("Universitas Mulawarman")
    expect(partner.locator("#coverage li[data-element=pemerintah] .coverage-orgs")).to_have_text("Pemkot Bontang")
    # The elements' names are Pentahelix's own Indonesian terms: the badges say them as partners do.
    expect(partner.locator("#coverage li[data-element] .badge")).to_have_text(
        ["Pemerintah", "Bisnis", "Akademisi", "Komunitas", "Media"]
    )

    # The owner sees the same panel, now with two members.
    owner.goto(programme_url)
    assert coverage_of(owner) == expected
    expect(owner.locator("main .people li")).to_have_count(2)

    assert page_problems == []
