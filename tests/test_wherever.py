"""One build of the sample works wherever it is opened: from disk (file://), served at a domain's
root, and served under a sub-path as GitLab and GitHub project pages serve it, with the 404 page
served for any missing path at any depth. Each in real Chromium, over a real HTTP server."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import TODAY, Repo
from sitetools import broken_links, copy_sample

SUB_PATH = "/some/sub/path/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("wherever"))
    import os

    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = Repo(root).run("build", "--today", TODAY)  # no --base-url: the default, /
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.stderr
    return root / "site"


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """A static host as GitHub and GitLab Pages are: the site under `prefix`, a folder's index.html
    for the folder, and 404.html (with status 404) for any path that is not there."""

    site: Path
    prefix: str

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.prefix):
            return str(self.site / "\0missing")
        return str(self.site / path[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        body = (self.site / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module", params=["/", SUB_PATH])
def served(request: pytest.FixtureRequest, site: Path) -> Iterator[str]:
    handler = type("Handler", (_PagesHandler,), {"site": site, "prefix": request.param})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{request.param}"
    server.shutdown()
    server.server_close()


def test_every_link_of_every_page_is_relative_and_resolves(site: Path) -> None:
    assert broken_links(site) == []


def styled(page: Any) -> bool:
    """The theme's stylesheet applied (the body's background is the theme's, not the browser's white)."""
    return page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgba(0, 0, 0, 0)"


def search_and_follow(page: Any, query: str, title: str) -> None:
    page.fill("#search-input", query)
    result = page.locator("#search-results li a", has_text=title).first
    result.wait_for()
    result.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith(title)


def test_opened_from_disk(site: Path, browser: Any) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((site / "teams/platform/index.html").as_uri())
    assert styled(page)
    page.locator("nav.site-nav a", has_text="People").click()
    page.wait_for_load_state()
    assert page.url.endswith("/people/index.html") and styled(page)  # the page, not a folder listing
    page.locator("a", has_text="Hana Kim").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/people/hana-kim/index.html")
    search_and_follow(page, "checkout latency", "Checkout p95 latency under 300 ms")
    assert page.url.endswith("/promises/checkout-latency/index.html") and styled(page)
    assert errors == []
    page.close()


def test_served_at_the_root_or_under_a_sub_path(served: str, browser: Any) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(served + "customers/payments/")
    assert styled(page)
    page.locator("a.brand").click()
    page.wait_for_load_state()
    assert page.url == served and page.locator("h1").count() >= 1 and styled(page)
    search_and_follow(page, "checkout latency", "Checkout p95 latency under 300 ms")
    assert page.url == served + "promises/checkout-latency/"
    assert errors == []
    page.close()


@pytest.mark.parametrize("missing", ["nowhere", "promises/renamed-away/", "a/b/c/d/e/"])
def test_the_404_page_finds_its_way_at_any_depth(served: str, browser: Any, missing: str) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    response = page.goto(served + missing)
    assert response is not None and response.status == 404
    root = served.split("127.0.0.1", 1)[1].split("/", 1)[1]
    dashboard = page.locator("a", has_text="Go to the dashboard")
    # The page finds the site's root and points its links there (it is the base, /, at the root).
    expect(dashboard).to_have_attribute("href", "/" + root)
    expect(page.locator('link[rel="stylesheet"]')).to_have_attribute("href", f"/{root}assets/style.css")
    page.wait_for_load_state("networkidle")
    assert styled(page)
    dashboard.click()
    page.wait_for_load_state()
    assert page.url == served
    page.close()


def test_the_gitlab_pages_recipe_serves_under_its_project_path(tmp_path: Path, browser: Any) -> None:
    """docs/deploy.md's GitLab job: `build --output public --base-url "$CI_PAGES_URL"`, served as
    GitLab serves project pages, under /<project>/."""
    from hostile import promisesite

    root = copy_sample(tmp_path)
    done = promisesite(root, "build", "--output", "public", "--base-url", "https://northwind.gitlab.io/promises/")
    assert done.returncode == 0, done.stderr
    handler = type("Handler", (_PagesHandler,), {"site": root / "public", "prefix": "/promises/"})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    served = f"http://127.0.0.1:{server.server_address[1]}/promises/"
    try:
        page = browser.new_page()
        page.goto(served + "teams/platform/")
        assert styled(page)
        response = page.goto(served + "promises/gone/for/good/")
        assert response is not None and response.status == 404
        assert page.locator("a", has_text="Go to the dashboard").get_attribute("href") == "/promises/"
        page.wait_for_load_state("networkidle")
        assert styled(page)  # its links start at base_url's path: right at any depth, no search needed
        feed = (root / "public/feed.xml").read_text()
        assert "https://northwind.gitlab.io/promises/promises/checkout-latency/" in feed  # absolute where needed
        page.close()
    finally:
        server.shutdown()
        server.server_close()
