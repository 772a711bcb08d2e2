"""What makes large sites fast must not change what they contain: parallel work, the build cache,
the second Markdown engine, pagination. (Speed itself is measured by benchmarks/, not here.)"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from conftest import GOOD, ROOT, TODAY, Repo, front_matter
from sitetools import broken_links, copy_sample, parse_html, tree_hashes

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """250 generated promises: enough for the parallel paths to engage."""
    return generate(tmp_path_factory.mktemp("corpus") / "repo", 250, seed=7)


def _build(root: Path, output: Path, processes: int, use_cache: bool = False) -> None:
    from promisesite.build import build
    from promisesite.clock import resolve_today
    from promisesite.config import load_config

    config = load_config(root / "promisesite.yaml")
    result = build(config, resolve_today(TODAY), output, use_cache=use_cache, processes=processes)
    assert result.written and result.errors == 0


def test_parallel_build_equals_sequential_build(corpus: Path, tmp_path: Path) -> None:
    _build(corpus, tmp_path / "one", processes=1)
    _build(corpus, tmp_path / "two", processes=2)
    one, two = tree_hashes(tmp_path / "one"), tree_hashes(tmp_path / "two")
    assert len(one) > 500 and one == two


def test_parallel_check_equals_sequential_check(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from promisesite import check
    from promisesite.clock import resolve_today
    from promisesite.config import load_config

    config = load_config(corpus / "promisesite.yaml")
    today = resolve_today(TODAY)
    sequential = check.run_check(config, today)
    monkeypatch.setattr(check, "PARALLEL_MIN", 10)
    monkeypatch.setattr(check, "available_cores", lambda: 2)  # as imported into check
    parallel = check.run_check(config, today)
    assert parallel.findings == sequential.findings and len(parallel.findings) > 50
    assert [p.id for p in parallel.promises] == [p.id for p in sequential.promises]
    assert [p.body for p in parallel.promises] == [p.body for p in sequential.promises]


def test_check_never_renders_markdown(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    from promisesite.site import markdown

    def forbidden(*args, **kwargs):
        raise AssertionError("check rendered Markdown")

    monkeypatch.setattr(markdown.MarkdownRenderer, "__call__", forbidden)
    repo.promise(body="# A heading\n\nSome *text*.\n")
    assert repo.check().exit_code == 0


# --- the build cache -------------------------------------------------------------------------


def _mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_nothing_changed_means_nothing_is_done(repo: Repo) -> None:
    copy_sample(repo.root)
    first = repo.run("build", "--today", TODAY)
    assert first.exit_code == 0
    before = _mtimes(repo.root / "site")
    second = repo.run("build", "--today", TODAY)
    assert second.exit_code == 0 and "Nothing changed" in second.stderr
    assert "P404" in second.stderr  # the findings are still reported
    assert _mtimes(repo.root / "site") == before


def test_an_edit_rewrites_only_the_files_it_changed(repo: Repo) -> None:
    copy_sample(repo.root)
    assert repo.run("build", "--today", TODAY).exit_code == 0
    site = repo.root / "site"
    untouched = site / "promises" / "fax-gateway" / "index.html"
    inode = untouched.stat().st_ino
    path = repo.root / "promises/platform/load-test.md"
    path.write_text(path.read_text().replace("3x last year's peak", "4x last year's peak"))
    result = repo.run("build", "--today", TODAY)
    assert result.exit_code == 0 and "Nothing changed" not in result.stderr
    assert "4x last year" in (site / "promises" / "load-test" / "index.html").read_text()
    assert untouched.stat().st_ino == inode  # carried over, not written again
    written = int(result.stderr.split("(")[-1].split(" of ")[0])
    assert 0 < written < 30


def test_cached_bodies_are_not_rendered_again(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    from promisesite.site import markdown

    copy_sample(repo.root)
    calls = []
    original = markdown.MarkdownRenderer.__call__
    monkeypatch.setattr(
        markdown.MarkdownRenderer, "__call__", lambda self, text: calls.append(1) or original(self, text)
    )
    assert repo.run("build", "--today", TODAY).exit_code == 0
    assert len(calls) >= 15
    calls.clear()
    assert repo.run("build", "--today", "2026-11-22").exit_code == 0  # a new day: every page again ...
    assert calls == []  # ... but no body
    assert "2026-11-22" in (repo.root / "site" / "index.html").read_text()


@pytest.mark.parametrize("damage", ["delete", "garbage"])
def test_a_damaged_cache_only_costs_time(repo: Repo, damage: str) -> None:
    copy_sample(repo.root)
    assert repo.run("build", "--today", TODAY, "--output", "one").exit_code == 0
    cache = repo.root / ".promisesite-cache"
    for file in cache.iterdir():
        if damage == "delete":
            file.unlink()
        else:
            file.write_bytes(b"\x80not a cache\x00")
    (repo.root / "promises/platform/load-test.md").touch()
    assert repo.run("build", "--today", TODAY, "--output", "one").exit_code == 0
    assert repo.run("build", "--today", TODAY, "--output", "two", "--no-cache").exit_code == 0
    assert tree_hashes(repo.root / "one") == tree_hashes(repo.root / "two")


def test_a_template_change_is_not_missed(repo: Repo) -> None:
    copy_sample(repo.root)
    assert repo.run("build", "--today", TODAY).exit_code == 0
    footer = repo.root / "templates" / "partials" / "footer.html"
    footer.write_text("<p>A new footer</p>\n")
    result = repo.run("build", "--today", TODAY)
    assert "Nothing changed" not in result.stderr
    assert "A new footer" in (repo.root / "site" / "index.html").read_text()


def test_the_cache_is_beside_the_config_and_ignores_itself(repo: Repo) -> None:
    copy_sample(repo.root)
    repo.run("build", "--today", TODAY)
    cache = repo.root / ".promisesite-cache"
    assert (cache / "state.json").is_file() and (cache / ".gitignore").read_text() == "*\n"
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")


# --- the gfm engine ----------------------------------------------------------------------------


def test_gfm_engine_renders_tables_and_stays_safe(repo: Repo) -> None:
    pytest.importorskip("cmarkgfm")
    repo.config("markdown_engine: gfm\n")
    body = (
        "## Plan\n\n| step | owner |\n|---|---|\n| cache | ana |\n\n~~dropped~~ www.example.com\n\n"
        '<script>alert(1)</script><img src=x onerror=alert(2)> <a href="javascript:alert(3)">x</a>\n'
    )
    repo.write("evil.md", front_matter(GOOD, body=body))
    assert repo.run("build", "--today", TODAY).exit_code == 0
    page = repo.root / "site" / "promises" / "evil" / "index.html"
    html = page.read_text()
    prose = html[html.index('<div class="prose">') :]
    assert "<h3>Plan</h3>" in prose and "<table>" in prose and "<del>dropped</del>" in prose
    assert 'href="http://www.example.com"' in prose
    assert "<script" not in prose and "onerror" not in prose and "javascript:" not in prose
    assert parse_html(page).handlers == []


def test_unknown_or_missing_engine_is_a_configuration_error(repo: Repo) -> None:
    repo.promise()
    repo.config("markdown_engine: pandoc\n")
    result = repo.run("build", "--today", TODAY)
    assert result.exit_code == 2 and "`markdown_engine: pandoc` is not an engine" in result.stderr
    assert "promisesite.yaml:1:" in result.stderr


# --- pagination ----------------------------------------------------------------------------------


def test_long_lists_are_paginated_and_linked(corpus: Path, tmp_path: Path) -> None:
    _build(corpus, tmp_path / "site", processes=1)
    site = tmp_path / "site"
    assert (site / "promises" / "page" / "3" / "index.html").is_file()
    assert not (site / "promises" / "page" / "4" / "index.html").exists()
    second = (site / "promises" / "page" / "2" / "index.html").read_text()
    assert 'href="../../../promises/" rel="prev"' in second and 'href="../../../promises/page/3/" rel="next"' in second
    assert "101–200 on this page" in second
    assert broken_links(site) == []
    data = json.loads((site / "promises.json").read_text())
    assert len(data) == 250
    first_page = re.findall(
        r'<td class="title-cell"><a href="(\.\./promises/[^"]+/)"', (site / "promises" / "index.html").read_text()
    )
    assert len(first_page) == len(set(first_page)) == 100


def test_gfm_renders_as_github_does_without_leaking() -> None:
    cmarkgfm = pytest.importorskip("cmarkgfm")
    from cmarkgfm.cmark import Options

    from promisesite.site.markdown import _gfm

    convert = _gfm()
    options = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_GITHUB_PRE_LANG
    body = (
        "## Plan\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] open\n\n~~gone~~ www.example.com "
        "<script>x</script> *em* **strong** [link](https://example.com)\n\n```python\nx = 1\n```\n"
    ) * 3
    assert convert(body) == cmarkgfm.github_flavored_markdown_to_html(body, options=options)

    def rss_mb() -> int:
        return int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]) // 1024

    before = rss_mb()
    for _ in range(3000):
        convert(body)
    assert rss_mb() - before < 30  # cmarkgfm's own function keeps about 60 KB a call: 180 MB here


def test_a_team_of_2000_promises_gets_pages_under_200_kb(repo: Repo) -> None:
    for n in range(2000):
        due = f"2026-12-{1 + n % 28:02d}"
        repo.write(
            f"p{n:04d}.md", front_matter({**GOOD, "title": f"Checkout latency under 300 ms, region {n}", "due": due})
        )
    repo.config("title: A large team\n")
    _build(repo.root, repo.root / "site", processes=2, use_cache=False)
    site = repo.root / "site"
    sizes = {
        str(path.relative_to(site)): path.stat().st_size
        for folder in ("teams/platform", "people/ana-lima", "customers/payments", "promises/page")
        for path in (site / folder).rglob("index.html")
    }
    assert len([name for name in sizes if name.startswith("teams/platform/promises/")]) == 20  # 100 a page
    assert max(sizes.values()) < 200_000, max(sizes.items(), key=lambda item: item[1])
    team = (site / "teams/platform/index.html").read_text()
    assert "2000 promises: the 100 due soonest below" in team
    assert '<a href="../../teams/platform/promises/">all of them by due date</a>' in team
    assert broken_links(site) == []
