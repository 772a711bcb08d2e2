"""`promisesite serve`: the real server on a free port, real files edited the ways editors save them."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import TODAY, Repo
from promisesite.serve.live import MAX_SUPERSEDED, LiveSite
from serving import PATIENCE, Served
from sitetools import copy_sample, tree_hashes

CHECKOUT = "promises/platform/checkout-latency.md"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = Served(copy_sample(tmp_path))
    yield server
    if server.process.poll() is None:
        code, log = server.stop()
        assert code == 0, log
        assert "Traceback" not in log


def test_plain_save(served: Served) -> None:
    assert served.get("promises/checkout-latency/")[0] == 200
    served.edit(CHECKOUT, "under 300 ms for the holiday peak", "under 250 ms for the holiday peak")
    served.wait_for(served.page_has("promises/checkout-latency/", "under 250 ms for the holiday peak"), "the edit")
    assert "under 250 ms" in served.get("teams/platform/")[1]  # and the pages that list it
    assert "under 250 ms" in served.get("promises.json")[1]


def test_atomic_save_by_rename(served: Served) -> None:
    path = served.root / CHECKOUT
    temporary = path.with_name("checkout-latency.md.tmp")  # what an editor writes first
    temporary.write_text(path.read_text().replace("status: promised", "status: delivered\ndelivered: 2026-11-20"))
    os.replace(temporary, path)
    served.wait_for(served.page_has("promises/checkout-latency/", 'class="badge s-delivered"'), "the renamed-over file")
    assert "checkout-latency" in served.get("status/delivered/")[1]
    assert "checkout-latency" not in served.get("status/promised/")[1]


def test_new_file_delete_and_rename(served: Served) -> None:
    source = (served.root / "promises/payments/export-csv.md").read_text()
    new = served.root / "promises/payments/export-xlsx.md"
    new.write_text(source.replace("as CSV", "as XLSX"))
    served.wait_for(lambda: served.get("promises/export-xlsx/")[0] == 200, "the new page")
    assert "as XLSX" in served.get("customers/lena-fischer/")[1]
    new.rename(new.with_name("export-excel.md"))
    served.wait_for(lambda: served.get("promises/export-excel/")[0] == 200, "the renamed page")
    assert served.get("promises/export-xlsx/")[0] == 404
    (served.root / "promises/payments/export-excel.md").unlink()
    served.wait_for(lambda: served.get("promises/export-excel/")[0] == 404, "the deleted page to go")
    status, page = served.get("promises/export-excel/")
    assert "Not found" in page
    assert "as XLSX" not in served.get("customers/lena-fischer/")[1]


def test_template_change_rebuilds_every_page(served: Served) -> None:
    footer = served.root / "templates/partials/footer.html"
    footer.write_text("<p>Footer edited while serving</p>\n")
    for page in ("", "promises/load-test/", "people/hana-kim/"):
        served.wait_for(served.page_has(page, "Footer edited while serving"), f"the footer on /{page}")


def test_config_change_rebuilds_every_page(served: Served) -> None:
    served.edit("promisesite.yaml", "title: Northwind Outfitters — promises", "title: Northwind promises, renamed")
    served.wait_for(served.page_has("", "<title>Dashboard · Northwind promises, renamed</title>"), "the new title")
    assert "Northwind promises, renamed" in served.get("promises/load-test/")[1]


def test_broken_file_shows_findings_and_recovers(served: Served) -> None:
    path = served.root / CHECKOUT
    good = path.read_text()
    path.write_text(good.replace("title: Checkout p95", "title: [Checkout p95"))
    served.wait_for(lambda: served.status()["errors"], "the finding")
    [finding] = served.status()["errors"]
    assert (finding["path"], finding["line"], finding["code"]) == (CHECKOUT, 2, "P003")
    status, page = served.get("promises/checkout-latency/")
    assert status == 200 and "Checkout p95 latency under 300 ms" in page  # the last good version
    served.edit("promises/support/peak-runbook.md", "rehearsed by every agent", "rehearsed by all 12 agents")
    served.wait_for(served.page_has("promises/peak-runbook/", "rehearsed by all 12 agents"), "other edits still apply")
    path.write_text(good.replace("under 300 ms for", "under 280 ms for"))
    served.wait_for(lambda: not served.status()["errors"], "recovery")
    assert "under 280 ms for" in served.get("promises/checkout-latency/")[1]
    code, log = served.stop()
    assert code == 0
    assert "P003" in log and "last good version" in log


def test_broken_config_keeps_serving(served: Served) -> None:
    config = served.root / "promisesite.yaml"
    good = config.read_text()
    config.write_text(good + "\nunknwon_key: 1\n")
    served.wait_for(lambda: served.status()["error"], "the configuration error")
    assert "did you mean" in served.status()["error"] or "unknown key" in served.status()["error"]
    assert served.get("")[0] == 200
    config.write_text(good.replace("Northwind Outfitters — promises", "Northwind again"))
    served.wait_for(served.page_has("", "Northwind again"), "recovery from the config error")
    assert served.status()["error"] == ""


NOISE = (
    ".checkout-latency.md.swp",
    "checkout-latency.md~",
    ".#checkout-latency.md",
    "4913",
    "checkout-latency.md___jb_tmp___",
    ".goutputstream-ABC123",
)


def test_editor_temp_files_are_ignored(served: Served) -> None:
    folder = served.root / "promises/platform"
    for name in NOISE:
        (folder / name).write_text("scratch")
    served.edit(CHECKOUT, "under 300 ms", "under 290 ms")  # a real save after the noise
    served.settled()
    assert "under 290 ms" in served.get("promises/checkout-latency/")[1]
    rebuilds = [line for line in served.printed().splitlines() if " changed: " in line]
    assert rebuilds and all(CHECKOUT in line for line in rebuilds), rebuilds  # the save, never the noise


def test_the_watcher_never_reports_editor_noise(tmp_path: Path) -> None:
    """watchdog on real files: the noise is written first, so its events come before the save's."""
    import threading

    from promisesite.serve.watcher import Watcher

    seen: list[set[Path]] = []
    saved = threading.Event()
    real = tmp_path / "checkout-latency.md"

    def callback(paths: set[Path], rescan: bool) -> None:
        seen.append(paths)
        if real in paths:
            saved.set()

    watch = Watcher([(tmp_path, True)], callback)
    watch.start()
    try:
        for name in NOISE:
            (tmp_path / name).write_text("scratch")
        real.write_text("---\n")
        assert saved.wait(120), "the save was never reported"
    finally:
        watch.stop()
    assert {path.name for paths in seen for path in paths} == {real.name}


def test_reading_the_files_gives_the_watcher_nothing_to_do(tmp_path: Path) -> None:
    """A search across the files (grep, an editor's find in files) opens and reads each: the kernel
    is not asked for those events, so a save never queues behind them."""
    import threading

    from promisesite.serve.watcher import Watcher

    files = [tmp_path / f"p{n}.md" for n in range(50)]
    for file in files:
        file.write_text("---\n")
    kinds: list[str] = []
    saved = threading.Event()
    watch = Watcher([(tmp_path, True)], lambda paths, rescan: saved.set() if files[0] in paths else None)
    handle = watch._handler.on_any_event
    watch._handler.on_any_event = lambda event: (kinds.append(event.event_type), handle(event))  # type: ignore[method-assign]
    watch.start()
    try:
        for file in files * 3:
            file.read_text()
        files[0].write_text("---\ntitle: saved\n")
        assert saved.wait(120), "the save was never reported"
    finally:
        watch.stop()
    assert "modified" in kinds and not {"opened", "closed_no_write"} & set(kinds)


def test_incremental_series_equals_a_clean_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_sample(tmp_path)
    monkeypatch.chdir(root)
    server = Served(root, "--output", "served")
    try:
        server.edit(CHECKOUT, "under 300 ms for the holiday", "under 275 ms for the holiday")  # a title
        server.edit("promises/mobile/apple-pay.md", "status: countered", "status: promised\npromised: 2026-11-20")
        server.edit("promises/platform/load-test.md", "serves: holiday-readiness\n", "")  # leaves the tree
        (root / "promises/support/new-promise.md").write_text(
            (root / "promises/support/chat-widget.md")
            .read_text()
            .replace("Live chat", "Callback")
            .replace("customer: mobile", "customer: ana.lima")
        )
        (root / "promises/payments/fax-gateway.md").unlink()
        (root / "promises/mobile/offline-cart.md").rename(root / "promises/mobile/offline-basket.md")
        (root / "promises/platform/admin-sso.md").write_text("---\ntitle: [broken\n---\n")  # broken ...
        server.wait_for(lambda: server.status()["errors"], "the broken file")
        (root / "promises/platform/admin-sso.md").write_text(  # ... and repaired differently
            (root / "promises/platform/data-retention.md").read_text().replace("7 years", "10 years")
        )
        server.wait_for(
            lambda: not server.status()["errors"] and server.get("promises/admin-sso/")[1].count("10 years") > 0,
            "the last edit",
        )
        server.settled()
        served = tree_hashes(root / "served")
    finally:
        code, log = server.stop()
    assert code == 0, log
    result = Repo(root).run("build", "--today", TODAY, "--output", "fresh")
    assert result.exit_code == 0, result.stderr
    fresh = tree_hashes(root / "fresh")
    assert set(served) == set(fresh)
    assert {path for path in fresh if served[path] != fresh[path]} == set()
    assert "promises/offline-basket/index.html" in fresh and "promises/fax-gateway/index.html" not in fresh


def test_never_serves_outside_the_output(served: Served) -> None:
    for attempt in (
        "../promisesite.yaml",
        "%2e%2e/promisesite.yaml",
        "%2E%2E%2Fpromisesite.yaml",
        "assets/..%2f..%2fpromisesite.yaml",
        "..%5c..%5cpromisesite.yaml",
        "promises/../../etc/passwd",
    ):
        status, body = served.get(attempt)
        assert status == 404, attempt
        assert "people:" not in body
    status, _ = served.get("promises/checkout-latency")  # without the slash
    assert status == 200  # followed the redirect


def test_ctrl_c_stops_cleanly_and_removes_the_temporary_folder(served: Served) -> None:
    [scratch] = served.scratch.glob("promisesite-serve-*")  # serve's own TMPDIR: nobody else's folders
    assert (scratch / "site/index.html").is_file()
    code, log = served.stop()
    assert code == 0 and "Stopped." in log
    assert not scratch.exists()


def test_falls_back_to_polling_when_native_watching_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The inotify limit, simulated at the one call that hits it; the polling that follows is real."""
    import errno

    from promisesite.serve import watcher as watching

    def exhausted(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(watching.Observer, "schedule", exhausted)
    seen: list[set[Path]] = []
    messages: list[str] = []
    folder = tmp_path / "promises"
    folder.mkdir()
    watch = watching.Watcher([(folder, True)], lambda paths, rescan: seen.append(paths), say=messages.append)
    watch.start()
    try:
        assert watch.polling and "polling instead" in messages[0] and "max_user_watches" in messages[0]
        (folder / "a.md").write_text("x")
        deadline = time.monotonic() + PATIENCE
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert seen and folder / "a.md" in seen[0]
    finally:
        watch.stop()


def test_open_page_reloads_by_itself_and_shows_broken_files(served: Served, browser) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(served.url + "promises/checkout-latency/")
    heading = page.locator("h1")
    expect(heading).to_have_text("Checkout p95 latency under 300 ms for the holiday peak")
    served.wait_for(lambda: served.status()["browsers"] == 1, "the page to listen for rebuilds")
    served.edit(CHECKOUT, "under 300 ms for the holiday peak", "under 200 ms for the holiday peak")
    expect(heading).to_have_text("Checkout p95 latency under 200 ms for the holiday peak", timeout=PATIENCE * 1000)
    path = served.root / CHECKOUT
    path.write_text(path.read_text().replace("status: promised", "status: in-flight"))
    overlay = page.locator("#promisesite-overlay")
    expect(overlay).to_contain_text("P007", timeout=PATIENCE * 1000)
    expect(overlay).to_contain_text(CHECKOUT)
    path.write_text(path.read_text().replace("status: in-flight", "status: promised"))
    expect(overlay).to_have_count(0, timeout=PATIENCE * 1000)
    assert problems == []
    page.close()


def test_ctrl_c_stops_serve_started_with_sigint_ignored(tmp_path: Path) -> None:
    server = Served(copy_sample(tmp_path), ignoring_sigint=True)
    code, log = server.stop()  # SIGINT, and at most 15 s to stop
    assert code == 0 and "Stopped." in log, log


def test_the_source_folder_moved_away_and_made_again_is_watched_again(served: Served) -> None:
    source = served.root / "promises"
    source.rename(served.root / "promises-old")
    served.wait_for(lambda: bool(served.status()["error"]), "serve to see the folder gone")
    shutil.copytree(served.root / "promises-old", source)  # a checkout of another branch does this
    served.wait_for(lambda: not served.status()["error"], "serve to see the folder back")
    served.edit(CHECKOUT, "under 300 ms for the holiday peak", "under 240 ms for the holiday peak")
    served.wait_for(served.page_has("promises/checkout-latency/", "under 240 ms for the holiday peak"), "the edit")


def test_a_new_source_folder_in_the_config_is_watched(served: Served) -> None:
    shutil.copytree(served.root / "promises", served.root / "commitments")
    served.edit("promisesite.yaml", "source: promises", "source: commitments")
    served.wait_for(lambda: served.status(inputs=True)["inputs"].keys() >= {"commitments/platform/load-test.md"}, "it")
    served.edit(
        "commitments/platform/checkout-latency.md", "under 300 ms for the holiday peak", "under 230 ms for the peak"
    )
    served.wait_for(served.page_has("promises/checkout-latency/", "under 230 ms for the peak"), "the edit")


def test_a_templates_folder_made_while_serving_is_watched(tmp_path: Path) -> None:
    root = copy_sample(tmp_path)
    shutil.rmtree(root / "templates")
    server = Served(root)
    try:
        (root / "templates/partials").mkdir(parents=True)
        (root / "templates/partials/footer.html").write_text("<p>A footer made after serve started</p>\n")
        server.wait_for(server.page_has("", "A footer made after serve started"), "the new template")
        (root / "templates/partials/footer.html").write_text("<p>And edited again</p>\n")
        server.wait_for(server.page_has("promises/load-test/", "And edited again"), "the edited template")
    finally:
        server.stop()


def test_a_new_broken_file_is_reported_at_once(served: Served) -> None:
    (served.root / "promises/platform/broken.md").write_text("---\ntitle: [unclosed\n---\n")
    served.wait_for(lambda: served.status()["errors"], "the finding")
    [finding] = served.status()["errors"]
    assert (finding["path"], finding["code"]) == ("promises/platform/broken.md", "P003")
    served.wait_for(lambda: "promises/platform/broken.md:2:" in served.printed(), "the finding in the terminal")


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LiveSite:
    """The sample served in this process, built once, into `served/` beside it."""
    root = copy_sample(tmp_path)
    monkeypatch.chdir(root)
    site = LiveSite(None, TODAY, root / "served")
    assert not site.rebuild().error
    return site


def test_a_newer_save_goes_first_and_the_site_catches_up(live: LiveSite) -> None:
    root = live.output.parent
    dashboard = (root / "served/index.html").read_bytes()
    pages: list[str] = []

    def save(path: str, old: str, new: str) -> Path:
        file = root / path
        file.write_text(file.read_text().replace(old, new, 1))
        return file

    first = save(CHECKOUT, "under 300 ms for the holiday", "under 275 ms for the holiday")
    report = live.rebuild([first], early=lambda page: pages.extend(page.written), newer=lambda: True)
    assert report.superseded and not report.written
    assert pages == ["promises/checkout-latency/index.html"]
    assert "under 275 ms" in (root / "served/promises/checkout-latency/index.html").read_text()
    assert (root / "served/index.html").read_bytes() == dashboard  # the rest waits for the next rebuild

    second = save("promises/mobile/dark-mode.md", "title: Dark mode", "title: Night mode")
    report = live.rebuild([second], early=lambda page: pages.extend(page.written), newer=lambda: False)
    assert not report.superseded and pages[-1] == "promises/dark-mode/index.html"
    assert set(report.changed) == {CHECKOUT, "promises/mobile/dark-mode.md"}  # the first save came along

    Repo(root).run("build", "--today", TODAY, "--output", "fresh")
    assert tree_hashes(root / "served") == tree_hashes(root / "fresh")


def test_a_stream_of_saves_cannot_put_the_site_off_for_ever(live: LiveSite) -> None:
    root = live.output.parent
    file = root / CHECKOUT
    reports = []
    for n in range(MAX_SUPERSEDED + 1):
        file.write_text(file.read_text().replace("title: ", f"title: {n} ", 1))
        reports.append(live.rebuild([file], early=lambda page: None, newer=lambda: True))
    assert [r.superseded for r in reports] == [True] * MAX_SUPERSEDED + [False]
    assert f"title: {MAX_SUPERSEDED} " in file.read_text() and reports[-1].changed == [CHECKOUT]


def test_a_change_to_the_notes_alone_rewrites_only_its_page(live: LiveSite) -> None:
    root = live.output.parent
    file = root / CHECKOUT
    file.write_text(file.read_text() + "\nA note added under the promise, with **emphasis**.\n")
    report = live.rebuild([file])
    assert report.written == ["promises/checkout-latency/index.html"]
    assert "<strong>emphasis</strong>" in (root / "served" / report.written[0]).read_text()
    file.write_text(file.read_text().replace("title: ", "title: Still ", 1))  # the next edit lists it again
    assert "teams/platform/index.html" in live.rebuild([file]).written

    Repo(root).run("build", "--today", TODAY, "--output", "fresh")
    assert tree_hashes(root / "served") == tree_hashes(root / "fresh")


def test_a_save_that_changes_only_findings_still_shows_them(live: LiveSite) -> None:
    """A file broken mid-edit keeps its last good promise (the same object), but its findings change:
    that is not a notes-only edit, and its page shows them."""
    root = live.output.parent
    file = root / CHECKOUT
    file.write_text(file.read_text().replace("status: promised", "status: [promised", 1))
    report = live.rebuild([file])
    assert "promises/checkout-latency/index.html" in report.written
    assert "P003" in (root / "served/promises/checkout-latency/index.html").read_text()
