"""Attacks on the build cache and the previous site: both accelerate a build and never decide its output.

Whatever a pull request commits into `.promisesite-cache/` or `site/`, and whatever a careless
hand does to them, the next build gives the same site as `build --no-cache`, runs nothing and
reads nothing outside the repository.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path

import pytest

from conftest import Git
from hostile import promisesite, snapshot
from sitetools import copy_sample, tree_hashes

CACHE = ".promisesite-cache"


def clean_site(root: Path, tmp_path: Path) -> dict[str, str]:
    """What `build --no-cache` makes of the same files, in a folder of its own."""
    out = tmp_path / "reference"
    done = promisesite(root, "build", "--no-cache", "--output", str(out))
    assert done.returncode == 0, done.stderr
    return tree_hashes(out)


def built(root: Path, *args: str) -> dict[str, str]:
    done = promisesite(root, "build", *args)
    assert done.returncode == 0, done.stderr
    return tree_hashes(root / "site")


@pytest.fixture(scope="module")
def sample_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, built once for the module: tests copy it, site and cache included."""
    root = copy_sample(tmp_path_factory.mktemp("built") / "repo")
    built(root)
    return root


@pytest.fixture(scope="module")
def sample_site(sample_built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """What `build --no-cache` makes of the unchanged sample."""
    return clean_site(sample_built, tmp_path_factory.mktemp("reference"))


def copy_built(sample_built: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(sample_built, tmp_path / "repo", symlinks=True))


class Payload:
    """Unpickling this runs a shell command that leaves a file behind."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_committed_pickle_is_never_unpickled(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    marker = tmp_path / "pwned"
    (root / CACHE).mkdir()
    evil = pickle.dumps({"x": Payload(marker)})
    for name in ("bodies-0.1.0-markdown.pickle", "bodies.pickle", "state.pickle", "bodies-0.1.0-gfm.pickle"):
        (root / CACHE / name).write_bytes(evil)
    git = Git(root)
    git("init", "-q")
    git("add", "-f", ".")
    git.commit("a pull request that commits a cache")
    built(root)
    assert not marker.exists(), "a committed cache file ran a command"


def _forged(value: object) -> object:
    if isinstance(value, str) and "<p>" in value:
        return value.replace("<p>", "<p><script>alert(1)</script>FORGED ")
    if isinstance(value, dict):
        return {key: _forged(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_forged(item) for item in value]
    return value


def _forge(root: Path) -> int:
    """Put script and text of the attacker's into every string of the cache that looks like HTML, in
    whatever form the cache keeps it (a pickle, JSON, JSON lines), as an attacker who read the code would."""
    forged = 0
    for path in (root / CACHE).rglob("*"):
        if not path.is_file() or b"<p>" not in path.read_bytes():
            continue
        data = path.read_bytes()
        if path.suffix == ".pickle":
            path.write_bytes(pickle.dumps(_forged(pickle.loads(data))))
        else:
            lines = []
            for line in data.decode().splitlines():
                try:
                    lines.append(json.dumps(_forged(json.loads(line))))
                except ValueError:
                    lines.append(line.replace("<p>", "<p><script>alert(1)</script>FORGED "))
            path.write_text("\n".join(lines) + "\n")
        forged += 1
    return forged


@pytest.mark.parametrize("committed", [False, True], ids=["hand-edited", "committed"])
def test_a_forged_body_cache_cannot_change_a_page(tmp_path: Path, committed: bool) -> None:
    root = copy_sample(tmp_path / "repo")
    built(root)
    assert _forge(root), "the cache kept no body HTML to forge"
    if committed:
        git = Git(root)
        git("init", "-q")
        git("add", "-f", ".")
        git.commit("commit the forged cache")
    shutil.rmtree(root / "site")  # every page is rendered again, from the cache if it is believed
    site = built(root)
    assert site == clean_site(root, tmp_path)
    for page in (root / "site").rglob("*.html"):
        text = page.read_text()
        assert "FORGED" not in text and "alert(1)" not in text, page


def test_a_hand_edited_page_in_the_old_site_is_not_carried_over(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    built(root)
    page = root / "site/promises/checkout-latency/index.html"
    stat = page.stat()
    text = page.read_text()
    page.write_text(text.replace("Checkout", "Hacked!!", 1))  # same size
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same time: `cp -p`, `rsync -t`
    promise = root / "promises/payments/fax-gateway.md"
    promise.write_text(promise.read_text().replace("title: ", "title: Renamed ", 1))
    site = built(root)
    assert "Hacked!!" not in page.read_text()
    assert site == clean_site(root, tmp_path)


def test_a_page_replaced_by_a_link_to_a_secret_is_not_published(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    secret = tmp_path / "secret.txt"
    secret.write_text("the database password")
    built(root)
    page = root / "site/promises/checkout-latency/index.html"
    page.unlink()
    page.symlink_to(secret)
    promise = root / "promises/payments/fax-gateway.md"
    promise.write_text(promise.read_text().replace("title: ", "title: Renamed ", 1))
    built(root)
    assert not page.is_symlink()
    assert not any(p.is_symlink() for p in (root / "site").rglob("*"))
    assert "password" not in page.read_text()
    assert secret.read_text() == "the database password"


def test_an_edit_that_keeps_size_and_time_is_seen(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    built(root)
    promise = root / "promises/platform/checkout-latency.md"
    stat = promise.stat()
    text = promise.read_text()
    assert "Checkout" in text
    promise.write_text(text.replace("Checkout", "Chequeout", 1)[:-1])  # one character more, one less
    assert promise.stat().st_size == stat.st_size
    os.utime(promise, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as `cp -p`, `tar` or `rsync -t` leave it
    built(root)
    assert "Chequeout" in (root / "site/promises/checkout-latency/index.html").read_text()


def test_a_template_edit_that_keeps_size_and_time_is_seen(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    built(root)
    footer = root / "templates/partials/footer.html"
    stat = footer.stat()
    text = footer.read_text()
    footer.write_text(text[:-9] + "EDITED!!\n")
    os.utime(footer, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    built(root)
    assert "EDITED!!" in (root / "site/index.html").read_text()


@pytest.mark.parametrize(
    "state",
    [
        "[]",
        "null",
        '"text"',
        "{",
        "\x00\xff garbage",
        '{"fingerprint": 5, "output": [], "outputs": "x"}',
        '{"outputs": {"index.html": 7}, "site": {"index.html": "big"}, "findings": [{"path": 1}]}',
        '{"findings": "many", "files": "two", "promises": null}',
    ],
    ids=["list", "null", "string", "truncated", "binary", "wrong-types", "wrong-inner-types", "wrong-counts"],
)
def test_a_state_file_of_the_wrong_shape_is_ignored(
    sample_built: Path, sample_site: dict[str, str], tmp_path: Path, state: str
) -> None:
    root = copy_built(sample_built, tmp_path)
    for path in (root / CACHE).glob("*.json"):
        path.write_text(state, errors="surrogateescape")
    assert built(root) == sample_site
    assert built(root) == sample_site  # and the cache it wrote instead works


def test_foreign_cache_files_of_any_shape_are_ignored(
    sample_built: Path, sample_site: dict[str, str], tmp_path: Path
) -> None:
    root = copy_built(sample_built, tmp_path)
    for path in (root / CACHE).iterdir():
        if path.is_file() and path.name not in (".gitignore", "CACHEDIR.TAG"):
            data = path.read_bytes()
            try:
                value = json.loads(data)
            except ValueError:
                path.write_bytes(data[: len(data) // 2])
                continue
            path.write_text(json.dumps({"version": 999, "data": value}))
    shutil.rmtree(root / "site")
    assert built(root) == sample_site


def test_a_cache_folder_linked_outside_is_neither_read_nor_written(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "state.json").write_text('{"precious": true}')
    (outside / "notes.txt").write_text("keep me")
    before = snapshot(outside)
    (root / CACHE).symlink_to(outside)
    done = promisesite(root, "build")
    assert done.returncode == 0, done.stderr
    assert snapshot(outside) == before
    assert (root / CACHE).is_symlink()  # left as it was: not ours to remove


def test_a_cache_file_linked_outside_is_not_written_through(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    built(root)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    for path in (root / CACHE).iterdir():
        if path.is_file():
            path.unlink()
            path.symlink_to(victim)
    promise = root / "promises/payments/fax-gateway.md"
    promise.write_text(promise.read_text().replace("title: ", "title: Renamed ", 1))
    assert built(root) == clean_site(root, tmp_path)
    assert victim.read_text() == "keep me"


def test_a_dangling_link_in_the_old_site_is_not_a_crash(
    sample_built: Path, sample_site: dict[str, str], tmp_path: Path
) -> None:
    root = copy_built(sample_built, tmp_path)
    (root / "site/promises/checkout-latency/extra.html").symlink_to(tmp_path / "nowhere")
    assert built(root) == sample_site
    assert not (root / "site/promises/checkout-latency/extra.html").is_symlink()
