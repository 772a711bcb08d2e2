"""The ledger → every file of the site (docs/site.md), as a mapping of output path → bytes.

Nothing here writes to disk; `writer` does, atomically. Output is deterministic: the same
ledger (promises, config, today) gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from ..config import Config
from ..ledger import Group, Ledger
from ..model import STATUS_MEANING, Promise, Status
from ..read.document import read_body
from ..rules import RULES
from ..rules.rule import Rule
from ..schema import front_matter_schema
from ..text import segment
from . import feeds
from .charts import cause_bars, week_chart
from .globals import GROUP_KINDS, install_globals
from .markdown import MarkdownRenderer
from .memo import Memo
from .relative import relative_links
from .theme import asset, asset_names, builtin_template, environment, render
from .urls import Urls, output_path
from .view import finding_view, kept_text, promise_view, prose

GROUP_LISTS = {"teams": "promises of the team", "customers": "promised to them", "people": "promises as promiser"}
DUE_SOON_DAYS = 14
PAGE_SIZE = 100  # promises per page of a long list
TREE_ROWS = 200  # rows of the dashboard's tree at most
DASHBOARD_ROWS = 20  # overdue and due-soon promises on the dashboard; the rest are a link away


class Site:
    """Renders pages from one ledger; `plan()` is the whole site, a function per file."""

    def __init__(
        self,
        ledger: Ledger,
        config: Config,
        theme: jinja2.Environment | None = None,
        markdown: MarkdownRenderer | None = None,
        memo: Memo | None = None,
        read_bodies: bool = False,
    ):
        self.ledger, self.config = ledger, config
        self.urls = Urls(config.base_url, config.site_id, f"{config.title}\n{config.repo_url}")
        self.env = theme or environment(config)
        self.markdown = markdown or MarkdownRenderer(config.markdown_engine)
        self.memo = memo or Memo()
        self._macros: Any = None
        self._promise_paths: dict[str, str] = {}
        self._summaries: dict[tuple[str, str], dict[str, Any]] = {}
        self.read_bodies = read_bodies  # promises came without bodies: each page reads its own
        # The promises each list-like page shows, in order: `serve` re-renders such a page only
        # when this changes or one of them changed.
        self.members: dict[str, tuple[str, ...]] = {}
        install_globals(self)

    def with_ledger(self, ledger: Ledger) -> Site:
        """The same theme over new promises: what `serve` does after an edit."""
        site = Site(ledger, self.config, self.env, self.markdown, self.memo)
        site._promise_paths = self._promise_paths  # a promise's path depends on its id alone
        return site

    # --- links and names used by templates ------------------------------------------------------

    def person_url(self, handle: str) -> str:
        return self.urls.group("people", handle)

    def customer_url(self, handle: str) -> str:
        return self.urls.group("customers", handle)

    def team_url(self, handle: str) -> str:
        return self.urls.group("teams", handle)

    def display(self, handle: str) -> str:
        """A handle's registered name, or the handle."""
        return self.config.registry.name_of(handle)

    def summary(self, group: Group) -> dict[str, Any]:
        """A line of a group index (and of the dashboard's teams): counts computed here, once per
        group, not by filters in the template."""
        key = (group.kind, group.segment)
        found = self._summaries.get(key)
        if found is None:
            states = self.ledger.states
            found = self._summaries[key] = {
                "group": group,
                "open": sum(p.is_open for p in group.promises),
                "overdue": sum(states[p.id].overdue for p in group.promises),
                "all": len(group.promises),
                "reliability": self.ledger.reliability(group.promises),
                "shown": self.publishes_shares(group.kind, group),
            }
        return found

    def macro(self, name: str) -> Any:
        """A macro of the theme's `partials/macros.html`, which render rows from Python; the built-in
        one when an override (written for an earlier version) lacks it."""
        if self._macros is None:
            self._macros = self.env.get_template("partials/macros.html").module
        found = getattr(self._macros, name, None)
        if found is None:
            found = getattr(builtin_template(self.env, "partials/macros.html").module, name)
        return found

    def tree_row_html(self, promise: Promise, depth: int) -> Markup:
        """One line of the dashboard's tree, reused like table rows."""
        return self.memo.get(
            "tree", promise, (self.ledger.state(promise), depth), lambda: Markup(self.macro("tree_row")(promise, depth))
        )

    def row_html(self, promise: Promise) -> Markup:
        """One promise as a table row (the `promise_row` macro), rendered once while it is unchanged."""
        state = self.ledger.state(promise)
        flagged = bool(self.ledger.findings.get(promise.path))
        return self.memo.get("row", promise, (state, flagged), lambda: Markup(self.macro("promise_row")(promise)))

    def risk_row_html(self, promise: Promise, reasons: list[str]) -> Markup:
        """One row of an at-risk table, rendered once while the promise and its reasons are unchanged."""
        key = (self.ledger.state(promise), tuple(reasons))
        return self.memo.get("risk", promise, key, lambda: Markup(self.macro("risk_row")(promise, reasons)))

    def group_row_html(self, line: dict[str, Any], kind: str, shares: bool) -> Markup:
        """One line of a groups index, rendered once while what it shows is unchanged."""
        group = line["group"]
        shown = shares and line["shown"]
        figures = (line["open"], line["overdue"], line["all"], shares, shown)
        kept = kept_text(line["reliability"]) if shown else ""
        key = ("group", kind, group.segment, group.title, group.name, group.handle, *figures, kept)
        return self.memo.keyed(key, lambda: Markup(self.macro("group_row")(line, kind, shares)))

    def edit_url(self, promise: Promise) -> str:
        repo = self.config.repo_url
        if not repo:
            return ""
        path = quote(promise.path)
        if "{path}" in repo:
            return repo.replace("{path}", path)
        return f"{repo.rstrip('/')}/edit/main/{path}"

    # --- pages ---------------------------------------------------------------------------------

    def page(self, url: str, template: str, **context: Any) -> bytes:
        html = render(self.env, template, page_url=url, **context)
        if url != self.urls.file("404.html"):  # served at any depth: its links stay from the base
            html = relative_links(html, url, self.urls.base)
        return html.encode("utf-8")

    def plan(self) -> dict[str, Callable[[], bytes]]:
        """Every output path with the function that renders it, so `serve` can render only some."""
        ledger, urls = self.ledger, self.urls
        plan: dict[str, Callable[[], bytes]] = {}
        self.members = {}

        def page(url: str, template: str, **context: Any) -> str:
            path = output_path(url, urls.base)
            plan[path] = functools.partial(self.page, url, template, **context)
            return path

        def listing(parts: tuple[str, ...], promises: list[Promise], **context: Any) -> None:
            count = max(1, -(-len(promises) // PAGE_SIZE))
            links = [urls.page(*parts) if n == 1 else urls.page(*parts, "page", str(n)) for n in range(1, count + 1)]
            for n, url in enumerate(links, start=1):
                chunk = promises[(n - 1) * PAGE_SIZE : n * PAGE_SIZE]
                pager = {
                    "number": n,
                    "count": count,
                    "total": len(promises),
                    "first": (n - 1) * PAGE_SIZE + 1,
                    "previous": links[n - 2] if n > 1 else "",
                    "next": links[n] if n < count else "",
                }
                path = page(url, "list.html", promises=chunk, pager=pager, **context)
                self.members[path] = tuple(p.id for p in chunk)

        plan["index.html"] = self.dashboard
        for promise in ledger.promises:
            plan[self.promise_path(promise.id)] = functools.partial(self.promise_page, promise)
        listing(("promises",), by_due(ledger.promises), heading="All promises", intro="All promises, by due date.")
        overdue = ledger.overdue()
        for kind, label in GROUP_KINDS.items():
            groups: dict[str, Group] = getattr(ledger, kind)
            plan[output_path(urls.page(kind), urls.base)] = functools.partial(self.groups_page, kind, label, overdue)
            for group in groups.values():
                members = group.promises + group.as_customer
                shown = tuple(p.id for p in members)
                path = output_path(urls.page(kind, group.segment), urls.base)
                plan[path] = functools.partial(self.group_page, group, kind, label)
                for part, these, heading in (
                    ("promises", group.promises, GROUP_LISTS[kind]),
                    ("as-customer", group.as_customer, "Promised to"),
                ):
                    if len(these) > PAGE_SIZE:  # a long group page lists the first and links the rest
                        listing(
                            (kind, group.segment, part),
                            by_due(these),
                            heading=f"{heading} {group.title}"
                            if part == "as-customer"
                            else f"{group.title}: {heading}",
                            intro="By due date, soonest first.",
                        )
                calendar = f"{kind}/{group.segment}/calendar.ics"
                plan[calendar] = functools.partial(
                    feeds.calendar,
                    ledger,
                    urls,
                    members,
                    f"{self.config.title}: {group.title}",
                    self.memo,
                )
                self.members[path] = self.members[calendar] = shown
        for status in Status:
            listing(
                ("status", status.value),
                ledger.with_status(status),
                heading=f"Status: {status.value}",
                status=status,
                intro=STATUS_MEANING[status],
            )
        listing(
            ("overdue",),
            overdue,
            heading="Overdue",
            intro="Open promises past their due date, oldest first. Renegotiate before a promise breaks.",
        )
        plan["404.html"] = functools.partial(self.page, urls.file("404.html"), "404.html")
        plan[output_path(urls.page("rules"), urls.base)] = self.rules_page
        for rule in RULES:
            plan[output_path(urls.rule(rule.code), urls.base)] = functools.partial(self.rule_page, rule)
        plan["promises.json"] = functools.partial(feeds.promises_json, ledger, urls, self.memo)
        plan["search-index.js"] = functools.partial(feeds.search_index, ledger, urls, self.config.registry, self.memo)
        plan["calendar.ics"] = functools.partial(
            feeds.calendar, ledger, urls, ledger.promises, self.config.title, self.memo
        )
        recent = feeds.recent(ledger, self.memo)
        plan["feed.xml"] = functools.partial(feeds.atom, ledger, urls, self.config.title, recent)
        self.members["feed.xml"] = tuple(p.id for p in recent)
        plan["schema.json"] = lambda: feeds.json_bytes(front_matter_schema())
        for name in asset_names():
            plan[f"assets/{name}"] = functools.partial(asset, self.config, name)
        pages = sorted(path for path in plan if path.endswith("index.html"))
        plan["sitemap.xml"] = functools.partial(feeds.sitemap, urls, pages)
        return dict(sorted(plan.items()))

    def dashboard(self) -> bytes:
        ledger, urls = self.ledger, self.urls
        trees, hidden = ledger.trees(TREE_ROWS)
        overdue, due_soon, waiting = ledger.overdue(), ledger.due_within(DUE_SOON_DAYS), ledger.waiting()
        at_risk = ledger.at_risk(ledger.promises, DUE_SOON_DAYS)
        return self.page(
            urls.home(),
            "index.html",
            overdue=overdue[:DASHBOARD_ROWS],
            overdue_count=len(overdue),
            waiting=waiting[:DASHBOARD_ROWS],
            waiting_count=len(waiting),
            due_soon=due_soon[:DASHBOARD_ROWS],
            due_soon_count=len(due_soon),
            due_soon_days=DUE_SOON_DAYS,
            recently_accepted=ledger.recently_accepted(),
            trees=trees,
            hidden=hidden,
            standalone=sum(1 for root in ledger.roots if not ledger.children.get(root.id)),
            accounting=self.accounting(ledger.promises) if self.config.accounting != "none" else None,
            teams=[self.summary(team) for team in ledger.teams.values()],
            at_risk=at_risk[:DASHBOARD_ROWS],
            at_risk_count=len(at_risk),
        )

    def publishes_shares(self, kind: str, group: Group | None = None) -> bool:
        """Whether pages of this kind of group (or this group) show reliability (`accounting:` in
        promisesite.yaml). With `teams`, a team whose promises are one person's shows none: its share
        would be that person's."""
        chosen = self.config.accounting
        if chosen == "people":
            return True
        if chosen != "teams" or kind != "teams":
            return False
        return group is None or len({p.promiser for p in group.promises if p.promiser}) > 1

    def accounting(self, promises: list[Promise]) -> dict[str, Any]:
        """Week by week, the causes and the signals of a set of promises (partials/accounting.html)."""
        ledger = self.ledger
        weeks = ledger.weeks(promises)
        return {
            "weeks": week_chart(weeks),
            "causes": cause_bars(ledger.causes(promises)),
            "signals": ledger.signals(promises, weeks),
            "recorded": bool(ledger.history.files),
        }

    def groups_page(self, kind: str, label: str, overdue: list[Promise]) -> bytes:
        groups: dict[str, Group] = getattr(self.ledger, kind)
        return self.page(
            self.urls.page(kind),
            "groups.html",
            kind=kind,
            label=label,
            groups=[self.summary(group) for group in groups.values()],
        )

    def roster(self, team: Group) -> list[dict[str, Any]]:
        """A team's people: its registered members, then anyone else who promised for it, with
        each one's figures."""
        members = list(
            dict.fromkeys(
                [
                    *getattr(self.config.teams.get(team.handle), "members", ()),
                    *sorted({p.promiser for p in team.promises if p.promiser}),
                ]
            )
        )
        people = self.ledger.people
        return [self.summary(people[segment(handle)]) for handle in members if segment(handle) in people]

    def teams_of(self, person: Group) -> list[Group]:
        """The teams a person belongs to (registered) or has promised for."""
        teams = self.ledger.teams
        handles = [t.handle for t in self.config.teams.values() if person.handle in t.members]
        handles += sorted({p.team for p in person.promises if p.team})
        return [teams[segment(h)] for h in dict.fromkeys(handles) if segment(h) in teams]

    def group_page(self, group: Group, kind: str, label: str) -> bytes:
        at_risk = self.ledger.at_risk(group.promises, DUE_SOON_DAYS)
        return self.page(
            self.urls.page(kind, group.segment),
            "group.html",
            group=group,
            kind=kind,
            label=label,
            reliability=self.ledger.reliability(group.promises),
            waiting=self.ledger.waiting(dict.fromkeys(group.promises + group.as_customer)),
            by_status=_by_status(group.promises) if len(group.promises) <= PAGE_SIZE else [],
            first=by_due(group.promises)[:PAGE_SIZE] if len(group.promises) > PAGE_SIZE else [],
            as_customer=by_due(group.as_customer)[:PAGE_SIZE],
            page_size=PAGE_SIZE,
            accounting=self.accounting(group.promises) if self.publishes_shares(kind, group) else None,
            at_risk=at_risk[:DASHBOARD_ROWS],
            at_risk_count=len(at_risk),
            roster=self.roster(group) if kind == "teams" else [],
            member_of=self.teams_of(group) if kind == "people" else [],
            person_shares=self.publishes_shares("people"),
        )

    def batches(self, plan: dict[str, Callable[[], bytes]], size: int = 100) -> list[list[str]]:
        """How to share the plan between workers: every page that lists promises in one batch, so
        each row is rendered once, then the promise pages (the bulk of the work) in small batches."""
        pages = {self.promise_path(p.id) for p in self.ledger.promises}
        singles = [path for path in plan if path in pages]
        rest = [path for path in plan if path not in pages]
        return [rest] + [singles[start : start + size] for start in range(0, len(singles), size)]

    def promise_path(self, promise_id: str) -> str:
        path = self._promise_paths.get(promise_id)
        if path is None:
            path = self._promise_paths[promise_id] = output_path(self.urls.promise(promise_id), self.urls.base)
        return path

    def promise_page(self, promise: Promise) -> bytes:
        ledger = self.ledger
        text = promise.body
        if not text and self.read_bodies:  # read here, in the worker that renders the page
            text = read_body(self.config.root / promise.path)
        urls = self.urls
        return self.page(
            urls.promise(promise.id),
            "promise.html",
            promise=promise,
            view=promise_view(promise, ledger, urls, self.config.registry, self.edit_url(promise)),
            body=self.memo.body(text, self.markdown) if text.strip() else "",
            findings=[finding_view(f, urls) for f in ledger.findings.get(promise.path, [])],
            waived=[finding_view(f, urls) for f in ledger.waived.get(promise.path, [])],
        )

    def rule_page(self, rule: Rule) -> bytes:
        return self.page(self.urls.rule(rule.code), "rule.html", rule=rule, prose=prose)

    def rules_page(self) -> bytes:
        return self.page(self.urls.page("rules"), "rules.html", rules=RULES, prose=prose)


def _by_status(promises: list[Promise]) -> list[tuple[Status, list[Promise]]]:
    """The promises grouped by status, in the lifecycle's order, each group in the list's order."""
    groups: dict[Status, list[Promise]] = {status: [] for status in Status}
    for promise in promises:
        if promise.status is not None:
            groups[promise.status].append(promise)
    return [(status, found) for status, found in groups.items() if found]


def by_due(promises: list[Promise]) -> list[Promise]:
    """Soonest due first; promises without a due date last, each group by id."""
    return sorted(promises, key=lambda p: (p.due is None, p.due or dt.date.min, p.id))
