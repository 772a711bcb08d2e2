"""The reader of SPEC §3: plain values with positions, the same with the C and the pure-Python loader."""

from __future__ import annotations

import pytest
import yaml

from promisesite.read import document, front
from promisesite.read.document import parse_text
from promisesite.read.front import YamlRefused, load_yaml

SAMPLE = """\
on: 2026-01-01
title: Checkout under 300 ms
empty:
tilde: ~
null_word: null
quoted_tilde: "~"
quoted_empty: ''
numbers: [1, 1.5, yes, no, 0x10]
nested:
  - on: 2026-11-18
    due: "2026-12-15"
"""


class PurePythonLoader(yaml.SafeLoader):
    resolve = front.Loader.resolve


@pytest.fixture(params=["C", "pure Python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "C":
        if not issubclass(front.Loader, getattr(yaml, "CSafeLoader", ())):
            pytest.skip("PyYAML was built without libyaml")
    else:
        monkeypatch.setattr(front, "Loader", PurePythonLoader)
    return request.param


def test_values_are_text_and_nulls_are_none(loader: str) -> None:
    values, _ = load_yaml(SAMPLE)
    assert values == {
        "on": "2026-01-01",
        "title": "Checkout under 300 ms",
        "empty": None,
        "tilde": None,
        "null_word": None,
        "quoted_tilde": "~",
        "quoted_empty": "",
        "numbers": ["1", "1.5", "yes", "no", "0x10"],
        "nested": [{"on": "2026-11-18", "due": "2026-12-15"}],
    }


def test_every_key_and_item_has_its_position(loader: str) -> None:
    _, positions = load_yaml(SAMPLE, line_offset=2)
    assert positions["on"] == (2, 1)
    assert positions["numbers.2"] == (9, 19)
    assert positions["nested.0"] == (11, 5) and positions["nested.0.due"] == (12, 5)
    assert positions["title="] == (3, 8)  # where the value starts, for words inside it


@pytest.mark.parametrize(
    "text, where",
    [
        ("a: !!python/object/apply:os.system [ls]\n", (1, 4)),
        ("a: !!binary aGk=\n", (1, 4)),
        ("a: !custom x\n", (1, 4)),
        ("a: 1\na: 2\n", (2, 1)),
        ("? [x]\n: 1\n", (1, 3)),
        ("a: [1\n", (1, 4)),
    ],
)
def test_refused(loader: str, text: str, where: tuple[int, int]) -> None:
    with pytest.raises(YamlRefused) as refused:
        load_yaml(text)
    assert refused.value.position == where


def test_body_and_its_first_line() -> None:
    doc = parse_text("\ufeff---\r\ntitle: x\r\n---\r\n\r\nThe body.\r\n", "a.md")
    assert doc.front == {"title": "x"}
    assert doc.body == "\nThe body.\n" and doc.body_line == 4


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff---\r\ntitle: x\r\n---\r\n\r\nThe body.\r\n",
        "---\ntitle: x\n...\nBody\n",
        "---\ntitle: x\n---\n",
        "no front matter\n",
        "---\nnever closed\n",
    ],
)
def test_read_body_skips_the_front_matter_as_the_parser_does(tmp_path, text: str) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(text.encode("utf-8"))
    assert document.read_body(path) == parse_text(text, "a.md").body
    assert document.read_body(tmp_path / "gone.md") == ""
