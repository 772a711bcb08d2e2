"""`promisesite lsp` end to end: a real server process, real JSON-RPC over stdio (pytest-lsp as the
client), on a real folder of promises. Each test waits for the server's own notification, never
for a fixed time."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from conftest import promise_text
from sitetools import copy_sample

EPOCH = "1795219200"  # 2026-11-21, SOURCE_DATE_EPOCH: the server's today
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("lsp"))
    (root / ".git").mkdir()  # the config search stops at a work tree's top, as in a repository
    return root


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(
        server_command=[sys.executable, "-m", "promisesite", "lsp"], server_env={"SOURCE_DATE_EPOCH": EPOCH}
    ),
)
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest):
    root = request.getfixturevalue("folder")
    params = types.InitializeParams(
        capabilities=types.ClientCapabilities(
            general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16])
        ),
        root_uri=root.as_uri(),
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def opened(client: LanguageClient, path: Path, text: str, version: int = 1) -> list[types.Diagnostic]:
    """Open a document and return the diagnostics the server publishes for it (for this version)."""
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=version, text=text)
        )
    )
    return await published(client, uri, version)


async def published(client: LanguageClient, uri: str, version: int) -> list[types.Diagnostic]:
    while True:
        params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if params.uri == uri and params.version == version:
            return list(params.diagnostics)


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


async def test_diagnostics_on_open_are_what_check_finds(client: LanguageClient, folder: Path) -> None:
    path = folder / "promises/platform/vague.md"
    text = promise_text(title="Try to improve checkout soon", done_when=["the app is stable"])
    diagnostics = await opened(client, path, text)
    assert codes(diagnostics) == ["P203", "P204", "P205", "P205"]
    hedge = next(d for d in diagnostics if d.code == "P203")
    assert hedge.severity == types.DiagnosticSeverity.Error and hedge.source == "promisesite"
    assert (hedge.range.start.line, hedge.range.start.character) == (1, len("title: "))


async def test_diagnostics_update_on_change_and_stale_versions_are_dropped(
    client: LanguageClient, folder: Path
) -> None:
    path = folder / "promises/platform/changing.md"
    uri = path.as_uri()
    assert codes(await opened(client, path, promise_text(due="soon"))) == ["P102"]
    for version, due in ((2, "2026-12-20"), (3, "2026-12-21"), (4, "Q1")):  # typed quickly: one check, the last
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=promise_text(due=due))],
            )
        )
    assert codes(await published(client, uri, 4)) == ["P102"]
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=5),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=promise_text())],
        )
    )
    assert codes(await published(client, uri, 5)) == []


async def test_cross_file_rules_see_the_workspace(client: LanguageClient, folder: Path) -> None:
    """`serves` a promise of another file, and an id another file has: P501 and P009 as `check` says."""
    path = folder / "promises/platform/child.md"
    assert codes(await opened(client, path, promise_text(serves="holiday-readiness", due="2026-12-20"))) == []
    duplicate = folder / "promises/support/load-test.md"  # promises/platform/load-test.md exists
    assert "P009" in codes(await opened(client, duplicate, promise_text()))


async def test_positions_count_utf16_units(client: LanguageClient, folder: Path) -> None:
    path = folder / "promises/platform/emoji.md"
    text = promise_text(title="Café 😀 launch, hopefully")
    [hedge] = [d for d in await opened(client, path, text) if d.code == "P203"]
    # `title: Café 😀 launch, ` is 22 code points, and 23 UTF-16 units: the emoji counts twice.
    assert hedge.range.start.character == len("title: Café ") + 2 + len(" launch, ")


async def test_hover_explains_a_key_a_status_and_a_finding(client: LanguageClient, folder: Path) -> None:
    path = folder / "promises/platform/hover.md"
    await opened(client, path, promise_text(title="Checkout faster soon"))
    uri = path.as_uri()

    async def hover(line: int, character: int) -> str:
        found = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character)
            )
        )
        assert found is not None
        assert isinstance(found.contents, types.MarkupContent)
        return found.contents.value

    assert "The one person who makes the promise" in await hover(2, 2)  # promiser:
    assert "The promiser committed and the customer accepted the terms" in await hover(5, 10)  # status: promised
    assert "P204 vague-time" in await hover(1, 20) and "Write instead" in await hover(1, 20)


async def test_completion_offers_statuses_handles_causes_and_ids(client: LanguageClient, folder: Path) -> None:
    path = folder / "promises/platform/complete.md"
    text = "---\nstatus: \npromiser: \ncustomer: \ncause: \nserves: \n---\n"
    await opened(client, path, text)
    uri = path.as_uri()

    async def labels(line: int, character: int) -> list[str]:
        found = await client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character)
            )
        )
        assert isinstance(found, types.CompletionList)
        return [item.label for item in found.items]

    assert "delivered" in await labels(1, 8)
    assert "ana.lima" in await labels(2, 10) and "platform" not in await labels(2, 10)  # a promiser is a person
    assert {"ana.lima", "payments"} <= set(await labels(3, 10))
    assert "dependency" in await labels(4, 7)
    assert "holiday-readiness" in await labels(5, 8)


async def test_definition_goes_to_the_promise_served(client: LanguageClient, folder: Path) -> None:
    path = folder / "promises/platform/serving.md"
    await opened(client, path, promise_text(serves="holiday-readiness", due="2026-12-20"))
    line = promise_text(serves="holiday-readiness").split("\n").index("serves: holiday-readiness")
    found = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()), position=types.Position(line, 10)
        )
    )
    assert isinstance(found, types.Location)
    assert found.uri == (folder / "promises/holiday-readiness.md").as_uri()


FIXABLE = (
    "---\ntitle: Login bug #4512 fixed for SSO users\npromiser: ana.lima\ncustomer: payments\nstatus: done\n"
    "requested: 2026/10/01\npromised: 2026-10-03\ndelivered: 2026-11-02\ndue_date: 15 Dec 2026\n"
    "tags: holiday, checkout\ndone_when:\n"
    "  - error rate of POST /login stays below 0.1% for 7 days\n---\n"
)


async def test_code_actions_are_the_safe_fixes(client: LanguageClient, folder: Path) -> None:
    path = folder / "promises/platform/fixable.md"
    await opened(client, path, FIXABLE)
    found = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            range=types.Range(start=types.Position(0, 0), end=types.Position(13, 0)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert found is not None
    titles = [action.title for action in found if isinstance(action, types.CodeAction)]
    assert len([t for t in titles if t.startswith("P")]) >= 5
    assert "P007: `status: done` → `status: delivered`" in titles
    assert "P004: `due_date:` → `due:`" in titles
    assert "promisesite: apply every safe fix" in titles
    [status] = [a for a in found if isinstance(a, types.CodeAction) and a.title.startswith("P007")]
    assert status.edit is not None and status.edit.changes is not None
    [edit] = status.edit.changes[path.as_uri()]
    line = FIXABLE.split("\n")[4]
    assert edit.range.start.line == edit.range.end.line == 4
    fixed = line[: edit.range.start.character] + edit.new_text + line[edit.range.end.character :]
    assert fixed == "status: delivered"  # one small edit, the rest of the file untouched


async def test_a_broken_file_never_crashes_the_server(client: LanguageClient, folder: Path) -> None:
    path = folder / "promises/platform/broken.md"
    for version, text in enumerate(["", "---\n", "---\ntitle: [\n---\n", "\x00\ufffe", "---\n- a\n---\n"], start=1):
        diagnostics = await opened(client, path, text, version)
        assert diagnostics, text
    assert codes(await opened(client, folder / "promises/platform/after.md", promise_text())) == []
