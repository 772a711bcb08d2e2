"""The built site in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Set PROMISESITE_SCREENSHOTS=folder to keep the screenshots (the README's come from here).
"""

from __future__ import annotations

from pathlib import Path

import pytest

PAGES = {
    "dashboard": "/",
    "promise": "/promises/checkout-latency/",
    "team": "/teams/platform/",
    "person": "/people/ana-lima/",
}


COLOUR_RULES = ["color-contrast", "link-in-text-block"]


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_loads_cleanly_and_is_accessible(
    browser, site_url: str, screenshots: Path, name: str, scheme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}") if message.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url}"))
    response = page.goto(site_url + PAGES[name])
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1
    assert page.locator("main").count() == 1 and page.locator("nav").count() >= 1
    assert page.locator("form.search").is_visible()  # the search script ran
    # In dark only the colours change, so only the rules that judge colours run again.
    options = {"runOnly": {"type": "rule", "values": COLOUR_RULES}} if scheme == "dark" else None
    results = Axe().run(page, options=options)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} nodes"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert problems == []
    page.screenshot(path=str(screenshots / f"{name}-{scheme}.png"), full_page=True)
    page.close()


def test_search_narrows_the_list(browser, site_url: str, screenshots: Path) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "/")
    search = page.get_by_role("searchbox")
    items = page.locator("#search-results li")
    count = page.locator("#search-results .count")
    search.fill("checkout")
    expect(count).to_have_text("8 promises")
    search.fill("checkout latency")
    expect(count).to_have_text("2 promises")
    expect(items).to_have_count(2)
    assert all("latency" in text.lower() for text in items.all_inner_texts())
    search.fill("ana.lima accepted")  # words match handles and statuses too, all of them
    expect(count).to_have_text("4 promises")
    search.fill("no such promise at all")
    expect(count).to_have_text("No promise matches “no such promise at all”.")
    expect(items).to_have_count(0)
    search.fill("holiday")
    expect(count).to_have_text("11 promises")
    page.screenshot(path=str(screenshots / "search.png"))
    search.fill("status page")  # the promise about the status page first, not one that mentions it
    expect(items.first).to_contain_text("Public status page for checkout and payments")
    search.fill("ana")  # a whole word of a handle or name: Ana Lima, never hana.kim
    texts = items.all_inner_texts()
    assert texts and all("Ana Lima" in text for text in texts), texts
    assert not any("Hana Kim →" in text and "Ana Lima" not in text for text in texts)
    items.first.locator("a").click()
    page.wait_for_url("**/promises/**")
    page.close()


def test_site_works_without_javascript(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/")
    assert not page.locator("form.search").is_visible()  # only search needs JavaScript
    page.get_by_role("link", name="Teams", exact=True).click()
    page.get_by_role("link", name="Platform").first.click()
    assert page.url.endswith("/teams/platform/")
    assert page.locator("h1").inner_text().startswith("Platform")
    context.close()


@pytest.mark.parametrize(
    ("look", "options"),
    [
        ("light", {"viewport": {"width": 1280, "height": 900}, "color_scheme": "light"}),
        ("dark", {"viewport": {"width": 1280, "height": 900}, "color_scheme": "dark"}),
        ("phone", {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}),
    ],
)
def test_a_team_page_charts_its_weeks_and_causes(browser, site_url: str, screenshots: Path, look: str, options) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(**options)
    page.goto(site_url + "/teams/platform/")
    chart = page.get_by_role("img", name="Outcomes by ISO week of the due date, 2026-W36 to 2026-W47")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= options["viewport"]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= options["viewport"]["width"]  # no sideways scroll
    assert page.locator(".week-chart text.week").count() == 12
    labels = page.locator(".week-chart text.week").all()
    spans = [label.bounding_box() for label in labels]
    pairs = zip(spans, spans[1:], strict=False)
    assert all(a and b and a["x"] + a["width"] <= b["x"] for a, b in pairs)  # the week names never overlap
    page.evaluate("window.scrollTo(0, 0)")  # so the sticky header stays at the top of the full page
    section = page.locator("section:has(> #acc-weeks)").bounding_box()
    assert section is not None
    page.screenshot(path=str(screenshots / f"team-weeks-{look}.png"), full_page=True, clip=section)
    table = page.locator("details.week-table table")
    assert not table.is_visible()
    page.get_by_text("The figures by week").click()
    assert table.is_visible() and table.locator("tbody tr").count() == 12
    causes = page.locator("ol.causes > li")
    assert causes.count() >= 3
    assert causes.first.locator(".cause-name").inner_text() == "dependency"  # the most frequent for Platform
    violations = Axe().run(page, context="main").response["violations"]
    assert [f"{v['id']}: {v['help']}" for v in violations] == []
    page.close()


def test_a_list_sorts_and_filters_in_the_page(browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "/promises/")
    rows = page.locator("table.promises tbody tr")

    def dues() -> list[str]:
        return [row.get_attribute("data-due") or "" for row in rows.all() if row.is_visible()]

    assert dues() == sorted(dues(), key=lambda due: (due == "", due))  # without JavaScript too: by due date
    page.get_by_role("button", name="Promise", exact=True).click()
    titles = [row.get_attribute("data-title") for row in rows.all()]
    assert titles == sorted(titles) and dues() != sorted(dues(), key=lambda due: (due == "", due))
    page.get_by_role("button", name="Due", exact=True).click()
    page.get_by_role("button", name="Due", exact=True).click()  # the second click: latest first
    assert page.locator("th[aria-sort=descending]").get_attribute("data-sort") == "due"
    shown = [due for due in dues() if due]
    assert shown == sorted(shown, reverse=True)
    page.get_by_label("Filter").fill("ana lima")
    visible = [row.inner_text() for row in rows.all() if row.is_visible()]
    assert visible and all("Ana Lima" in text for text in visible)
    assert page.locator(".list-count").inner_text().endswith(f"of {rows.count()} shown")
    page.close()
