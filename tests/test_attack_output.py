"""Attacks on what promisesite writes: findings that forge lines or workflow commands, XML and
iCalendar broken by characters a value may hold, floods of findings, and failures of the disk."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import promise_text
from hostile import limit_file_size, obey_permissions, promisesite
from serving import Served
from sitetools import copy_sample, tree_hashes

FINDING_LINE = re.compile(r"^.+?:\d+:\d+: P\d{3} (error|warning) [a-z-]+: .*$")
SUMMARY_LINE = re.compile(r"^(All good|Found) ")


def hostile_repo(root: Path) -> Path:
    (root / "promises").mkdir(parents=True)
    forged = (
        "promised\nforged.md:1:1: P000 error forged: this line was written by the file\n::error::forged"
        "\x1b[2J\x1b]0;owned\x07\u202e"
    )
    (root / "promises/forge.md").write_text(
        promise_text(
            status=json.dumps(forged), title=json.dumps("Escape \x1b[2J\x1b]0;owned\x07 title \x01 \ufffe end")
        )
    )
    (root / "promises/tab\r\nUID:evil.md").write_text(promise_text(title="A file name with a line break"))
    (root / "promises/plain.md").write_text(promise_text(title=json.dumps("Control \x01\x02\x1f and \ufffe")))
    return root


def test_text_findings_cannot_forge_lines_commands_or_escapes(tmp_path: Path) -> None:
    root = hostile_repo(tmp_path / "repo")
    done = promisesite(root, "check", "--color", "never")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert all(FINDING_LINE.match(line) for line in lines[:-1]), done.stdout
    assert SUMMARY_LINE.match(lines[-1])
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout and "\r" not in done.stdout
    assert not any(line.startswith("::") for line in lines)
    assert "\\n" in done.stdout and "\\x1b" in done.stdout  # shown, escaped


def test_github_annotations_cannot_be_forged(tmp_path: Path) -> None:
    root = hostile_repo(tmp_path / "repo")
    done = promisesite(root, "check", "--format", "github")
    lines = done.stdout.splitlines()
    assert all(line.startswith(("::error ", "::warning ")) for line in lines[:-1]), done.stdout
    assert "\x1b" not in done.stdout


def test_xml_outputs_stay_well_formed(tmp_path: Path) -> None:
    root = hostile_repo(tmp_path / "repo")
    junit = promisesite(root, "check", "--format", "junit")
    ET.fromstring(junit.stdout.encode())
    assert promisesite(root, "build", "--allow-errors").returncode == 1
    for name in ("feed.xml", "sitemap.xml"):
        ET.parse(root / "site" / name)


def test_a_file_name_cannot_inject_calendar_lines(tmp_path: Path) -> None:
    root = hostile_repo(tmp_path / "repo")
    assert promisesite(root, "build", "--allow-errors").returncode == 1
    for calendar in (root / "site").rglob("*.ics"):
        text = calendar.read_bytes().decode("utf-8")
        assert text.endswith("\r\n")
        for line in text[:-2].split("\r\n"):
            assert re.match(r"^([A-Z-]+[;:]| )", line), (calendar, line)
            assert not re.search(r"[\x00-\x08\x0a-\x1f\x7f]", line), (calendar, line)
        assert text.count("BEGIN:VEVENT") == text.count("END:VEVENT")
        assert "\r\nUID:evil" not in text


def test_findings_are_bounded_per_rule_and_file(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "promises").mkdir(parents=True)
    flood = "try " * 170_000  # 680 KB, under the 1 MB limit
    (root / "promises/flood.md").write_text(promise_text(done_when=[flood.strip(), "maybe soon " * 1000]))
    done = promisesite(root, "check", "--format", "json")  # within the hang bound of `promisesite`
    findings = json.loads(done.stdout)
    by_code: dict[str, int] = {}
    for finding in findings:
        by_code[finding["code"]] = by_code.get(finding["code"], 0) + 1
    assert by_code["P203"] <= 21 and by_code["P204"] <= 21, by_code
    assert any("more" in f["message"] for f in findings if f["code"] == "P203")
    sarif = promisesite(root, "check", "--format", "sarif")
    assert len(sarif.stdout) < 200_000
    assert promisesite(root, "build", "--allow-errors").returncode == 1
    assert (root / "site/promises/flood/index.html").stat().st_size < 2_000_000


def test_a_large_registry_is_a_config_not_an_alias_bomb(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "promises").mkdir(parents=True)
    people = "".join(f"  p{n}: {{name: Person {n}, email: p{n}@example.com}}\n" for n in range(10_000))
    members = ", ".join(f"p{n}" for n in range(10_000))
    (root / "promisesite.yaml").write_text(
        f"people:\n{people}  ana.lima: {{name: Ana}}\nteams:\n  platform: {{members: [{members}]}}\n  payments: {{}}\n"
    )
    (root / "promises/checkout.md").write_text(promise_text())
    done = promisesite(root, "check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_alias_bomb_in_the_config_is_still_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "promises").mkdir(parents=True)
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    (root / "promisesite.yaml").write_text("\n".join(lines) + "\ntitle: *i\n")
    done = promisesite(root, "check")  # within the hang bound of `promisesite`
    assert done.returncode == 2 and "alias" in done.stderr


def _one_line_refusal(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, done.stderr
    said = [line for line in done.stderr.splitlines() if line.strip() and not FINDING_LINE.match(line)]
    assert len(said) == 1, done.stderr
    assert "intact" in said[0] or "unchanged" in said[0], said[0]
    return said[0]


def test_a_full_disk_is_a_clear_failure_and_the_old_site_survives(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    assert promisesite(root, "build").returncode == 0
    before = tree_hashes(root / "site")
    promise = root / "promises/payments/fax-gateway.md"
    promise.write_text(promise.read_text().replace("title: ", "title: Renamed ", 1))
    done = promisesite(root, "build", "--no-cache", "-q", preexec=limit_file_size(4096))
    line = _one_line_refusal(done)
    assert "File too large" in line or "space" in line
    assert tree_hashes(root / "site") == before
    assert not list(root.glob(".site.*"))


def test_a_read_only_output_folder_is_a_clear_failure(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo" / "inner")
    assert promisesite(root, "build").returncode == 0
    before = tree_hashes(root / "site")
    promise = root / "promises/payments/fax-gateway.md"
    promise.write_text(promise.read_text().replace("title: ", "title: Renamed ", 1))
    root.chmod(0o555)  # the output's parent: no staging folder can be made beside it
    try:
        done = promisesite(root, "build", "-q", preexec=obey_permissions)
    finally:
        root.chmod(0o755)
    line = _one_line_refusal(done)
    assert "ermission denied" in line
    assert tree_hashes(root / "site") == before


def ask(served: Served, path: str, host: str) -> int:
    """The status of a GET with this Host header, as a browser led by a rebinding DNS would send it."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
    connection.request("GET", path, headers={"Host": host})
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for the tests that only ask it questions."""
    server = Served(copy_sample(tmp_path_factory.mktemp("repo")))
    yield server
    code, log = server.stop()
    assert code == 0 and "Traceback" not in log, log


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:8000",
        "127.0.0.1.evil.example",
        "localhost.evil",
        "localhost:8000@evil.example",
        "localhost evil.example",
        "[::1]x.evil",
    ],
)
def test_serve_refuses_a_host_it_does_not_listen_under(served: Served, host: str) -> None:
    for path in ("/", "/promises.json", "/__promisesite/status", "/__promisesite/events"):
        assert ask(served, path, host) in (403, 421), (path, host)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}"])
def test_serve_answers_the_names_it_listens_under(served: Served, host: str) -> None:
    assert ask(served, "/", host.format(port=served.port)) == 200


def test_a_chain_of_thousands_of_promises_builds(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "promises").mkdir(parents=True)
    for n in range(2500):
        serves = f"p{n - 1}" if n else None
        (root / f"promises/p{n}.md").write_text(promise_text(serves=serves, title=f"Ledger export step {n}"))
    done = promisesite(root, "build")
    assert done.returncode == 0, done.stderr
    deepest = (root / "site/promises/p2499/index.html").read_text()
    assert deepest.count('<li><a href="../../promises/p') < 20  # the breadcrumb shows the top and the nearest


@pytest.mark.parametrize(
    "key, value",
    [
        ("repo_url", "javascript:alert(1)"),
        ("base_url", '"><script>alert(1)</script>'),
        ("repo_url", 'https://x.example/"onmouseover=alert(1)'),
    ],
)
def test_config_urls_that_are_not_urls_are_refused(tmp_path: Path, key: str, value: str) -> None:
    root = copy_sample(tmp_path / "repo")
    config = root / "promisesite.yaml"
    config.write_text(re.sub(rf"^{key}: .*$", f"{key}: '{value}'", config.read_text(), flags=re.MULTILINE))
    done = promisesite(root, "build")
    assert done.returncode == 2 and key in done.stderr, done.stderr


def test_sarif_locations_are_uris(tmp_path: Path) -> None:
    root = hostile_repo(tmp_path / "repo")
    sarif = json.loads(promisesite(root, "check", "--format", "sarif").stdout)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]]
    assert uris and all(re.fullmatch(r"[A-Za-z0-9._~/%!$&'()*+,;=:@-]+", uri) for uri in uris), uris


def test_serve_answers_a_path_too_long_for_the_disk_with_404(served: Served) -> None:
    assert ask(served, "/promises/" + "a" * 300 + "/", "localhost") == 404
    assert ask(served, "/", "localhost") == 200


@pytest.mark.parametrize("size", ["100 GB", "0.5", "99999999999999999999 GB", "-1"])
def test_an_absurd_file_size_limit_is_a_config_error(tmp_path: Path, size: str) -> None:
    root = tmp_path / "repo"
    (root / "promises").mkdir(parents=True)
    (root / "promises/checkout.md").write_text(promise_text())
    (root / "promisesite.yaml").write_text(f"max_file_size: {size}\n")
    done = promisesite(root, "check")
    assert done.returncode == 2 and "max_file_size" in done.stderr


def test_a_yaml_hint_does_not_echo_a_huge_line(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "promises").mkdir(parents=True)
    (root / "promises/bad.md").write_text("---\ntitle: " + "[" * 2000 + "a: b" + "x" * 500_000 + "\n---\n")
    done = promisesite(root, "check", "--format", "json")
    findings = json.loads(done.stdout)
    assert findings and all(len(f["message"]) < 400 for f in findings)


def test_a_body_cannot_wear_the_themes_classes(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "promises").mkdir(parents=True)
    body = '<code class="badge s-accepted">accepted</code>\n\n```python\nprint(1)\n```\n'
    (root / "promises/checkout.md").write_text(promise_text(body=body))
    assert promisesite(root, "build").returncode == 0
    page = (root / "site/promises/checkout/index.html").read_text()
    prose = page.split('class="prose"', 1)[1]
    assert 'class="badge' not in prose and 'class="language-python"' in prose


def _site_bytes(root: Path, parent_title: str, children: int) -> tuple[int, int]:
    """A parent and `children` promises that serve it, built with --allow-errors (a long title is
    P012): the bytes of the input and of the site."""
    promises = root / "promises"
    promises.mkdir(parents=True)
    (promises / "parent.md").write_text(promise_text(title=parent_title))
    for index in range(children):
        (promises / f"child-{index}.md").write_text(promise_text(title=f"Child {index} under 300 ms", serves="parent"))
    promisesite(root, "build", "--allow-errors")
    size = lambda folder: sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())  # noqa: E731
    return size(promises), size(root / "site")


def test_the_site_grows_linearly_with_a_long_title_however_many_promise_serve_it(tmp_path: Path) -> None:
    """Each child page names its parent: a long title repeated on every child page would grow the site
    with the tree, not with the input (139 KB of promises once made a 45.9 MB site)."""
    short_in, short_site = _site_bytes(tmp_path / "short", "Holiday readiness " * 10, 150)
    long_in, long_site = _site_bytes(tmp_path / "long", "Holiday readiness " * 1000, 150)
    added_input, added_site = long_in - short_in, long_site - short_site
    assert added_input > 15_000
    # The parent's own pages, lists, feeds and data name it a fixed number of times (about 20);
    # its 150 children name it cut short. Before the cut, each added byte cost over 300.
    assert added_site < 40 * added_input, (added_site, added_input)
