"""The ledger → every file of the site (SPEC §6), as a mapping of output path → bytes.

Nothing here writes to disk; `writer` does, atomically. Output is deterministic: the same
ledger (promises, config, today) gives byte-identical files.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import jinja2

from .. import __version__
from ..config import Config
from ..ledger import Group, Ledger, State
from ..model import Promise, Status
from ..schema import front_matter_schema
from . import feeds
from .markdown import MarkdownRenderer
from .theme import asset, asset_names, environment, render
from .urls import Urls, output_path

GROUP_KINDS = {"teams": "Teams", "customers": "Customers", "people": "People"}
DUE_SOON_DAYS = 14


class Site:
    """Renders pages from one ledger; `files()` is the whole site."""

    def __init__(self, ledger: Ledger, config: Config, theme: jinja2.Environment | None = None,
                 markdown: MarkdownRenderer | None = None):
        self.ledger, self.config = ledger, config
        self.urls = Urls(config.base_url)
        self.env = theme or environment(config)
        self.markdown = markdown or MarkdownRenderer()
        self.globals: dict[str, Any] = {
            "site": {"title": config.title, "repo_url": config.repo_url, "version": __version__},
            "urls": self.urls, "ledger": ledger, "today": ledger.today, "statuses": list(Status),
            "state": ledger.state, "due_note": due_note, "person_url": self.person_url,
            "customer_url": self.customer_url, "team_url": self.team_url, "display": self.display,
            "edit_url": self.edit_url, "group_kinds": GROUP_KINDS,
        }

    def with_ledger(self, ledger: Ledger) -> Site:
        """The same theme over new promises: what `serve` does after an edit."""
        return Site(ledger, self.config, self.env, self.markdown)

    # --- links and names used by templates ------------------------------------------------------

    def person_url(self, handle: str) -> str:
        return self.urls.group("people", handle)

    def customer_url(self, handle: str) -> str:
        return self.urls.group("customers", handle)

    def team_url(self, handle: str) -> str:
        return self.urls.group("teams", handle)

    def display(self, handle: str) -> str:
        """A handle's registered name, or the handle."""
        entry = self.config.people.get(handle) or self.config.teams.get(handle)
        return entry.name if entry and entry.name else handle

    def edit_url(self, promise: Promise) -> str:
        repo = self.config.repo_url
        if not repo:
            return ""
        if "{path}" in repo:
            return repo.replace("{path}", promise.path)
        return f"{repo.rstrip('/')}/edit/main/{promise.path}"

    # --- pages ---------------------------------------------------------------------------------

    def page(self, url: str, template: str, **context: Any) -> bytes:
        return render(self.env, template, **self.globals, page_url=url, **context).encode("utf-8")

    def files(self) -> dict[str, bytes]:
        """The whole site."""
        return {path: render_file() for path, render_file in self.plan().items()}

    def plan(self) -> dict[str, Callable[[], bytes]]:
        """Every output path with the function that renders it, so `serve` can render only some."""
        ledger, urls = self.ledger, self.urls
        plan: dict[str, Callable[[], bytes]] = {}

        def page(url: str, template: str, **context: Any) -> None:
            plan[output_path(url, urls.base)] = functools.partial(self.page, url, template, **context)

        page(urls.home(), "index.html", overdue=ledger.overdue(), due_soon=ledger.due_within(DUE_SOON_DAYS),
             due_soon_days=DUE_SOON_DAYS, recently_accepted=ledger.recently_accepted(),
             trees=[ledger.subtree(root) for root in ledger.roots if ledger.children.get(root.id)],
             standalone=sum(1 for root in ledger.roots if not ledger.children.get(root.id)))
        for promise in ledger.promises:
            plan[self.promise_path(promise.id)] = functools.partial(self.promise_page, promise)
        page(urls.page("promises"), "list.html", heading="All promises", promises=ledger.promises,
             intro=f"{len(ledger.promises)} promises, by id.")
        overdue_ids = {p.id for p in ledger.overdue()}
        for kind, label in GROUP_KINDS.items():
            groups: dict[str, Group] = getattr(ledger, kind)
            page(urls.page(kind), "groups.html", kind=kind, label=label, groups=list(groups.values()),
                 overdue_ids=overdue_ids)
            for group in groups.values():
                page(urls.page(kind, group.segment), "group.html", group=group, kind=kind, label=label,
                     reliability=ledger.reliability(group.promises))
                plan[f"{kind}/{group.segment}/calendar.ics"] = functools.partial(
                    feeds.calendar, ledger, urls, group.promises + group.as_customer,
                    f"{self.config.title}: {group.title}")
        for status in Status:
            page(urls.status(status.value), "list.html", heading=f"Status: {status.value}",
                 promises=ledger.with_status(status), status=status, intro=STATUS_MEANING[status])
        page(urls.page("overdue"), "list.html", heading="Overdue", promises=ledger.overdue(),
             intro="Open promises past their due date, oldest first. Renegotiate before a promise breaks.")
        plan["404.html"] = functools.partial(self.page, urls.file("404.html"), "404.html")
        plan["promises.json"] = functools.partial(feeds.promises_json, ledger, urls)
        plan["calendar.ics"] = functools.partial(feeds.calendar, ledger, urls, ledger.promises, self.config.title)
        plan["feed.xml"] = functools.partial(feeds.atom, ledger, urls, self.config.title)
        plan["schema.json"] = lambda: feeds.json_bytes(front_matter_schema())
        for name in asset_names():
            plan[f"assets/{name}"] = functools.partial(asset, self.config, name)
        pages = sorted(path for path in plan if path.endswith("index.html"))
        plan["sitemap.xml"] = functools.partial(feeds.sitemap, urls, pages)
        return dict(sorted(plan.items()))

    def promise_path(self, promise_id: str) -> str:
        return output_path(self.urls.promise(promise_id), self.urls.base)

    def promise_page(self, promise: Promise) -> bytes:
        ledger = self.ledger
        return self.page(self.urls.promise(promise.id), "promise.html", promise=promise,
                         body=self.markdown(promise.body) if promise.body.strip() else "",
                         parent=ledger.parent(promise), ancestors=ledger.ancestors(promise),
                         children=ledger.children.get(promise.id, []), findings=ledger.findings.get(promise.path, []),
                         waived=ledger.waived.get(promise.path, []))


def due_note(promise: Promise, state: State) -> str:
    """What the due date means today: `in 5 days`, `12 days overdue`, `delivered 2 days early`."""
    days = state.days_to_due
    if days is None:
        return ""
    if promise.delivered and promise.due:
        early = (promise.due - promise.delivered).days
        if early > 0:
            return f"delivered {early} day{'s' * (early != 1)} early"
        if early == 0:
            return "delivered on the due date"
        return f"delivered {-early} day{'s' * (early != -1)} late"
    if state.overdue:
        return f"{-days} day{'s' * (days != -1)} overdue"
    if state.is_open:
        return {0: "due today", 1: "due tomorrow"}.get(days, f"due in {days} days" if days > 0 else "")
    return ""


STATUS_MEANING = {
    Status.REQUESTED: "The customer asked; no commitment yet.",
    Status.OFFERED: "The promiser offered; the customer has not accepted yet.",
    Status.COUNTERED: "A counter-offer is on the table.",
    Status.PROMISED: "The promiser committed and the customer accepted the terms.",
    Status.DELIVERED: "The promiser reports it done; awaiting the customer.",
    Status.ACCEPTED: "The customer declared satisfaction.",
    Status.DECLINED: "The promiser declined the request, before any commitment.",
    Status.WITHDRAWN: "The customer withdrew the request, before any commitment.",
    Status.REVOKED: "The promiser revoked an existing promise: it counts as broken.",
    Status.CANCELLED: "The customer cancelled an existing promise.",
}
