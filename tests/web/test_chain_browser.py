"""The chain page in a real browser: the picture is drawn, links work, and it prints."""

from __future__ import annotations

import pytest
from chain_web_helpers import add_contacts_and_chains
from test_browser import CHROMIUM, SHOTS, log_in, page, server, sync_api  # noqa: F401

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no system chromium (apt-get install chromium) for browser tests"
)


def test_chain_page_draws_the_chain_and_prints_readably(page, web_store):  # noqa: F811
    add_contacts_and_chains(web_store)
    log_in(page, "chef")
    page.click("#nav-chains")
    page.wait_for_url("**/chains")
    page.click("#chain-list a >> text=Kette Anna")
    page.wait_for_url("**/chains/*")
    svg = page.locator("#chain-svg")
    sync_api.expect(svg).to_be_visible()
    assert page.locator("#chain-svg g.actor").count() == 6
    drawn = " ".join(page.locator("#chain-svg text").all_text_contents())
    assert "Kunde des Kunden" in drawn and "Emil Einkauf" in drawn
    page.screenshot(path=SHOTS / "chain.png", full_page=True)
    # On A4 paper: no navigation or forms, the picture still there, its text large enough.
    page.set_viewport_size({"width": 794, "height": 1123})
    page.emulate_media(media="print")
    assert not page.locator("header nav").is_visible()
    assert not page.locator("#chain-history").is_visible()
    sync_api.expect(svg).to_be_visible()
    box = svg.bounding_box()
    assert box is not None and box["width"] > 600
    title = page.locator("#chain-svg g.actor text").first.bounding_box()
    assert title is not None and title["height"] >= 11  # px at 96 dpi, about 8 pt and more
    page.pdf(path=str(SHOTS / "chain.pdf"), format="A4")
    # The customer named by the chain is a link to its page.
    page.emulate_media(media="screen")
    page.click("#focus a.badge")
    page.wait_for_url("**/customers/K1")
    sync_api.expect(page.locator("#contacts")).to_be_visible()
    page.screenshot(path=SHOTS / "customer-contacts.png", full_page=True)
