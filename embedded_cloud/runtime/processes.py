"""Start, watch and stop the cloud's processes, always by the PID we recorded.

A process is recorded as its PID and its kernel start time (field 22 of
/proc/<pid>/stat). Before signalling we check both, so a PID the kernel has
since given to somebody else's process is never touched. (An environment
marker is not enough: gunicorn's setproctitle overwrites /proc/<pid>/environ.)
Every process also carries EMBEDDED_CLOUD_RUN_DIR in its environment, which
tells an operator reading `ps e` whose it is.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

MARKER = "EMBEDDED_CLOUD_RUN_DIR"


@dataclass
class ProcessSpec:
    """One long-running process of the cloud."""

    name: str
    argv: list[str]
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None


@dataclass(frozen=True)
class Started:
    pid: int
    start_ticks: int


# Every process of the cloud gets these unless the caller's environment sets them.
DEFAULT_ENV = {
    # eventlet imports dnspython for its green resolver, which serves only
    # processes in eventlet mode: none here runs in it (the services run in
    # threading mode), yet glance, keystone and the nova processes import
    # eventlet, and dnspython cost each of them about 0.2 CPU s.
    "EVENTLET_NO_GREENDNS": "yes",
}


def command_environment(run_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a process or one-shot command of the cloud in `run_dir`."""
    return {**DEFAULT_ENV, **os.environ, **(extra or {}), MARKER: str(run_dir)}


def environment(spec: ProcessSpec, run_dir: Path) -> dict[str, str]:
    return command_environment(run_dir, spec.env)


def log_start(spec: ProcessSpec) -> None:
    spec.log.parent.mkdir(parents=True, exist_ok=True)
    with open(spec.log, "ab") as log:
        log.write(f"\n===== {time.strftime('%Y-%m-%d %H:%M:%S')} starting {spec.name}\n".encode())


def spawn(spec: ProcessSpec, run_dir: Path) -> Started:
    log_start(spec)
    with open(spec.log, "ab") as log:
        proc = subprocess.Popen(
            spec.argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=environment(spec, run_dir),
            cwd=spec.cwd or run_dir,
            # Its own session: Ctrl-C on the terminal that ran `up` must not
            # reach the cloud, and its process group is ours to kill.
            start_new_session=True,
        )
    return Started(proc.pid, start_ticks(proc.pid) or 0)


def _reap(pid: int) -> None:
    """Collect the exit status if the process is our child (no zombies)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def _stat_fields(pid: int) -> list[str] | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Fields after the parenthesised command name, which may hold spaces:
    # [0] is the state letter (field 3), [2] the process group, [19] the start time.
    return stat.rsplit(")", 1)[1].split()


def start_ticks(pid: int) -> int | None:
    fields = _stat_fields(pid)
    return int(fields[19]) if fields else None


def is_alive(started: Started) -> bool:
    """True while the very process we started runs (not a zombie, not a reused PID)."""
    if started.pid <= 0:
        return False
    _reap(started.pid)
    fields = _stat_fields(started.pid)
    if fields is None or fields[0] in ("Z", "X"):
        return False
    return int(fields[19]) == started.start_ticks


def _group_members(leader: Started) -> list[int]:
    """Live processes in the process group our process leads (it started its own session)."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != leader.pid:
            fields = _stat_fields(int(entry.name))
            # Only processes born after the leader can be its group's members.
            if (fields and fields[0] not in ("Z", "X") and int(fields[2]) == leader.pid
                    and int(fields[19]) >= leader.start_ticks):
                members.append(int(entry.name))
    return members


def wait_gone(started: Started, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not is_alive(started):
            return True
        time.sleep(0.05)
    return not is_alive(started)


def stop(started: Started, *, timeout: float = 10.0, sig: int = signal.SIGTERM) -> None:
    """Ask the process to stop; if it will not, kill it. Then no straggler of its group is left."""
    if not is_alive(started):
        return
    if sig != signal.SIGKILL:
        os.kill(started.pid, sig)
        signal_group(started, signal.SIGCONT)  # a frozen process takes the signal once continued
        wait_gone(started, timeout)
    kill(started)


def signal_group(started: Started, sig: int) -> None:
    """``sig`` to the process and its group, as ``systemctl kill`` signals a
    unit's every process (a freeze must stop its helpers too)."""
    for pid in [started.pid, *_group_members(started)]:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def is_frozen(started: Started) -> bool:
    """Stopped by a signal (SIGSTOP): alive, and running nothing."""
    fields = _stat_fields(started.pid) if is_alive(started) else None
    return fields is not None and fields[0] == "T"


def kill(started: Started) -> None:
    """SIGKILL the process and whatever is left in the process group it leads."""
    # Workers of a WSGI master or helpers of the Erlang VM normally exit with
    # their parent; a straggler is killed so that `down` leaves nothing.
    targets = _group_members(started)
    if is_alive(started):
        targets.insert(0, started.pid)
    for pid in targets:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    wait_gone(started, 5.0)


def tail(path: Path, lines: int = 15) -> str:
    try:
        with open(path, errors="replace") as handle:
            return "".join(deque(handle, maxlen=lines))
    except OSError:
        return "(no log)"


def rss_kib(pid: int) -> int:
    """Resident memory of one process, in KiB (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int, exclude: frozenset[int] = frozenset()) -> list[int]:
    """Every process below `pid` (WSGI workers, Erlang helpers), except those in
    `exclude` and theirs (the nova zygote's forks are processes of their own)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child in exclude:
                continue
            found.append(child)
            todo.append(child)
    return found
