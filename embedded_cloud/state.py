"""What a running embedded cloud remembers between commands: ports, PIDs, secrets.

Kept as JSON in the run directory (mode 0600: it holds the passwords), and
written atomically so that a killed command never leaves half a file.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import CloudError
from .layout import Layout

STATE_VERSION = 1


def new_password() -> str:
    return secrets.token_urlsafe(18)


@dataclass
class ProcessRecord:
    pid: int
    start_ticks: int
    started_at: float


@dataclass
class State:
    version: int = STATE_VERSION
    # Set once every database is created and the catalog is complete: from
    # then on a start is warm (the data is kept, only processes start).
    initialized: bool = False
    ports: dict[str, int] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)
    processes: dict[str, ProcessRecord] = field(default_factory=dict)
    # service name -> defect name injected into that service (see defects/)
    defects: dict[str, str] = field(default_factory=dict)
    # nova.conf options laid over the cloud's own (`up --nova-option`)
    nova_options: dict[str, dict[str, str]] = field(default_factory=dict)
    image_id: str | None = None
    # services the fault controls stopped on purpose: not reported as dead
    stopped_on_purpose: list[str] = field(default_factory=list)
    # `up --compute-supervisor`: "always:11", "on-failure:2" or "" (none); see supervisor.py
    compute_supervisor: str = ""
    # compute process -> how it last went down: stop, kill or terminate (supervisor.py)
    exits: dict[str, str] = field(default_factory=dict)
    # the OpenStack release it runs (releases/); None: the newest
    release: str | None = None

    def password(self, user: str) -> str:
        if user not in self.passwords:
            self.passwords[user] = new_password()
        return self.passwords[user]

    @classmethod
    def load(cls, layout: Layout) -> "State":
        try:
            raw = json.loads(layout.state_file.read_text())
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            # A state file cut short by a crash: treat the run dir as stale.
            return cls()
        if raw.get("version") != STATE_VERSION:
            return cls()
        raw["processes"] = {
            name: ProcessRecord(**record) for name, record in raw.get("processes", {}).items()
        }
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{key: value for key, value in raw.items() if key in known})

    def save(self, layout: Layout) -> None:
        layout.root.mkdir(parents=True, exist_ok=True)
        tmp = layout.state_file.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(asdict(self), handle, indent=2, sort_keys=True)
        os.replace(tmp, layout.state_file)


@contextlib.contextmanager
def exclusive(layout: Layout, wait: float = 300.0):
    """One command at a time per cloud: `up` in two shells must not race."""
    import time

    layout.root.mkdir(parents=True, exist_ok=True)
    with open(layout.lock_file, "w") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise CloudError(
                        f"another embedded-cloud command holds {layout.lock_file}; "
                        "wait for it to finish and try again"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def written_file(path: Path, text: str, mode: int = 0o600) -> Path:
    """Write a config file atomically, readable only by us (passwords inside)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)
    return path
