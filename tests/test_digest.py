"""`promisesite digest`: each person's items match what the built site says of them, item by item;
quiet for a person with nothing to do; posted to a real HTTP server on 127.0.0.1 (retried on 500,
refused on 4xx) and mailed through a real SMTP server (aiosmtpd), one message a person."""

from __future__ import annotations

import email
import http.server
import json
import re
import threading
from collections.abc import Iterator
from email import policy
from pathlib import Path

import pytest

from conftest import TODAY
from hostile import promisesite
from promisesite.site.markdown import MarkdownRenderer
from sitetools import copy_sample


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("digest"))
    assert promisesite(root, "build").returncode == 0
    return root


def digest(root: Path, *args: str) -> dict:
    done = promisesite(root, "digest", "--format", "json", "--today", TODAY, *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout.strip() else {"digests": []}


def items(root: Path, handle: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for one in digest(root, "--for", handle)["digests"]:
        for item in one["items"]:
            found.setdefault(item["section"], set()).add(item["promise_id"])
    return found


@pytest.mark.parametrize("handle", ["hana.kim", "ana.lima", "cleo.ruiz", "bo.chen", "jon.reyes", "lena.fischer"])
def test_each_persons_items_are_what_the_site_says_of_them(sample: Path, handle: str) -> None:
    site = json.loads((sample / "site/promises.json").read_text())
    config = (sample / "promisesite.yaml").read_text()
    teams = {
        t
        for t, members in re.findall(r"^  ([\w.-]+): \{name: [^,]+, members: \[([^\]]*)\]", config, re.M)
        if handle in members
    }
    mine = {handle, *teams}
    found = items(sample, handle)
    # Owed: the promises the site marks overdue with this person as promiser.
    assert found.get("overdue", set()) == {p["id"] for p in site if p["overdue"] and p["promiser"] == handle}
    # Waiting on them: requests made to them, offers made to them, deliveries to accept, late ones for them.
    assert found.get("to-answer", set()) == {
        p["id"]
        for p in site
        if (p["status"] == "requested" and p["promiser"] == handle)
        or (p["status"] in ("offered", "countered") and p["customer"] in mine)
    }
    assert found.get("to-accept", set()) == {
        p["id"] for p in site if p["status"] == "delivered" and p["customer"] in mine and p["promiser"] != handle
    }
    assert found.get("late-for-you", set()) == {
        p["id"]
        for p in site
        if p["overdue"] and p["customer"] in mine and p["promiser"] != handle and p["status"] != "delivered"
    }
    # At risk: what the person's page lists as at risk, less what is already said as overdue or due soon.
    page = (sample / f"site/people/{handle.replace('.', '-')}/index.html").read_text()
    section = page.split('id="at-risk"', 1)[1].split("</section>", 1)[0] if 'id="at-risk"' in page else ""
    on_page = set(re.findall(r'href="\.\./\.\./promises/([a-z0-9-]+)/"', section))
    assert found.get("at-risk", set()) == on_page - found.get("overdue", set()) - found.get("due-soon", set())


def test_the_situations_are_varied_and_a_person_with_nothing_to_do_hears_nothing(sample: Path) -> None:
    sections = {handle: set(items(sample, handle)) for handle in ("hana.kim", "ana.lima", "cleo.ruiz", "jon.reyes")}
    assert set().union(*sections.values()) >= {"overdue", "to-answer", "to-accept", "late-for-you", "due-soon"}
    quiet = promisesite(sample, "digest", "--for", "nobody.here", "--today", TODAY)
    assert quiet.returncode == 0 and quiet.stdout == ""


def test_every_item_links_its_page_names_the_other_party_and_says_what_to_do(sample: Path) -> None:
    config = sample / "promisesite.yaml"
    text = config.read_text()
    config.write_text(text.replace("base_url: /", "base_url: https://promises.northwind.example/"))
    try:
        found = digest(sample, "--for", "hana.kim")["digests"][0]["items"]
    finally:
        config.write_text(text)
    for item in found:
        assert item["url"] == f"https://promises.northwind.example/promises/{item['promise_id']}/"
        assert item["other_name"] and item["other_name"] in item["todo"]


def test_the_markdown_renders_in_both_engines(sample: Path, browser, screenshots: Path) -> None:
    done = promisesite(sample, "digest", "--for", "cleo.ruiz", "--today", TODAY)
    for engine in ("markdown", "gfm"):
        html = MarkdownRenderer(engine)(done.stdout)
        assert "<h4>Cleo Ruiz (cleo.ruiz): 3 things to do this week</h4>" in html, engine
        assert html.count("<li>") == 3 and "<strong>Due soon</strong>" in html
    page = sample / "digest.html"
    page.write_text(
        "<!doctype html><html lang=en><meta charset=utf-8><title>Digest</title><body style='font:15px/1.5 "
        "system-ui;max-width:760px;margin:24px'>" + MarkdownRenderer("markdown")(done.stdout) + "</body></html>"
    )
    view = browser.new_page(viewport={"width": 800, "height": 600})
    view.goto(page.as_uri())
    assert view.get_by_role(
        "link", name="Card payments fail over to the second provider within 30 seconds"
    ).is_visible()
    view.screenshot(path=str(screenshots / "digest.png"), full_page=True)
    view.close()


def test_a_team_digest_has_last_weeks_share_and_its_misses(sample: Path) -> None:
    [team] = digest(sample, "--team", "platform")["digests"]
    assert team["kind"] == "team" and team["items"]
    assert all(item["promise_id"] for item in team["items"])


# --- delivery ------------------------------------------------------------------------------


class _Hook(http.server.BaseHTTPRequestHandler):
    statuses: list[int]
    received: list[dict]

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append({"type": self.headers["Content-Type"], "json": json.loads(body)})
        status = self.statuses.pop(0) if self.statuses else 200
        self.send_response(status)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hook() -> Iterator[tuple[str, type[_Hook]]]:
    handler = type("Hook", (_Hook,), {"statuses": [], "received": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/services/T000/B000/SECRETPART", handler
    server.shutdown()
    server.server_close()


def test_post_sends_slack_json_and_retries_a_500(sample: Path, hook) -> None:
    url, handler = hook
    handler.statuses = [500, 503]
    done = promisesite(sample, "digest", "--team", "platform", "--post", url, "--today", TODAY)
    assert done.returncode == 0, done.stderr
    assert len(handler.received) == 3  # two refusals, then taken
    message = handler.received[-1]
    assert message["type"] == "application/json" and message["json"]["text"].startswith("## Promises, the week of")
    assert "SECRETPART" not in done.stdout + done.stderr


def test_post_refused_with_a_4xx_is_a_clear_exit_2_without_the_secret(sample: Path, hook) -> None:
    url, handler = hook
    handler.statuses = [404]
    done = promisesite(sample, "digest", "--team", "platform", "--post", url, "--today", TODAY)
    assert done.returncode == 2 and "refused the digest (HTTP 404)" in done.stderr
    assert len(handler.received) == 1 and "SECRETPART" not in done.stdout + done.stderr


def test_mail_sends_one_message_a_person_with_text_and_html(sample: Path) -> None:
    import asyncio
    import socket

    from aiosmtpd.smtp import SMTP

    class Inbox:
        def __init__(self) -> None:
            self.messages: list[tuple[list[str], bytes]] = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
            self.messages.append((list(envelope.rcpt_tos), envelope.content))
            return "250 OK"

    inbox = Inbox()
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))  # a port of its own, bound before anything connects
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        server = loop.run_until_complete(loop.create_server(lambda: SMTP(inbox), sock=listening))
        ready.set()
        loop.run_forever()
        server.close()
        loop.run_until_complete(server.wait_closed())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    ready.wait(30)
    try:
        port = listening.getsockname()[1]
        done = promisesite(
            sample, "digest", "--smtp", f"127.0.0.1:{port}", "--from", "promises@northwind.example", "--today", TODAY
        )
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)
    assert done.returncode == 0, done.stderr
    people = [d for d in digest(sample)["digests"]]
    assert len(inbox.messages) == len(people) >= 5
    recipients = sorted(to for tos, _ in inbox.messages for to in tos)
    assert recipients == sorted(f"{d['handle']}@northwind.example" for d in people)
    for _, raw in inbox.messages:
        message = email.message_from_bytes(raw, policy=policy.default)
        assert message["From"] == "promises@northwind.example" and message.is_multipart()
        text, html = message.get_body(("plain",)), message.get_body(("html",))
        assert text is not None and html is not None
        assert "to do this week" in text.get_content() and "<h3>" in html.get_content()
