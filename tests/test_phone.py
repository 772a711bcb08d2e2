"""Every page type in a real headless Chromium, on a 390 px phone and a 1280 px laptop, light and
dark: nothing scrolls sideways, what matters stays on screen, and axe finds no violation at all."""

from __future__ import annotations

import pytest

PAGE_TYPES = {
    "dashboard": "/",
    "promise": "/promises/checkout-latency/",
    "all": "/promises/",
    "overdue": "/overdue/",
    "status": "/status/promised/",
    "teams": "/teams/",
    "team": "/teams/platform/",
    "person": "/people/ana-lima/",
    "customer": "/customers/payments/",
    "rules": "/rules/",
    "rule": "/rules/P404/",
    "missing": "/404.html",
}
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
SCREENS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "laptop": {"viewport": {"width": 1280, "height": 900}},
}


@pytest.fixture(scope="module", params=[(s, c) for s in SCREENS for c in ("light", "dark")], ids=lambda p: "-".join(p))
def page_on(request, browser):
    screen, scheme = request.param
    context = browser.new_context(**SCREENS[screen], color_scheme=scheme)
    yield screen, scheme, context
    context.close()


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_no_page_scrolls_sideways_and_axe_finds_nothing(page_on, site_url: str, screenshots, kind: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    screen, scheme, context = page_on
    page = context.new_page()
    page.goto(site_url + PAGE_TYPES[kind])
    width = SCREENS[screen]["viewport"]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    # Every rule in light; in dark only the colours change, so only the rules that judge colours run.
    options = {"runOnly": {"type": "rule", "values": COLOUR_RULES}} if scheme == "dark" else None
    violations = Axe().run(page, options=options).response["violations"]
    assert [f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}" for v in violations] == []
    if kind in ("dashboard", "promise", "team"):
        page.screenshot(path=str(screenshots / f"{kind}-{screen}-{scheme}.png"))
    page.close()


def test_on_a_phone_every_overdue_promise_shows_it_on_screen(browser, site_url: str) -> None:
    context = browser.new_context(**SCREENS["phone"])
    page = context.new_page()
    page.goto(site_url + "/overdue/")
    notes = page.locator(".due-note.is-overdue")
    assert notes.count() >= 1
    for note in notes.all():
        box = note.bounding_box()
        assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= 390, note.inner_text()
        assert "overdue" in note.inner_text()
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 0.15 * 844
    context.close()


def test_on_a_phone_search_results_lie_inside_the_screen(browser, site_url: str) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(**SCREENS["phone"])
    page = context.new_page()
    page.goto(site_url + "/")
    page.get_by_role("searchbox").fill("status page")
    results = page.locator("#search-results")
    expect(results.locator("li").first).to_be_visible()
    box = results.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    context.close()


def test_the_dashboard_shows_a_low_confidence_promise_not_yet_due_as_at_risk(browser, site_url: str) -> None:
    context = browser.new_context(**SCREENS["phone"])
    page = context.new_page()
    page.goto(site_url + "/")
    at_risk = page.locator("section:has(> #at-risk)")
    row = at_risk.locator("tr", has_text="Card payments fail over to the second provider within 30 seconds")
    assert row.is_visible()
    reasons = row.locator(".risk-cell").inner_text().split("; ")
    assert reasons[0] == "low confidence"  # its help is named, so not "and nobody asked for help"
    assert "due in 5 days" in row.locator(".due-cell").inner_text()  # not yet due
    context.close()


@pytest.mark.parametrize("width", [320, 390])
def test_on_a_phone_every_section_of_the_menu_is_on_screen(browser, site_url: str, width: int) -> None:
    """No menu that scrolls sideways and hides People and Overdue: every section in view, whole."""
    context = browser.new_context(viewport={"width": width, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site_url + "/people/ana-lima/")
    links = page.locator("nav.site-nav a")
    assert links.all_inner_texts() == ["Dashboard", "Promises", "Teams", "Customers", "People", "Overdue"]
    for link in links.all():
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, link.inner_text()
        assert link.evaluate("element => element.scrollWidth <= element.clientWidth"), link.inner_text()  # not cut
    nav = page.locator("nav.site-nav")
    assert nav.evaluate("element => element.scrollWidth <= element.clientWidth")
    context.close()
