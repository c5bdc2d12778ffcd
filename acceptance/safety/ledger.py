"""What the suite changed in a cloud, written down before it changes it.

The ledger is an append-only JSON-lines file in the run dir, one per cloud.
Every record is fsync'd before the call it announces is made, so after a
Ctrl-C, a SIGKILL or a machine crash the file still says what to undo:
``outstanding()`` is what was created and not deleted, and what was changed
and not put back. ``acceptance.safety.restore`` replays it.

A record is one ``os.write`` of one whole line, so a signal handler that
writes its own record cannot split another one; a crash can still leave a
truncated last line, which is skipped when reading.

While a ledger is open it holds an exclusive ``flock`` on a lock file, so
two runs (or a run and ``suite-cleanup``) never replay the
same ledger at once. The kernel drops the lock when the holder dies, even
by SIGKILL.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from acceptance import faults

KINDS = ("server", "flavor")


class LedgerBusy(RuntimeError):
    """Another live process holds this cloud's ledger."""


@dataclass(frozen=True)
class Resource:
    """A server or flavor the suite created (or was about to create).

    ``resource_id`` is None when the run died between ``will_create`` and
    ``created``: the resource, if it exists, is found by its (prefixed) name.
    """

    kind: str
    name: str | None
    resource_id: str | None


@dataclass(frozen=True)
class ServiceChange:
    """A compute service the suite changed, with the values to put back."""

    service_id: str
    host: str
    binary: str
    original: dict[str, Any]

    @property
    def was_up(self) -> bool:
        # "state" is optional in the record; a service the suite chose to
        # fault was up unless it was already forced down.
        state = self.original.get("state")
        if state is not None:
            return state == "up"
        return not self.original.get("forced_down", False)


@dataclass(frozen=True)
class Outstanding:
    servers: list[Resource] = field(default_factory=list)
    flavors: list[Resource] = field(default_factory=list)
    services: list[ServiceChange] = field(default_factory=list)
    stopped_computes: list[str] = field(default_factory=list)  # hosts
    placement_path_cut: bool = False
    # host -> the faults made to its nova-compute since its last start, in
    # order (acceptance.faults: the restore undoes them, last first, then starts it)
    compute_faults: dict[str, list[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.servers or self.flavors or self.services or self.stopped_computes
                    or self.placement_path_cut)

    def describe(self) -> list[str]:
        """One line per item, for the console."""
        lines = ["nova-api's path to Placement: cut by the suite"] if self.placement_path_cut else []
        lines += [f"{r.kind} {r.name or '?'} ({r.resource_id or 'id unknown'})"
                  for r in (*self.servers, *self.flavors)]
        lines += [f"compute service {s.binary} on {s.host} ({s.service_id}): put back "
                  f"{_original_text(s.original)}" for s in self.services]
        lines += [f"nova-compute on {host}: {', then '.join(f.done for f in self.faults_of(host))} "
                  "by the suite" for host in self.stopped_computes]
        return lines

    def faults_of(self, host: str) -> list[faults.Fault]:
        return [faults.named(name) for name in self.compute_faults.get(host) or [None]]


def _original_text(original: dict[str, Any]) -> str:
    text = f"status={original.get('status')} forced_down={original.get('forced_down')}"
    if original.get("disabled_reason"):
        text += f" disabled_reason={original['disabled_reason']!r}"
    return text


def ledger_path(run_dir: str | os.PathLike, cloud_key: str) -> Path:
    """One file per cloud: the key (e.g. auth URL and region) hashed into the name."""
    digest = hashlib.sha256(cloud_key.encode()).hexdigest()[:16]
    return Path(run_dir) / "ledgers" / f"ledger-{digest}.jsonl"


def cloud_key(conn) -> str:
    """Identify a cloud by what makes it the same cloud across runs:
    its identity endpoint and region (not the clouds.yaml name, which
    differs between machines and can point elsewhere tomorrow)."""
    auth_url = (conn.config.get_auth_args().get("auth_url") or "").rstrip("/")
    return f"{auth_url}#{conn.config.get_region_name() or ''}"


class Ledger:
    def __init__(self, path: Path, cloud_key: str, prefix: str, fd: int, lock_fd: int) -> None:
        self.path = path
        self.cloud_key = cloud_key
        self.prefix = prefix
        self._fd = fd
        self._lock_fd = lock_fd

    # ------------------------------------------------------------ opening
    @classmethod
    def open(cls, run_dir, cloud_key: str, prefix: str) -> Ledger:
        """Open (creating if needed) this cloud's ledger and lock it.

        Raises ``LedgerBusy`` when another live process has it open.
        """
        path = ledger_path(run_dir, cloud_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        lock_fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(lock_fd)
            os.close(lock_fd)
            raise LedgerBusy(
                f"another run{holder} is using the ledger {path} for this cloud; "
                "wait for it to finish, or stop it and run suite-cleanup"
            ) from None
        os.ftruncate(lock_fd, 0)
        os.write(lock_fd, str(os.getpid()).encode())
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        ledger = cls(path, cloud_key, prefix, fd, lock_fd)
        ledger._repair_torn_tail()
        return ledger

    @classmethod
    def exists(cls, run_dir, cloud_key: str) -> bool:
        return ledger_path(run_dir, cloud_key).exists()

    def close(self) -> None:
        """Release the lock (the file stays: it is the record of the run)."""
        if self._fd >= 0:
            os.close(self._fd)
            os.close(self._lock_fd)  # closing drops the flock
            self._fd = self._lock_fd = -1

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------ writing
    def will_create(self, kind: str, name: str) -> None:
        _check_kind(kind)
        self._append({"event": "will_create", "kind": kind, "name": name})

    def created(self, kind: str, name: str, resource_id: str) -> None:
        _check_kind(kind)
        self._append({"event": "created", "kind": kind, "name": name, "id": resource_id})

    def deleted(self, kind: str, resource_id: str) -> None:
        _check_kind(kind)
        self._append({"event": "deleted", "kind": kind, "id": resource_id})

    def not_found(self, kind: str, name: str) -> None:
        """A ``will_create`` whose resource never appeared (the create
        failed or never reached the cloud): stop looking for it."""
        _check_kind(kind)
        self._append({"event": "not_found", "kind": kind, "name": name})

    def will_change_service(self, service_id: str, host: str, binary: str, original: dict) -> None:
        self._append({"event": "will_change_service", "service_id": service_id, "host": host,
                      "binary": binary, "original": dict(original)})

    def service_restored(self, service_id: str) -> None:
        self._append({"event": "service_restored", "service_id": service_id})

    def will_stop_compute(self, host: str, fault: str = faults.STOP.name) -> None:
        """Before ``fault`` (acceptance.faults: a stop, a kill, a freeze) is
        made to nova-compute on ``host`` (a process, not an API change)."""
        self._append({"event": "will_stop_compute", "host": host, "fault": fault})

    def compute_started(self, host: str) -> None:
        self._append({"event": "compute_started", "host": host})

    def will_cut_placement_path(self) -> None:
        """Before cutting nova-api's path to Placement (embedded cloud fault)."""
        self._append({"event": "will_cut_placement_path"})

    def placement_path_restored(self) -> None:
        self._append({"event": "placement_path_restored"})

    def _append(self, record: dict[str, Any]) -> None:
        if self._fd < 0:
            raise ValueError(f"ledger {self.path} is closed")
        record = {**record, "at": round(time.time(), 3), "pid": os.getpid(),
                  "cloud": self.cloud_key, "prefix": self.prefix}
        line = (json.dumps(record, sort_keys=True) + "\n").encode()
        os.write(self._fd, line)  # one write: O_APPEND keeps it whole
        os.fsync(self._fd)

    def _repair_torn_tail(self) -> None:
        """A crash mid-write can leave a last line with no newline; end it,
        so the next record starts on a line of its own (the torn one is
        skipped when reading)."""
        size = os.fstat(self._fd).st_size
        if size == 0:
            return
        with open(self.path, "rb") as file:
            file.seek(size - 1)
            if file.read(1) != b"\n":
                os.write(self._fd, b"\n")
                os.fsync(self._fd)

    # ------------------------------------------------------------ reading
    def records(self) -> list[dict[str, Any]]:
        return read_records(self.path)

    def outstanding(self) -> Outstanding:
        return outstanding_from(self.records())

    def services_changed_by_this_run(self) -> list[ServiceChange]:
        """Every service this ledger's run changed, restored or not, with
        its first original (to check at the end that each one that was up
        really runs again)."""
        changes: dict[str, ServiceChange] = {}
        for record in self.records():
            if record["event"] == "will_change_service" and record.get("prefix") == self.prefix:
                changes.setdefault(record["service_id"], ServiceChange(
                    record["service_id"], record["host"], record["binary"], record["original"]))
        return list(changes.values())


def read_records(path: Path) -> list[dict[str, Any]]:
    """Every whole record; torn or corrupt lines (a crash mid-write) are skipped."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return []
    records = []
    for line in raw.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and "event" in record:
            records.append(record)
    return records


def outstanding_from(records: list[dict[str, Any]]) -> Outstanding:
    """Replay the records in order and keep what is still to undo."""
    by_id: dict[tuple[str, str], Resource] = {}
    by_name: dict[tuple[str, str], Resource] = {}  # will_create not yet created
    services: dict[str, ServiceChange] = {}
    stopped: dict[str, list[str]] = {}  # host -> its faults, in order
    placement_path_cut = False
    for record in records:
        event = record["event"]
        kind = record.get("kind")
        if event == "will_create":
            by_name[(kind, record["name"])] = Resource(kind, record["name"], None)
        elif event == "created":
            by_name.pop((kind, record["name"]), None)
            by_id[(kind, record["id"])] = Resource(kind, record["name"], record["id"])
        elif event == "deleted":
            by_id.pop((kind, record["id"]), None)
        elif event == "not_found":
            by_name.pop((kind, record["name"]), None)
        elif event == "will_change_service":
            # The first original wins: a second change records the
            # suite's own value, not the one to put back.
            services.setdefault(record["service_id"], ServiceChange(
                record["service_id"], record["host"], record["binary"], record["original"]))
        elif event == "service_restored":
            services.pop(record["service_id"], None)
        elif event == "will_stop_compute":
            # A record from before faults had names is a stop.
            stopped.setdefault(record["host"], []).append(record.get("fault") or faults.STOP.name)
        elif event == "compute_started":
            stopped.pop(record["host"], None)
        elif event == "will_cut_placement_path":
            placement_path_cut = True
        elif event == "placement_path_restored":
            placement_path_cut = False
    resources = [*by_id.values(), *by_name.values()]
    return Outstanding(
        servers=[r for r in resources if r.kind == "server"],
        flavors=[r for r in resources if r.kind == "flavor"],
        services=list(services.values()),
        stopped_computes=list(stopped),
        placement_path_cut=placement_path_cut,
        compute_faults=stopped,
    )


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown resource kind {kind!r}; expected one of {', '.join(KINDS)}")


def _read_holder(lock_fd: int) -> str:
    try:
        pid = os.pread(lock_fd, 32, 0).decode().strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""
