"""`promisesite lsp`: a language server over stdio (pygls and lsprotocol) for promise files.

What `check` finds as diagnostics, each with its rule's code; hover on a key, a status or a finding;
completion of statuses, handles, causes, `serves` ids and field names; going to the promise a
`serves` names; and a code action for each safe fix, and one that applies them all. It knows the
promises only through `promisesite.workspace`.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..config import ConfigError
from ..errors import UserError
from ..model import STATUS_MEANING, Status
from ..workspace import Workspace
from .text import Lines, minimal_edit

DEBOUNCE_SECONDS = 0.08  # typing bursts become one check; a pause this long means the author stopped
_LINE_KEY = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*)\s*:\s*(.*)$")
_HANDLE_FIELDS = {"promiser": "people", "customer": "both", "agreed_by": "both", "measured_by": "both", "team": "teams"}


class PromiseServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("promisesite", __version__)
        self.workspaces: dict[Path, Workspace] = {}
        self.pending: dict[str, asyncio.Task] = {}

    def workspace_of(self, uri: str) -> Workspace | None:
        """The workspace whose source folder holds the document, made on first use; None for any other file."""
        path = Path(to_fs_path(uri) or "")
        for workspace in self.workspaces.values():
            if workspace.owns(path):
                return workspace
        try:
            workspace = Workspace(path.parent)
        except (ConfigError, UserError) as error:
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"promisesite: {error}"))
            return None
        if not workspace.owns(path):
            return None
        self.workspaces[workspace.config.root] = workspace
        return workspace


server = PromiseServer()


def _path(uri: str) -> Path:
    return Path(to_fs_path(uri) or "")


def _opened(ls: PromiseServer, uri: str) -> tuple[Workspace, str, Lines] | None:
    """The workspace of an open promise file, its text and its lines; None for any other document."""
    workspace = ls.workspace_of(uri)
    if workspace is None:
        return None
    text = ls.workspace.get_text_document(uri).source
    return workspace, text, Lines(text, ls.workspace.position_codec)


async def _diagnose_later(ls: PromiseServer, uri: str, version: int | None) -> None:
    await asyncio.sleep(DEBOUNCE_SECONDS)
    document = ls.workspace.get_text_document(uri)
    if version is not None and document.version != version:
        return  # a newer change is on its way: its own check will report
    workspace = ls.workspace_of(uri)
    if workspace is None:
        return
    analysis = workspace.analyse(_path(uri), document.source)
    if version is not None and ls.workspace.get_text_document(uri).version != version:
        return  # stale: the text changed while it was checked
    lines = Lines(document.source, ls.workspace.position_codec)
    diagnostics = [_diagnostic(finding, lines, workspace) for finding in analysis.findings]
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diagnostics)
    )


def _schedule(ls: PromiseServer, uri: str, version: int | None) -> None:
    earlier = ls.pending.pop(uri, None)
    if earlier is not None:
        earlier.cancel()
    ls.pending[uri] = asyncio.ensure_future(_diagnose_later(ls, uri, version))


def _diagnostic(finding, lines: Lines, workspace: Workspace) -> types.Diagnostic:
    rule = workspace.rule(finding.code)
    severity = types.DiagnosticSeverity.Error if finding.is_error else types.DiagnosticSeverity.Warning
    base = workspace.config.base_url
    description = types.CodeDescription(href=f"{base}rules/{finding.code}/") if "://" in base else None
    return types.Diagnostic(
        range=lines.finding_range(finding.line, finding.column),
        message=finding.message,
        severity=severity,
        code=finding.code,
        code_description=description,
        source="promisesite",
        data={"name": rule.name if rule else finding.name},
    )


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: PromiseServer, params: types.DidOpenTextDocumentParams) -> None:
    _schedule(ls, params.text_document.uri, params.text_document.version)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: PromiseServer, params: types.DidChangeTextDocumentParams) -> None:
    _schedule(ls, params.text_document.uri, params.text_document.version)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: PromiseServer, params: types.DidSaveTextDocumentParams) -> None:
    _schedule(ls, params.text_document.uri, ls.workspace.get_text_document(params.text_document.uri).version)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: PromiseServer, params: types.DidCloseTextDocumentParams) -> None:
    workspace = ls.workspace_of(params.text_document.uri)
    if workspace is not None:
        workspace.forget(_path(params.text_document.uri))
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: PromiseServer, params: types.HoverParams) -> types.Hover | None:
    opened = _opened(ls, params.text_document.uri)
    if opened is None:
        return None
    workspace, text, lines = opened
    line, column = lines.server_position(params.position)
    parts: list[str] = []
    found = _LINE_KEY.match(lines.text(line))
    if found:
        key_start = len(found.group(1))
        key = found.group(2)
        value = found.group(3).split(" #")[0].strip()
        if column < key_start + len(key) and key in workspace.fields():
            parts.append(f"**{key}**: {workspace.fields()[key]}")
        elif key == "status" and value in workspace.statuses:
            parts.append(f"**status: {value}**: {STATUS_MEANING[Status(value)]}")
    analysis = workspace.analyse(_path(params.text_document.uri), text)
    for finding in analysis.findings:
        if finding.line - 1 == line:
            rule = workspace.rule(finding.code)
            if rule is not None:
                parts.append(
                    f"**{rule.code} {rule.name}** ({finding.level}): {rule.summary}\n\n{rule.why}\n\n"
                    f"Flagged:\n```yaml\n{rule.bad}\n```\nWrite instead:\n```yaml\n{rule.good}\n```"
                )
    if not parts:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)))


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[":", " "]))
def completion(ls: PromiseServer, params: types.CompletionParams) -> types.CompletionList | None:
    opened = _opened(ls, params.text_document.uri)
    if opened is None:
        return None
    workspace, _, lines = opened
    line, column = lines.server_position(params.position)
    before = lines.text(line)[:column]
    found = _LINE_KEY.match(before)
    items: list[types.CompletionItem] = []
    if found is None:
        if not before.strip() and not before.startswith(" "):
            items = [
                types.CompletionItem(label=name, kind=types.CompletionItemKind.Field, detail=description)
                for name, description in workspace.fields().items()
            ]
    else:
        key = found.group(2)
        if key == "status":
            items = [
                types.CompletionItem(
                    label=s, kind=types.CompletionItemKind.EnumMember, detail=STATUS_MEANING[Status(s)]
                )
                for s in workspace.statuses
            ]
        elif key in _HANDLE_FIELDS:
            kind = _HANDLE_FIELDS[key]
            handles = (
                workspace.people
                if kind == "people"
                else workspace.teams
                if kind == "teams"
                else (workspace.people + workspace.teams)
            )
            items = [types.CompletionItem(label=h, kind=types.CompletionItemKind.Value) for h in handles]
        elif key == "cause":
            items = [types.CompletionItem(label=c, kind=types.CompletionItemKind.EnumMember) for c in workspace.causes]
        elif key == "serves":
            items = [
                types.CompletionItem(label=i, kind=types.CompletionItemKind.Reference, detail=p.title)
                for i, p in sorted(workspace.promise_ids().items())
            ]
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: PromiseServer, params: types.DefinitionParams) -> types.Location | None:
    opened = _opened(ls, params.text_document.uri)
    if opened is None:
        return None
    workspace, _, lines = opened
    found = _LINE_KEY.match(lines.text(lines.server_position(params.position)[0]))
    if found is None or found.group(2) != "serves":
        return None
    target = workspace.path_of(found.group(3).split(" #")[0].strip())
    if target is None:
        return None
    start = types.Position(line=0, character=0)
    return types.Location(uri=from_fs_path(str(target)) or "", range=types.Range(start=start, end=start))


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]),
)
def code_action(ls: PromiseServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    opened = _opened(ls, uri)
    if opened is None:
        return None
    workspace, text, lines = opened
    analysis = workspace.analyse(_path(uri), text)
    wanted = range(params.range.start.line, params.range.end.line + 1)
    actions: list[types.CodeAction] = []
    for fix in analysis.fixes:
        if fix.finding.line - 1 not in wanted:
            continue
        changed = workspace.applied(text, fix)
        if changed is None:
            continue
        edit = minimal_edit(text, changed, lines)
        actions.append(
            types.CodeAction(
                title=f"{fix.finding.code}: {fix.says}",
                kind=types.CodeActionKind.QuickFix,
                edit=types.WorkspaceEdit(changes={uri: [edit]}),
                is_preferred=True,
            )
        )
    if analysis.fixes:
        everything = workspace.fixed(_path(uri), text)
        if everything != text:
            actions.append(
                types.CodeAction(
                    title="promisesite: apply every safe fix",
                    kind=types.CodeActionKind.SourceFixAll,
                    edit=types.WorkspaceEdit(changes={uri: [minimal_edit(text, everything, lines)]}),
                )
            )
    return actions


def main() -> None:
    server.start_io()
