"""The theme: the built-in templates, overridable file by file from the repository's `templates/`."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from ..config import Config, ConfigError

BUILTIN = "promisesite"  # package whose templates/ folder holds the built-in theme


class _OverrideLoader(jinja2.FileSystemLoader):
    """The repository's `templates/`, whose files may not be links out of the repository."""

    def __init__(self, folder: Path, repository: Path):
        super().__init__(str(folder))
        self.folder, self.repository = folder, repository.resolve()

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        if os.path.isfile(path):
            _inside(path, self.repository, f"the template {template}")
        return super().get_source(environment, template)


def _inside(path: Path, repository: Path, label: str) -> None:
    target = path.resolve()
    if not target.is_relative_to(repository):
        raise ConfigError(
            f"{label} is a symbolic link to {target}, outside the repository, and is not followed: "
            "put the file itself in templates/"
        )


# The types whose attributes a template may read: plain values, the promises and what the site shows of
# them, and Jinja's own loop and macro objects. Nothing that reaches a path, the config, the writer, a
# module or a class: a template comes from a pull request like a promise file, and runs nothing.
_READABLE_MODULES = (
    "builtins",
    "collections",
    "datetime",
    "markupsafe",
    "jinja2.runtime",
    "jinja2.utils",
    "promisesite.model",
    "promisesite.outcomes",
    "promisesite.findings",
    "promisesite.rules.rule",
    "promisesite.ledger",
    "promisesite.insights",
    "promisesite.site.view",
    "promisesite.site.urls",
    "promisesite.site.charts",
    "promisesite.site.globals",
)


class ThemeSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox (no `__class__`, no `_private`, no changing a list in place), narrowed to the
    types above: `{{ ledger.now.config.output.write_text(…) }}` is refused like `{{ ''.__class__ }}`."""

    def is_safe_attribute(self, obj: object, attr: str, value: object) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, type) or isinstance(value, (type, os.PathLike)):
            return False
        return type(obj).__module__ in _READABLE_MODULES


def environment(config: Config) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if config.templates.is_dir():
        loaders.append(_OverrideLoader(config.templates, config.repository))
    loaders.append(jinja2.PackageLoader(BUILTIN, "templates"))
    # auto_reload off: templates do not change during a build (serve makes a new environment when they do).
    env = ThemeSandbox(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = format_date
    env.filters["days"] = relative_days
    env.filters["percent"] = lambda share: f"{round(share * 100)}%"
    return env


def builtin_template(env: jinja2.Environment, name: str) -> jinja2.Template:
    """The built-in template of that name, compiled in `env`, whatever the repository overrides."""
    cache: dict[str, jinja2.Template] = env.__dict__.setdefault("_promisesite_builtins", {})
    if name not in cache:
        cache[name] = jinja2.PackageLoader(BUILTIN, "templates").load(env, name, env.make_globals(None))
    return cache[name]


def render(env: jinja2.Environment, name: str, **context: object) -> str:
    """Render a template; a broken template is a configuration error naming its file and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as error:
        where = error.filename or error.name or name
        raise ConfigError(f"{where}:{error.lineno}: template error: {error.message}") from None
    except jinja2.TemplateNotFound as error:
        raise ConfigError(
            f"template {error.name!r} not found (needed by {name}): restore it, or remove the override that includes it"
        ) from None
    except SecurityError as error:
        raise ConfigError(
            f"{_template_frame(name)}: template error: {str(error).rstrip('.')}: a template shows the "
            "promises, and may not reach Python's internals, files or processes; use the variables the "
            "built-in template of the same name uses"
        ) from None
    except RecursionError:
        raise ConfigError(
            f"template {name!r} includes or extends itself without end: break the loop in the override that includes it"
        ) from None
    except jinja2.UndefinedError as error:
        raise ConfigError(
            f"{_template_frame(name)}: template error: {error.message}: use only the variables "
            "the built-in template of the same name uses"
        ) from None


def asset(config: Config, name: str) -> bytes:
    """A static file of the theme (`assets/style.css`), from the override folder when it has one."""
    override = config.templates / "assets" / name
    if override.is_file():
        _inside(override, config.repository.resolve(), f"the asset templates/assets/{name}")
        return override.read_bytes()
    return resources.files(BUILTIN).joinpath("templates").joinpath("assets").joinpath(name).read_bytes()


def asset_names() -> list[str]:
    folder = resources.files(BUILTIN).joinpath("templates").joinpath("assets")
    return sorted(entry.name for entry in folder.iterdir() if entry.is_file())


def format_date(value: dt.date | None) -> str:
    return value.strftime("%-d %b %Y") if value else "—"


def relative_days(days: int | None) -> str:
    """`in 5 days`, `today`, `3 days ago`."""
    if days is None:
        return ""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def _template_frame(name: str) -> str:
    import sys
    import traceback

    for frame in reversed(traceback.extract_tb(sys.exc_info()[2])):
        if frame.filename and not frame.filename.endswith(".py"):
            return f"{Path(frame.filename).name}:{frame.lineno}"
    return name
