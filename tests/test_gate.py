"""The gate between rebuilds and requests: a request waits while a rebuild writes, except for
the files the rebuild has finished and admitted."""

from __future__ import annotations

import threading

from promisesite.serve.gate import ReadWriteLock


def reader(gate: ReadWriteLock, name: str, done: threading.Event) -> threading.Thread:
    def read() -> None:
        gate.acquire_read(name)
        done.set()
        gate.release_read()

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_a_request_waits_while_a_rebuild_writes() -> None:
    gate = ReadWriteLock()
    gate.acquire_write()
    served = threading.Event()
    reader(gate, "promises/a/index.html", served)
    assert not served.wait(0.2)
    gate.release_write()
    assert served.wait(120)


def test_an_admitted_page_is_served_while_the_rebuild_goes_on() -> None:
    gate = ReadWriteLock()
    gate.acquire_write()
    edited, other = threading.Event(), threading.Event()
    reader(gate, "promises/a/index.html", edited)
    reader(gate, "index.html", other)
    gate.admit(["promises/a/index.html", "assets/style.css"])
    assert edited.wait(120)  # without releasing the write lock
    assert not other.wait(0.2)  # the dashboard is not written yet
    gate.release_write()
    assert other.wait(120)


def test_the_next_rebuild_admits_nothing_until_told() -> None:
    gate = ReadWriteLock()
    gate.acquire_write()
    gate.admit(["promises/a/index.html"])
    gate.release_write()
    gate.acquire_write()
    served = threading.Event()
    reader(gate, "promises/a/index.html", served)
    assert not served.wait(0.2)
    gate.release_write()
    assert served.wait(120)


def test_a_rebuild_waits_for_the_requests_already_reading() -> None:
    gate = ReadWriteLock()
    gate.acquire_read("index.html")
    writing = threading.Event()

    def write() -> None:
        gate.acquire_write()
        writing.set()
        gate.release_write()

    threading.Thread(target=write, daemon=True).start()
    assert not writing.wait(0.2)
    gate.release_read()
    assert writing.wait(120)
