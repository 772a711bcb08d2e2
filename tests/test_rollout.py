"""docs/rollout.md, run: every shell block of the guide, in order, in a fresh folder with a real git,
as a team lead would type them. A block that fails fails the test with what it printed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", (ROOT / "docs/rollout.md").read_text(), re.S)


def test_every_command_of_the_rollout_guide_runs(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env |= {"HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1", "PATH": f"{Path(sys.executable).parent}:{env['PATH']}"}
    subprocess.run(["git", "config", "--global", "init.defaultBranch", "main"], env=env, check=True)
    script = "set -euo pipefail\n" + "\n".join(blocks())
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    repo = tmp_path / "northwind-promises"
    log = subprocess.run(["git", "log", "--format=%s"], cwd=repo, env=env, capture_output=True, text=True).stdout
    assert "Import the platform team's commitments" in log
    assert (repo / ".github/CODEOWNERS").is_file() and (repo / "site/index.html").is_file()
    assert "renegotiated on" in done.stdout  # what `changes` said to the reviewers
    assert len(blocks()) >= 7
