"""openstacksdk helpers shared by the test packages that use a real cloud."""

from __future__ import annotations

import time

IMAGE = "embedded-fake-image"


def boot(conn, name: str, flavor_id: str, host: str | None = None):
    """A `networks: none` server from the embedded image, ACTIVE (on `host` if named)."""
    image = conn.image.find_image(IMAGE, ignore_missing=False)
    extra = {"host": host} if host else {}
    server = conn.compute.create_server(name=name, flavor_id=flavor_id, image_id=image.id,
                                        networks="none", **extra)
    return conn.compute.wait_for_server(server, status="ACTIVE", wait=120)


def wait_until(predicate, timeout: float, what: str, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not so after {timeout:.0f} s")
        time.sleep(interval)


def wait_for_line(path, text: str, timeout: float = 10):
    """Until `text` appears in the file at `path` (a child process's marker file)."""
    wait_until(lambda: path.exists() and text in path.read_text(), timeout,
               f"{text!r} in {path}", interval=0.02)
