"""What one line of the service table says: a process to run, or a set-up step.

Both name what they wait for (`after`: other entries' names); the generic
runner (parallel.run_in_order) derives the start order from that alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable

from ..context import Ctx
from ..runtime.processes import ProcessSpec

# ready(ctx, since): is it serving? `since` is when it was started (or what
# its Service.since read before the start), for a heartbeat-style probe; the
# others ignore it (see `untimed`).
Ready = Callable[[Ctx, datetime], bool]


@dataclass(frozen=True)
class Service:
    """One long-running process of the cloud."""

    name: str  # its PID, log and `status` line
    process: Callable[[Ctx], ProcessSpec]
    ready: Ready
    # The `since` its `ready` gets, read just before the process starts (when
    # no instance of it runs); None: the time of the start.
    since: Callable[[Ctx], datetime] | None = None
    ports: tuple[str, ...] = ()  # the ports it owns, chosen free at start-up
    write_config: Callable[[Ctx], None] | None = None  # on every start
    initialise: Callable[[Ctx], None] | None = None  # on a cold start only
    after: tuple[str, ...] = ()
    # (service type, service name, path) in the Keystone catalog, at the URL of its first port
    endpoint: tuple[str, str, str] | None = None
    # What the OpenStack services use: `down` stops it last.
    infrastructure: bool = False
    user: str | None = None  # its Keystone user, in the `service` project
    databases: tuple[str, ...] = ()  # created in MariaDB on a cold start
    # The distribution whose migrations make its schema: its version is part
    # of the schema cache's key (setup/schema_cache.py).
    schema_package: str | None = None


@dataclass(frozen=True)
class Step:
    """A set-up step that is not a process: it runs once, or waits until `ready` holds."""

    name: str  # its timeline span, and what other entries wait for
    run: Callable[[Ctx], Iterable[tuple[str, str]] | None] | None = None  # progress lines it returns
    ready: Ready | None = None
    after: tuple[str, ...] = ()
    on: str = "every"  # "cold", "warm" or "every" start
    report: tuple[str, str] | None = None  # (who, what) once it has run


Entry = Service | Step


def untimed(check: Callable[[Ctx], bool]) -> Ready:
    """A probe that needs no start time, in the table's one signature."""
    return lambda ctx, since: check(ctx)
