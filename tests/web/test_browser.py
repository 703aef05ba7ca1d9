"""End-to-end tests in a real browser: Debian's chromium driven by Playwright.

They skip, saying why, when Playwright or the system chromium is missing (``make test``
installs chromium when it can). A screenshot of each page is kept in
test-artifacts/screenshots/.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from web_helpers import PASSWORD

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no system chromium (apt-get install chromium) for browser tests"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(app):
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
def page(server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=server)
        tab = context.new_page()
        refused: list[str] = []
        tab.on(
            "console",
            lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
        )
        yield tab
        context.close()
        assert refused == [], "the page did something its Content-Security-Policy refuses"
        browser.close()


def log_in(page, name: str) -> None:
    page.goto("/login")
    page.screenshot(path=SHOTS / "login.png")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def test_matrix_to_customer_override_and_audit(page):
    log_in(page, "chef")
    assert page.locator("#matrix svg circle").count() == 6
    page.screenshot(path=SHOTS / "overview.png", full_page=True)
    page.locator('#matrix a[data-customer="K3"] circle').click()
    page.wait_for_url("**/customers/K3")
    assert "Firma K3" in page.locator("h1").inner_text()
    page.select_option("#override-field", "service_level")
    page.fill("#override-value", "premium")
    page.fill("#override-reason", "Referenzkunde im Browser")
    page.click("#override-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#service-level").inner_text() == "Premium"  # the level's name
    assert "Referenzkunde im Browser" in page.locator("#audit").inner_text()
    page.screenshot(path=SHOTS / "customer.png", full_page=True)


def test_customer_list_filters_in_place(page):
    log_in(page, "chef")
    page.goto("/customers")
    page.select_option("select[name=account_manager]", "Bert")
    # No wait_for_function: evaluating a string is script the page's CSP refuses.
    sync_api.expect(page.locator("table.list tbody tr")).to_have_count(2)
    rows = page.locator("table.list tbody tr td:first-child").all_inner_texts()
    assert rows == ["K4", "K5"]
    page.screenshot(path=SHOTS / "customers.png", full_page=True)


def test_upload_with_bad_row_shows_reason(page, tmp_path):
    log_in(page, "chef")
    page.goto("/imports")
    upload = tmp_path / "customers.csv"
    upload.write_text("customer_id;name\nK9;Gut GmbH\n;Ohne Nummer\n", encoding="utf-8")
    page.set_input_files("input[type=file]", str(upload))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#import-result")
    reasons = page.locator("#import-result td.reason").all_inner_texts()
    assert len(reasons) == 1 and reasons[0].strip()
    page.screenshot(path=SHOTS / "imports.png", full_page=True)


def test_reviews_and_settings_pages(page):
    log_in(page, "admin")
    page.goto("/reviews")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector("[data-status=done]", timeout=30000)
    page.screenshot(path=SHOTS / "reviews.png", full_page=True)
    page.goto("/settings")
    assert page.locator("textarea").count() >= 2
    page.screenshot(path=SHOTS / "settings.png", full_page=True)
    page.goto("/?lang=en")
    assert "Overview" in page.locator("h1").inner_text()


def test_dismiss_an_action_with_a_note(page, app):
    kw = app.state.kw
    if kw.dynamics_result(1) is None:
        kw.dynamics.wait(kw._dynamics_key(1))
    assert kw.dynamics_result(1) is not None, kw.dynamics.errors
    log_in(page, "anna")
    page.goto("/customers/K1")
    form = page.locator("#customer-actions form.status-form").first
    form.locator("input[name=note]").fill("Kunde kennen wir seit Jahren")
    form.locator("button[value=dismissed]").click()
    page.wait_for_url("**/customers/K1*")
    shown = page.locator("#customer-actions").inner_text()
    assert "verworfen – anna" in shown and "Kunde kennen wir seit Jahren" in shown
    assert "Kunde kennen wir seit Jahren" in page.locator("#status-log").inner_text()
    page.screenshot(path=SHOTS / "customer-status.png", full_page=True)


def test_pages_fit_a_phone_and_the_language_switch_keeps_filters(page):
    """390 px wide (a phone): no page is wider than the screen; wide tables scroll in their
    box. The language switch after an in-place filter keeps the filter."""
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "chef")
    for path in ("/", "/customers", "/customers/K1", "/reviews", "/commitments"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=SHOTS / f"phone{path.replace('/', '-')}.png", full_page=True)
        assert width <= 390, f"{path} is {width} px wide"
    page.goto("/customers")
    page.select_option("select[name=account_manager]", "Bert")
    sync_api.expect(page.locator("table.list tbody tr")).to_have_count(2)
    page.click("#lang")
    page.wait_for_load_state()
    assert "account_manager=Bert" in page.url and "lang=en" in page.url
    assert page.locator("table.list tbody tr").count() == 2
    assert page.locator("html").get_attribute("lang") == "en"
