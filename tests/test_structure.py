"""The shape of the code: every module imports on its own, the imports form no circle, the rule
catalogue is the one list the pipeline, serve and the docs read, and nothing cites a file
outside the repository."""

from __future__ import annotations

import ast
import concurrent.futures
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "promisesite"


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def test_every_module_imports_on_its_own_in_a_fresh_interpreter() -> None:
    names = [name for name in modules() if not name.endswith("__main__")]

    def imports(name: str) -> tuple[str, str]:
        done = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True, timeout=120)
        return name, done.stderr.strip().splitlines()[-1] if done.returncode else ""

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        failed = {name: error for name, error in pool.map(imports, names) if error}
    assert len(names) > 40 and not failed, failed


def import_graph() -> dict[str, set[str]]:
    """Which module imports which, read from the source (relative imports resolved)."""
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text())):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
            graph[name].update(target for target in targets if target in known and target != name)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_circle_anywhere() -> None:
    graph = import_graph()
    assert graph["promisesite.check"] >= {"promisesite.rules", "promisesite.read.promise"}  # the graph is read
    assert circles(graph) == []


def test_rules_only_judge_and_reading_needs_no_config() -> None:
    graph = import_graph()
    for name, targets in graph.items():
        if name.startswith("promisesite.rules"):
            assert not {t for t in targets if t.startswith(("promisesite.read", "promisesite.config"))}, name
        if name.startswith("promisesite.read"):
            assert not {t for t in targets if t.startswith("promisesite.config")}, name
    server = graph["promisesite.serve.server"]
    assert server <= {"promisesite.serve.gate"}, "the HTTP server knows nothing of promises"


def test_the_catalogue_is_the_one_list_of_rules() -> None:
    from promisesite import check
    from promisesite.rules import CROSS_FILE_CODES, RULES
    from promisesite.rules.rule import Rule, Scope

    assert all(isinstance(rule, Rule) for rule in RULES) and len({r.code for r in RULES}) == len(RULES)
    assert set(check.FILE_RULES) | set(check.TOGETHER_RULES) == {r for r in RULES if r.scope is not Scope.READING}
    assert all(rule.check is not None for rule in RULES if rule.scope is not Scope.READING)
    assert CROSS_FILE_CODES == {r.code for r in RULES if r.scope is Scope.TREE}
    assert [r.code for r in RULES if r.strict_level] == ["P404"]


def test_nothing_links_or_cites_a_file_outside_the_repository() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    offenders = []
    for name in tracked:
        path = ROOT / name
        if path.suffix not in (
            ".py",
            ".md",
            ".html",
            ".yml",
            ".yaml",
            ".toml",
            ".txt",
            ".js",
            ".css",
            "",
        ) or name.startswith("tests/"):
            continue
        text = path.read_text(errors="replace") if path.is_file() else ""
        if "../shared" in text or "SPEC.md" in text or "SPEC §" in text:
            offenders.append(name)
    assert offenders == []
    assert (ROOT / "LICENSE").is_file()
