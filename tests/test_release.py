"""The release as users get it: `python -m build` makes an sdist and a wheel, and the wheel,
installed into a fresh virtual environment, carries everything the commands need (templates,
lexicons, the scaffold, the live-reload script) without this checkout."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TODAY


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    checkout = tmp_path_factory.mktemp("checkout") / "promisesite"  # build writes build/ and *.egg-info/
    top = {".git", ".venv", ".hypothesis", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".promisesite-cache"}
    top |= {"site", "build", "dist"}  # at the top only: src/promisesite/site is a package
    shutil.copytree(
        ROOT,
        checkout,
        ignore=lambda folder, names: [
            n for n in names if (Path(folder) == ROOT and n in top) or n.endswith(".egg-info")
        ],
    )
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(checkout)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return out


def test_build_makes_an_sdist_and_a_wheel_with_the_package_data(dist: Path) -> None:
    [wheel] = dist.glob("promisesite-*.whl")
    [sdist] = dist.glob("promisesite-*.tar.gz")
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "promisesite/rules/lexicons.yaml",
        "promisesite/templates/base.html",
        "promisesite/templates/partials/accounting.html",
        "promisesite/templates/assets/lists.js",
        "promisesite/serve/reload.js",
        "promisesite/scaffold/promisesite.yaml",
        "promisesite/scaffold/dot-github/workflows/promises.yml",
    ):
        assert needed in names, needed
    assert not any(name.startswith(("tests/", "benchmarks/", "promises/")) for name in names)
    with tarfile.open(sdist) as archive:
        assert any(name.endswith("/LICENSE") for name in archive.getnames())


def test_the_wheel_alone_checks_builds_and_inits(dist: Path, tmp_path: Path) -> None:
    [wheel] = dist.glob("promisesite-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    target = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    installed = subprocess.run(  # pip installs into the new environment, offline, the wheel alone
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stderr
    # The dependencies from this environment, on PYTHONPATH: a path entry, not a site folder, so
    # the editable install of this checkout (a .pth file there) is not seen.
    env = {
        **{k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"},
        "PYTHONPATH": sysconfig.get_paths()["purelib"],
    }
    where = subprocess.run(
        [str(python), "-c", "import promisesite; print(promisesite.__file__)"], env=env, capture_output=True, text=True
    )
    assert where.stdout.startswith(target), where.stdout + where.stderr  # the wheel's, not this checkout's

    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(venv / "bin" / "promisesite"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
        )

    done = run("init", "demo", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    demo = tmp_path / "demo"
    assert run("check", "--today", TODAY, cwd=demo).returncode == 0
    built = run("build", "--today", TODAY, cwd=demo)
    assert built.returncode == 0, built.stderr
    assert (demo / "site/assets/lists.js").is_file() and (demo / "site/promises/welcome-page/index.html").is_file()
    vague = demo / "promises/vague.md"
    vague.write_text((demo / "promises/welcome-page.md").read_text().replace("title: ", "title: Try to improve ", 1))
    assert run("check", "--today", TODAY, cwd=demo).returncode == 1  # the lexicons came with it


def test_the_release_workflow_builds_checks_and_publishes_from_a_tag() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/release.yml").read_text())
    assert workflow[True]["push"]["tags"] == ["v*"]  # YAML reads the key `on` as true
    jobs = workflow["jobs"]
    runs = "\n".join(step.get("run", "") for job in jobs.values() for step in job["steps"])
    assert "python -m build" in runs and "pytest" in runs
    publish = jobs["publish"]
    assert publish["permissions"] == {"id-token": "write"}  # PyPI trusted publishing, no stored token
    assert any(step.get("uses", "").startswith("pypa/gh-action-pypi-publish@") for step in publish["steps"])
    assert set(publish["needs"]) == {"build"}


def test_the_changelog_names_this_version() -> None:
    import promisesite

    assert f"## {promisesite.__version__}" in (ROOT / "CHANGELOG.md").read_text()


WORKFLOWS = [
    ".github/workflows/release.yml",
    "src/promisesite/scaffold/dot-github/workflows/promises.yml",
    "src/promisesite/scaffold/dot-github/workflows/digest.yml",
]


def schema_check(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with the schemas of GitHub workflows and actions it ships (no network)."""
    tool = Path(sys.executable).parent / "check-jsonschema"
    return subprocess.run(
        [str(tool), "--builtin-schema", schema, *map(str, files)], capture_output=True, text=True, timeout=120
    )


def test_the_workflows_and_the_action_are_valid_github_yaml(tmp_path: Path) -> None:
    done = schema_check("vendor.github-workflows", *(ROOT / name for name in WORKFLOWS))
    assert done.returncode == 0, done.stdout + done.stderr
    done = schema_check("vendor.github-actions", ROOT / "action.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text((ROOT / WORKFLOWS[0]).read_text().replace("runs-on:", "run-on:", 1))
    assert schema_check("vendor.github-workflows", broken).returncode == 1  # the check can fail


def recipes(*pages: str) -> list[tuple[str, str]]:
    """The YAML recipes of the docs, by the file each one's first line names (`# .gitlab-ci.yml`)."""
    found = []
    for page in pages:
        for block in re.findall(r"```yaml\n(.*?)```", (ROOT / "docs" / page).read_text(), re.S):
            first = block.splitlines()[0]
            if first.startswith("# ") and first.endswith((".yml", ".yaml")):
                found.append((first[2:].strip(), block))
    return found


def test_the_deploy_recipes_are_valid_for_their_forge(tmp_path: Path) -> None:
    found = recipes("deploy.md", "ci.md")
    names = {name for name, _ in found}
    assert {".github/workflows/pages.yml", ".gitlab-ci.yml"} <= names
    for index, (name, block) in enumerate(found):
        schema = "vendor.gitlab-ci" if name == ".gitlab-ci.yml" else "vendor.github-workflows"
        file = tmp_path / f"{index}-{Path(name).name}"
        file.write_text(block)
        done = schema_check(schema, file)
        assert done.returncode == 0, f"{name}: {done.stdout}{done.stderr}"
