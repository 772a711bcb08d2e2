"""A development server for any folder of static files: HTTP on a local address, live reload
by Server-Sent Events. It knows nothing of promises: the serve command gives it the folder,
the gate that rebuilds hold while they write, and what `/__promisesite/status` reports.

The reload script is added to HTML responses, never to the files, so the folder being
served stays byte-identical to a clean build. Requests wait while a rebuild writes.
"""

from __future__ import annotations

import html
import ipaddress
import json
import mimetypes
import posixpath
import queue
import re
import sys
import threading
from collections.abc import Callable, Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .gate import ReadWriteLock

ENDPOINT = "__promisesite/"
_HOST = re.compile(r"(?P<name>\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::[0-9]{1,5})?")
KEEPALIVE_SECONDS = 10


class Hub:
    """The open event streams, one queue each."""

    def __init__(self) -> None:
        self._queues: set[queue.Queue] = set()
        self._lock = threading.Lock()

    def subscribe(self) -> queue.Queue:
        q: queue.Queue = queue.Queue()
        with self._lock:
            self._queues.add(q)
        return q

    def unsubscribe(self, q: queue.Queue) -> None:
        with self._lock:
            self._queues.discard(q)

    def __len__(self) -> int:
        with self._lock:
            return len(self._queues)

    def publish(self, event: str | None, data: dict | None = None) -> None:
        with self._lock:
            for q in self._queues:
                q.put((event, data))


class DevServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # the default 5 drops connections when a browser (or a test) opens many at once

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        base: str,
        gate: ReadWriteLock,
        status: Callable[[], dict],
        allowed_hosts: Iterable[str] = (),
        inputs: Callable[[], dict[str, str]] | None = None,
    ):
        super().__init__(address, Handler)
        self.root, self.base, self.gate, self.report, self.hub = root, base, gate, status, Hub()
        self.inputs = inputs  # name → digest of each input the folder was built from, on request
        self.allowed_hosts = {name.lower().strip("[]") for name in allowed_hosts} | {"localhost"}
        self.closing = False
        self.script = resources.files("promisesite.serve").joinpath("reload.js").read_bytes()

    def allows(self, host: str | None) -> bool:
        """DNS rebinding gives an attacker's page a name that resolves here: answer only under an IP
        address, localhost (and names under .localhost) or a name given with --host."""
        if host is None:
            return True  # HTTP/1.0 without a Host: no browser sends that
        match = _HOST.fullmatch(host.strip().lower())
        if match is None:
            return False
        name = match["name"].strip("[]")
        if name in self.allowed_hosts or name == "localhost" or name.endswith(".localhost"):
            return True
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True

    def status(self) -> dict:
        return {**self.report(), "browsers": len(self.hub)}

    def announce(self, written: Iterable[str]) -> None:
        """Tell the open pages which files changed (paths in the folder), so those showing one reload."""
        self.hub.publish("rebuild", {**self.status(), "changed": [self.url_of(path) for path in written]})

    def url_of(self, output_path: str) -> str:
        return self.base + (output_path[: -len("index.html")] if output_path.endswith("index.html") else output_path)

    def handle_error(self, request: object, client_address: object) -> None:
        """One request failed (the browser went away, or worse): the server goes on, with no traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            print(
                f"promisesite: a request failed ({type(error).__name__}: {error}); the server goes on",
                file=sys.stderr,
                flush=True,
            )

    def close(self) -> None:
        """After `serve_forever` has returned in this thread. (`shutdown()` is for other threads, and
        would wait forever if Ctrl-C came before `serve_forever` began.)"""
        self.closing = True
        self.hub.publish(None)
        self.server_close()


class Handler(BaseHTTPRequestHandler):
    server: DevServer
    protocol_version = "HTTP/1.1"
    timeout = 15  # seconds a connection may sit idle: idle sockets do not keep threads for ever

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass  # one line per rebuild, not per request

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
        if not self.server.allows(self.headers.get("Host")):
            return self.reply(
                403,
                b"Blocked: this server answers only under the names it listens on "
                b"(localhost, an IP address, or the name given with --host).\n",
                "text/plain; charset=utf-8",
                head,
            )
        base = self.server.base
        path = unquote(urlsplit(self.path).path)
        if path == base + ENDPOINT + "events":
            return self.events()
        if path == base + ENDPOINT + "reload.js":
            return self.reply(200, self.server.script, "text/javascript; charset=utf-8", head)
        if path == base + ENDPOINT + "status":
            status = self.server.status()
            if "inputs" in urlsplit(self.path).query.split("&") and self.server.inputs is not None:
                status["inputs"] = self.server.inputs()
            return self.reply(200, json.dumps(status).encode(), "application/json", head)
        if path + "/" == base:
            return self.redirect(base)
        if not path.startswith(base):
            return self.not_found(head)
        target = self.resolve(path[len(base) :])
        if target is None:
            return self.not_found(head)
        if target.is_dir():
            if not path.endswith("/"):
                return self.redirect(path + "/")
            target = target / "index.html"
        gate = self.server.gate
        gate.acquire_read(self.served_name(target))
        try:
            data = target.read_bytes() if target.is_file() else None
        finally:
            gate.release_read()
        if data is None:
            return self.not_found(head)
        self.reply(200, data, _content_type(target), head)

    def served_name(self, target: Path) -> str:
        """The target's path inside the output folder, as a rebuild names the files it writes."""
        try:
            return target.relative_to(self.server.root.resolve()).as_posix()
        except ValueError:
            return ""

    def resolve(self, relative: str) -> Path | None:
        """A path inside the output folder, or None: no `..`, no NUL, no escaping by any encoding."""
        if "\0" in relative or "\\" in relative:
            return None
        parts = [part for part in relative.split("/") if part not in ("", ".")]
        if any(part == ".." for part in parts) or posixpath.isabs(relative.lstrip("/")):
            return None
        try:
            root = self.server.root.resolve()
            target = root.joinpath(*parts).resolve() if parts else root
            if target != root and root not in target.parents:
                return None
            return target if target.exists() else None
        except (OSError, RuntimeError):  # a name too long, a loop: there is no such page
            return None

    def not_found(self, head: bool) -> None:
        page = self.server.root / "404.html"
        data = page.read_bytes() if page.is_file() else b"<!doctype html><title>Not found</title><p>Not found</p>"
        self.reply(404, data, "text/html; charset=utf-8", head)

    def redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def reply(self, status: int, data: bytes, content_type: str, head: bool) -> None:
        if content_type.startswith("text/html"):
            base = html.escape(self.server.base)
            tag = f'<script src="{base}{ENDPOINT}reload.js" data-base="{base}" defer></script>'.encode()
            at = data.rfind(b"</body>")
            data = data[:at] + tag + data[at:] if at >= 0 else data + tag
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        hub = self.server.hub
        stream = hub.subscribe()
        try:
            self.send_event("status", self.server.status())
            while not self.server.closing:
                try:
                    event, data = stream.get(timeout=KEEPALIVE_SECONDS)
                except queue.Empty:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    continue
                if event is None:
                    break
                self.send_event(event, data)
        except OSError:
            pass  # the browser went away
        finally:
            hub.unsubscribe(stream)

    def send_event(self, event: str, data: dict | None) -> None:
        self.wfile.write(f"event: {event}\ndata: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()


def _content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix == ".ics":
        kind = "text/calendar"
    if kind.startswith("text/") or kind in ("application/json", "application/xml", "image/svg+xml"):
        kind += "; charset=utf-8"
    return kind
