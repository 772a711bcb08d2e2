"""The names every template sees: the site's links and labels, set once per theme, and what
depends on the promises, which delegates to the site rendering now (serve renders a new Site over
the same theme after every edit)."""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup

from .. import __version__
from ..model import Status
from ..outcomes import Outcome
from ..text import plural
from .relative import ROOT_FINDER, ROOT_FINDER_HASH
from .theme import render
from .view import MIN_SHARE, due_note, kept_text

# `Site` below is promisesite.site.pages.Site, which imports this module: named, not imported.
Site = Any

GROUP_KINDS = {"teams": "Teams", "customers": "Customers", "people": "People"}


class _Partials:
    """`partials/logo.html` and `partials/footer.html`, each rendered once per theme, on first use:
    they show only site-wide names (site, urls, today), so every page shows the same bytes."""

    def __init__(self, env: jinja2.Environment) -> None:
        self._env = env
        self._rendered: dict[str, Markup] = {}

    def __getattr__(self, name: str) -> Markup:
        if name.startswith("_"):
            raise AttributeError(name)
        found = self._rendered.get(name)
        if found is None:
            found = self._rendered[name] = Markup(render(self._env, f"partials/{name}.html"))
        return found


class _Current:
    """The site an environment renders now. `serve` renders a new Site over the same theme after
    every edit, while Jinja keeps imported macro modules with the globals they were made with;
    so the globals that depend on the promises delegate to the current site instead of naming one."""

    def __init__(self) -> None:
        self.site: Site | None = None

    def __getattr__(self, name: str) -> Any:  # `ledger.findings` and the like in templates
        return getattr(self.now.ledger, name)

    @property
    def now(self) -> Site:
        assert self.site is not None, "a site renders only after it installed itself"
        return self.site


def install_globals(site: Site) -> None:
    """The names templates use. Set once per theme: the first site's links and names hold for the
    theme's whole life (a new config or today makes a new theme); what depends on the promises
    delegates to the current site."""
    current = getattr(site.env, "_promisesite_current", None)
    if current is None:
        current = _Current()
        site.env._promisesite_current = current
        urls, config = site.urls, site.config
        nav = [("Dashboard", urls.home())] + [
            (label, urls.page(path))
            for label, path in (
                ("Promises", "promises"),
                ("Teams", "teams"),
                ("Customers", "customers"),
                ("People", "people"),
                ("Overdue", "overdue"),
            )
        ]
        site.env.globals.update(
            site={
                "title": config.title,
                "repo_url": config.repo_url,
                "version": __version__,
                "nav": nav,
                "accounting": config.accounting,
            },
            kept_text=kept_text,
            plural=plural,
            shares_of=lambda kind: current.now.publishes_shares(kind),
            min_share=MIN_SHARE,
            urls=urls,
            today=site.ledger.today,
            statuses=list(Status),
            outcomes=Outcome,
            due_note=due_note,
            person_url=site.person_url,
            customer_url=site.customer_url,
            team_url=site.team_url,
            display=site.display,
            edit_url=site.edit_url,
            group_kinds=GROUP_KINDS,
            root_finder=Markup(ROOT_FINDER),
            root_finder_hash=ROOT_FINDER_HASH,
            ledger=current,
            state=lambda promise: current.now.ledger.state(promise),
            row_html=lambda promise: current.now.row_html(promise),
            risk_row_html=lambda promise, reasons: current.now.risk_row_html(promise, reasons),
            tree_row_html=lambda promise, depth: current.now.tree_row_html(promise, depth),
            group_row_html=lambda line, kind, shares: current.now.group_row_html(line, kind, shares),
            # Site-wide pieces of every page's frame, worked out once rather than on every page.
            links={
                "home": urls.home(),
                "data": urls.file("promises.json"),
                "feed": urls.file("feed.xml"),
                "style": urls.asset("style.css"),
                "favicon": urls.asset("favicon.svg"),
                "search": urls.asset("search.js"),
                "lists": urls.asset("lists.js"),
                "site": urls.asset("site.js"),
                "index": urls.file("search-index.js"),
            },
        )
        site.env.globals["partials"] = _Partials(site.env)
    current.site = site
