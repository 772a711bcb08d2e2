"""`promisesite serve`: the live site, the file watcher and the HTTP server, wired together.

The path of an edit: the watcher sees a save and calls `on_change`; the live site rebuilds what
the edit affects (the edited page first, announced by `on_first_page`); the server tells the open
pages which files changed, and they reload.
"""

from __future__ import annotations

import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

import click

from ..config import ConfigError
from ..serve.live import LiveSite, Report
from ..serve.server import DevServer
from ..serve.watcher import Watcher
from ..site.lock import OutputLock
from ..site.urls import Urls
from ..text import plural, printable
from .options import TERMINAL, config_option, friendly, terminal_options, today_option


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="The port; 0 picks a free one."
)
@click.option("--poll", is_flag=True, help="Poll for changes instead of native events (network drives, containers).")
@today_option
@click.option("--source", type=click.Path(path_type=Path, file_okay=False), help="The promises folder.")
@click.option(
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where to write the site (default: a temporary folder, removed on exit).",
)
@config_option
@terminal_options
@friendly
def serve(
    host: str,
    port: int,
    poll: bool,
    today: str | None,
    source: Path | None,
    output: Path | None,
    config_file: Path | None,
) -> None:
    """Build, serve and watch: every save reaches the open pages at once.

    A file that breaks mid-edit shows its findings in the browser while the last good
    version is served; the next good save recovers. Ctrl-C stops.

    \b
    Examples:
      promisesite serve
      promisesite serve --port 8080 --today 2026-11-21
      promisesite serve --poll          # on a network drive or in a container
    """
    overrides = {"source": Path.cwd() / source if source else None}
    sys.exit(run(config_file, today, host, port, poll, Path.cwd() / output if output else None, overrides))


def run(
    config_file: Path | None,
    today: str | None,
    host: str,
    port: int,
    poll: bool,
    output: Path | None,
    overrides: dict[str, Path | None],
) -> int:
    """Build, serve and watch until Ctrl-C; returns the exit code."""
    scratch = None if output else Path(tempfile.mkdtemp(prefix="promisesite-serve-"))
    folder = output if output is not None else Path(str(scratch)) / "site"
    live = LiveSite(config_file, today, folder, overrides, check_output=output is not None)
    lock = OutputLock(live.output, "serve", wait=False)
    try:
        live.prepare()  # the config, and the output's refusals: before anything is written
        lock.acquire()
        report = live.rebuild()
        if report.error or live.config is None:
            raise ConfigError(report.error or "the site could not be built")
        if report.findings:
            TERMINAL.report(report.findings, len(live.files), err=True)
        tell(report, started=True)
        if live.history.note:
            TERMINAL.say(f"no history on the pages: {live.history.note}")
        urls = Urls(live.config.base_url)
        # A rebuild after an edit runs in the watcher's thread for a few hundred milliseconds at
        # 10,000 promises; a shorter switch interval lets the request for the page it has already
        # written in within a millisecond or so, rather than after the default 5 ms slices pile up.
        sys.setswitchinterval(0.001)
        try:
            server = DevServer(
                (host, port), live.output, urls.base, live.lock, live.status, allowed_hosts={host}, inputs=live.inputs
            )
        except OSError as error:
            raise ConfigError(
                f"cannot listen on {host}:{port} ({error.strerror or error}): choose another "
                f"port, e.g. --port {port + 1 if port else 8001}"
            ) from None

        def on_first_page(first: Report) -> None:
            server.announce(first.written)
            TERMINAL.detail(
                f"{time.strftime('%H:%M:%S')} {printable(first.reason)}: its page first, in "
                f"{first.seconds * 1000:.0f} ms"
            )

        def on_change(paths: set[Path], rescan: bool) -> None:
            result = live.rebuild(paths, rescan, early=on_first_page, newer=watcher.waiting)
            if not (result.written or result.error or result.changed):
                return  # editor noise, or a save that changed no byte
            touched = {f.path for f in result.findings} & set(result.changed)
            shown = result.findings if result.full else [f for f in result.findings if f.path in touched]
            if shown:
                TERMINAL.report(shown, len(touched) or len(live.files), err=True)
            tell(result)
            server.announce(result.written)

        watcher = Watcher(live.watched, on_change, poll=poll, say=TERMINAL.warn)
        signal.signal(signal.SIGTERM, _interrupt)  # stop as cleanly on `kill` as on Ctrl-C
        # Ctrl-C stops serve even when it was started with SIGINT ignored, as a background job of
        # a non-interactive shell (nohup, `cmd &` in a script) is.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        try:  # from here on, Ctrl-C stops cleanly, even the moment the address is printed
            watcher.start()
            shown_host = f"[{host}]" if ":" in host else host
            TERMINAL.warn(f"Serving {live.config.title} at http://{shown_host}:{server.server_address[1]}{urls.base}")
            TERMINAL.say(
                f"Watching {', '.join(live.config.relative(f) + '/' for f in watcher.watched)} "
                f"{'by polling ' if watcher.polling else ''}(Ctrl-C to stop)"
            )
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            watcher.stop()
            server.close()
        TERMINAL.say("Stopped.")
        return 0
    finally:
        lock.release()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def tell(report: Report, started: bool = False) -> None:
    """One line a rebuild (green when it went well, red when it stopped); with -v, where the time went."""
    stamp = time.strftime("%H:%M:%S")
    if report.error:
        TERMINAL.warn(f"{stamp} not rebuilt: {report.error}\n         the last good site is still served", fg="red")
        return
    errors = len(report.errors)
    problem = f", {plural(errors, 'error')} (last good version shown)" if errors else ""
    what = "built" if started else f"{printable(report.reason)} changed"
    TERMINAL.say(
        f"{stamp} {what}: {plural(len(report.written), 'file')} written in {report.seconds * 1000:.0f} ms{problem}",
        fg="yellow" if errors else "green",
    )
    if report.phases:
        TERMINAL.detail(
            "         " + " · ".join(f"{phase} {seconds * 1000:.0f} ms" for phase, seconds in report.phases.items())
        )


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
