"""Bring the embedded cloud up and down, report on it, and inject the faults the suite needs."""
from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterable

from . import releases
from .runtime import processes, supervisor, zygote
from .setup import clouds_yaml, keystone_catalog
from .runtime.binaries import require_all
from .context import Ctx
from .errors import CloudError
from .layout import Layout
from .runtime.ports import free_port, is_free
from .runtime.parallel import Aborted, Milestones, parallel, run_in_order
from .runtime.processes import ProcessSpec
from .services import nova, placement
from .services.entry import Entry, Service, Step
from .service_table import (INFRASTRUCTURE, PORT_NAMES, PROCESS_ORDER, PROCESSES, SERVICE_USERS, TABLE,
                            service)
from .state import ProcessRecord, State, exclusive
from .startup_timeline import Timeline

START_TIMEOUT = 120.0
# `embedded-cloud compute ACTION HOST` for the suite's faults, each published
# as its -D key ACTION_compute_command (published.py); "terminate" is for tests.
FAULT_ACTIONS = ("stop", "kill", "freeze", "thaw", "start")
COMPUTE_ACTIONS = (*FAULT_ACTIONS, "terminate")


@dataclass
class ProcessStatus:
    name: str
    pid: int | None
    running: bool
    rss_kib: int
    port: int | None
    stopped_on_purpose: bool
    log: str
    frozen: bool = False


class EmbeddedCloud:
    def __init__(self, run_dir=None, progress: Callable[[str], None] | None = None):
        self.layout = Layout.resolve(run_dir)
        self._progress = progress or (lambda line: print(line, flush=True))
        self._started = time.monotonic()
        self._lock = threading.Lock()
        # Services start in parallel threads: one progress line at a time (print()
        # writes a line and its newline apart; two threads' came out as "AB", then "").
        self._saying = threading.Lock()
        self.reload()
        # The last start-up's steps (the benchmark prints its critical path).
        self.timeline = Timeline()
        # While `up` runs: its milestones (a wait gives up once another task
        # failed), and the processes it started (watched while a step waits).
        self._milestones: Milestones | None = None
        self._started_now: list[str] = []

    # ----------------------------------------------------------- reporting
    @property
    def ctx(self) -> Ctx:
        return Ctx(self.layout, self.state, say=self.say)

    def say(self, name: str, what: str) -> None:
        with self._saying:
            self._progress(f"[{time.monotonic() - self._started:5.1f}s] {name:<22} {what}")

    def reload(self) -> None:
        """Another command (or process) may have changed the cloud since."""
        self.state = State.load(self.layout)

    @contextlib.contextmanager
    def locked(self):
        """One command at a time on this cloud (state.exclusive), with its
        state read afresh: every change to the cloud happens inside."""
        with exclusive(self.layout):
            self.reload()
            yield self.state

    def is_running(self, name: str) -> bool:
        record = self.state.processes.get(name)
        return record is not None and processes.is_alive(_started(record))

    def status(self) -> list[ProcessStatus]:
        self.reload()
        report = []
        supervised = self.state.compute_supervisor or supervisor.SUPERVISOR in self.state.processes
        for name in (*PROCESS_ORDER, *([supervisor.SUPERVISOR] if supervised else [])):
            record = self.state.processes.get(name)
            running = self.is_running(name)
            rss = 0
            if running:
                rss = sum(processes.rss_kib(p) for p in [record.pid, *self.descendants(record.pid)])
            report.append(ProcessStatus(
                name=name, pid=record.pid if record else None, running=running, rss_kib=rss,
                port=self.state.ports.get(name), log=str(self.layout.log(name)),
                stopped_on_purpose=name in self.state.stopped_on_purpose,
                frozen=running and processes.is_frozen(_started(record)),
            ))
        return report

    def descendants(self, pid: int) -> list[int]:
        """A process's helpers and workers; the zygote's forks are recorded processes of their own."""
        recorded = frozenset(r.pid for r in self.state.processes.values())
        return processes.descendants(pid, exclude=recorded)

    def dead_processes(self) -> list[str]:
        """Processes that should run but do not (not counting those stopped on purpose)."""
        return [s.name for s in self.status()
                if not s.running and s.pid is not None and not s.stopped_on_purpose]

    # ----------------------------------------------------------- processes
    def _spawn(self, spec: ProcessSpec) -> None:
        forked = zygote.forkable(spec) and self.is_running(nova.ZYGOTE)
        if forked:
            try:
                started = self._fork(spec)
            except (OSError, ValueError) as error:
                # The service must start anyway: as its own process, importing nova.
                self.say(spec.name, f"the zygote did not answer ({error}): starting it on its own")
                forked = False
        if not forked:
            started = processes.spawn(spec, self.layout.root)
        pid = started.pid
        with self._lock:
            self.state.processes[spec.name] = ProcessRecord(
                pid=pid, start_ticks=started.start_ticks, started_at=time.time())
            if spec.name in self.state.stopped_on_purpose:
                self.state.stopped_on_purpose.remove(spec.name)
            self.state.exits.pop(spec.name, None)
            self.state.save(self.layout)
            self._started_now.append(spec.name)
        self.say(spec.name, f"{'forked' if forked else 'started'} (pid {pid})")

    def _fork(self, spec: ProcessSpec) -> processes.Started:
        """A nova service as a fork of the zygote: nova is imported already."""
        processes.log_start(spec)
        return zygote.fork(nova.zygote_socket(self.ctx), spec,
                           processes.environment(spec, self.layout.root), spec.cwd or self.layout.root)

    def _await(self, name: str, probe: Callable[[], bool], timeout: float = START_TIMEOUT) -> None:
        with self.timeline.span(f"{name} ready"):
            self._poll(name, probe, timeout)
        self.say(name, "ready" + (f" on 127.0.0.1:{self.state.ports[name]}"
                                   if name in self.state.ports else ""))

    def _poll(self, name: str, probe: Callable[[], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        delay = 0.05
        while not probe():
            # A process waits on itself; a step on every process started so far.
            self._check_alive([name] if name in PROCESS_ORDER else list(self._started_now))
            if self._milestones is not None and self._milestones.failed.is_set():
                raise Aborted(name)
            if time.monotonic() > deadline:
                where = self.layout.log(name) if name in PROCESS_ORDER else f"the logs in {self.layout.logs}"
                raise CloudError(f"{name} did not become ready in {timeout:.0f} s; see {where}")
            time.sleep(delay)
            delay = min(delay * 1.5, 0.5)

    def _check_alive(self, names: Iterable[str]) -> None:
        for name in names:
            if not self.is_running(name):
                raise CloudError(f"{name} died while starting; last lines of "
                                 f"{self.layout.log(name)}:\n{processes.tail(self.layout.log(name))}")

    def _stop(self, name: str, *, sig: int = signal.SIGTERM, on_purpose: bool = False,
              exit_cause: str | None = None) -> None:
        # Recorded before the signal: a stop cut short (Ctrl-C while nova-compute
        # shuts down) still tells start_compute the process is on its way out,
        # and the supervisor how it went down.
        with self._lock:
            if on_purpose and name not in self.state.stopped_on_purpose:
                self.state.stopped_on_purpose.append(name)
            if exit_cause:
                self.state.exits[name] = exit_cause
            self.state.save(self.layout)
        record = self.state.processes.get(name)
        if record is not None and processes.is_alive(_started(record)):
            processes.stop(_started(record), sig=sig, timeout=20.0)
            self.say(name, "killed" if sig == signal.SIGKILL else "stopped")

    # ------------------------------------------------------------------ up
    def up(self, defects: dict[str, str] | None = None,
           nova_options: dict[str, dict[str, str]] | None = None) -> None:
        require_all()
        with self.locked():
            # None keeps the defects in force: the suite's own `up()` must not undo
            # an `embedded-cloud up --defect ...` it is meant to be run against.
            wanted_defects = dict(self.state.defects if defects is None else defects)
            wanted_options = dict(self.state.nova_options if nova_options is None else nova_options)
            if (self.healthy() and wanted_defects == self.state.defects
                    and wanted_options == self.state.nova_options):
                self.say("cloud", f"already running ({self.layout.root})")
                self._supervise()
                return
            if any(self.is_running(n) for n in PROCESS_ORDER):
                self.say("cloud", "found a partly running cloud: restarting it")
                self._stop_all()
            cold = not self.state.initialized
            if cold:
                self._wipe()
            self.layout.make()
            self.state.defects = wanted_defects
            self.state.nova_options = wanted_options
            self.state.stopped_on_purpose = []
            # The release whose interpreter runs this (the CLI chose it, releases/).
            self.state.release = os.environ.get(releases.CURRENT) or self.state.release
            for user in ("admin", keystone_catalog.MEMBER_USER, *SERVICE_USERS):
                self.state.password(user)
            self._choose_ports()
            self.state.save(self.layout)
            try:
                self._start(cold)
            except BaseException:
                # Nothing half-done left running: a failed `up` stops what it started.
                self.say("cloud", "start-up failed: stopping what was started")
                self._stop_all()
                raise
            self.state.initialized = True
            self.state.save(self.layout)
            self._supervise()
            self.say("cloud", f"ready: OS_CLIENT_CONFIG_FILE={self.layout.clouds_yaml} "
                               f"OS_CLOUD={clouds_yaml.ADMIN_CLOUD}")

    def healthy(self) -> bool:
        """Set up, and every process running and ready."""
        if not self.state.initialized:
            return False
        if not all(self.is_running(name) for name in PROCESS_ORDER):
            return False
        ctx = self.ctx
        return all(s.ready(ctx, _since(self.state.processes[s.name])) for s in PROCESSES)

    def _wipe(self) -> None:
        """A run dir from a cloud that never finished its first start: begin again."""
        if self.layout.data.exists():
            self.say("cloud", f"clearing an unfinished run directory {self.layout.root}")
        for leftover in (self.layout.data, self.layout.etc):
            shutil.rmtree(leftover, ignore_errors=True)
        self.layout.clouds_yaml.unlink(missing_ok=True)
        self.state = State()

    def _choose_ports(self) -> None:
        for name in PORT_NAMES:
            port = self.state.ports.get(name)
            if port is None or not is_free(port):
                if port is not None:
                    self.say(name, f"port {port} is taken now: moving to a free one")
                self.state.ports[name] = free_port()
        if len(set(self.state.ports.values())) != len(self.state.ports):
            # Two free_port() calls can hand out the same port once released.
            self.state.ports.clear()
            self._choose_ports()

    def _start(self, cold: bool) -> None:
        ctx = self.ctx
        # nova's one writer serves every nova process: each is written once.
        for write_config in dict.fromkeys(s.write_config for s in PROCESSES if s.write_config):
            write_config(ctx)
        self.say("cloud", ("cold" if cold else "warm") + f" start in {self.layout.root}")
        self.timeline = Timeline()
        self._milestones = Milestones(self.timeline)
        self._started_now = []
        if zygote.nova_major() < 34:
            # openstacksdk up to 4.0 imports eventlet (through oslo.concurrency);
            # imported first in a start-up thread, eventlet re-imports threading
            # there and that thread's join never returns: import it here.
            import openstack  # noqa: F401
        try:
            run_in_order(TABLE, functools.partial(self._start_entry, ctx, cold), self._milestones)
        finally:
            self._milestones = None

    def _start_entry(self, ctx: Ctx, cold: bool, entry: Entry) -> None:
        if isinstance(entry, Step):
            self._run_step(ctx, cold, entry)
            return
        if cold and entry.initialise is not None:
            with self.timeline.span(f"{entry.name} initialised"):
                entry.initialise(ctx)
        self._start_processes([entry])

    def _run_step(self, ctx: Ctx, cold: bool, step: Step) -> None:
        if step.on not in ("every", "cold" if cold else "warm"):
            return
        if step.run is not None:
            with self.timeline.span(step.name):
                lines = list(step.run(ctx) or ())
            for who, what in (*lines, *([step.report] if step.report else [])):
                self.say(who, what)
        if step.ready is not None:
            since = datetime.now(timezone.utc)
            self._await(step.name, lambda: step.ready(ctx, since))

    def _start_processes(self, services: list[Service], timeout: float = START_TIMEOUT) -> None:
        """Start them all, then wait for each one's readiness."""
        ctx = self.ctx
        started = []
        for each in services:
            started.append((each, each.since(ctx) if each.since else datetime.now(timezone.utc)))
            self._spawn(each.process(ctx))
        for each, since in started:
            self._await(each.name, functools.partial(each.ready, ctx, since), timeout)

    # ---------------------------------------------------------------- down
    def down(self) -> None:
        with self.locked():
            self._stop_all()
            # Stopped, not dead: `status` says so, and no PID of them is kept.
            self.state.processes.clear()
            self.state.save(self.layout)
            self.say("cloud", "stopped")

    def _stop_all(self) -> None:
        # The supervisor first: it must not restart a compute being stopped.
        self._stop(supervisor.SUPERVISOR)
        # The OpenStack services together (each spends seconds in its graceful
        # shutdown), then what they use, in reverse start order.
        parallel(*(functools.partial(self._stop, name) for name in PROCESS_ORDER
                   if name not in INFRASTRUCTURE))
        for name in reversed(INFRASTRUCTURE):
            self._stop(name)
        self.state.stopped_on_purpose = []
        self.state.save(self.layout)

    # ----------------------------------------------------- the supervisor
    def supervise_computes(self, policy_text: str) -> None:
        """Run the computes under ``policy_text`` ("always:11", "on-failure:2",
        "" for none) from now on; the cloud itself is not restarted."""
        text = str(supervisor.parse(policy_text) or "")
        with self.locked():
            if text != self.state.compute_supervisor:
                self._stop(supervisor.SUPERVISOR)
                self.state.processes.pop(supervisor.SUPERVISOR, None)  # stopped, not dead
                self.state.compute_supervisor = text
                self.state.save(self.layout)
            self._supervise()

    def _supervise(self) -> None:
        """Start the supervisor process if the state asks for one and none runs."""
        if not self.state.compute_supervisor or self.is_running(supervisor.SUPERVISOR):
            return
        import sys

        self._spawn(ProcessSpec(
            name=supervisor.SUPERVISOR,
            argv=[sys.executable, "-m", "embedded_cloud.compute_supervisor", "--run-dir", str(self.layout.root)],
            log=self.layout.log(supervisor.SUPERVISOR)))

    # ---------------------------------------------------------- nova-manage
    def nova_manage(self, *args: str, timeout: float = 600.0) -> subprocess.CompletedProcess:
        """Run nova-manage against this cloud (e.g. ``placement audit``), its
        output captured; the exit code is nova-manage's to interpret."""
        argv = nova.manage_argv(self.ctx, *args)
        env = processes.command_environment(self.layout.root)
        if self.is_running(nova.ZYGOTE):
            # A fork of the zygote: nova is imported already (about 4 CPU s saved).
            try:
                return zygote.run_captured(nova.zygote_socket(self.ctx), argv, env,
                                           self.layout.root, timeout)
            except zygote.Unavailable:
                pass  # it runs on its own, importing nova
        return subprocess.run(argv, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, env=env, timeout=timeout)

    # ------------------------------------------------------------- restart
    def restart(self, names: list[str], before_start: Callable[[], None] | None = None,
                timeout: float = START_TIMEOUT) -> None:
        """Stop these processes together, then start each from its table entry
        and wait until each is ready. The caller holds `exclusive(layout)`, as
        every command does. `before_start` runs between the stop and the start
        (the defects switch records the new defects there: a crash before it
        leaves the old ones recorded, and a cloud `up` finds unhealthy)."""
        # Together: each nova service takes up to its graceful_shutdown_timeout.
        parallel(*(functools.partial(self._stop, name) for name in names))
        if before_start is not None:
            before_start()
        self._start_processes([service(name) for name in names], timeout)

    # -------------------------------------------------------------- faults
    def _compute_name(self, host: str) -> str:
        if host not in nova.COMPUTE_HOSTS:
            raise CloudError(f"no compute host {host!r} in this cloud; "
                             f"hosts: {', '.join(nova.COMPUTE_HOSTS)}")
        return nova.compute_process(host)

    def stop_compute(self, host: str) -> None:
        """The supervisor's stop (``systemctl stop``): it holds until a start."""
        with self.locked():
            self._stop(self._compute_name(host), on_purpose=True, exit_cause=supervisor.STOP)

    def kill_compute(self, host: str) -> None:
        """SIGKILL: a crash, which a supervisor restarts."""
        with self.locked():
            self._stop(self._compute_name(host), sig=signal.SIGKILL, on_purpose=True,
                       exit_cause=supervisor.KILL)

    def terminate_compute(self, host: str) -> None:
        """SIGTERM behind the supervisor's back (``docker stop`` under a
        unit): a clean exit, which ``Restart=always`` restarts."""
        with self.locked():
            self._stop(self._compute_name(host), on_purpose=True, exit_cause=supervisor.TERMINATE)

    def freeze_compute(self, host: str) -> None:
        """SIGSTOP (``systemctl kill -s SIGSTOP``, ``docker pause``): the
        process stays, so no supervisor restarts it, and sends no heartbeat."""
        with self.locked() as state:
            name = self._compute_name(host)
            if not self.is_running(name):
                raise CloudError(f"{name} is not running: there is nothing to freeze; "
                                 f"start it with `embedded-cloud compute start {host}`")
            processes.signal_group(_started(state.processes[name]), signal.SIGSTOP)
            self.say(name, "frozen (SIGSTOP)")

    def thaw_compute(self, host: str) -> None:
        """SIGCONT: a frozen compute runs on; anything else is left as it is."""
        with self.locked() as state:
            name = self._compute_name(host)
            if self.is_running(name):
                processes.signal_group(_started(state.processes[name]), signal.SIGCONT)
                self.say(name, "thawed (SIGCONT)")

    def restart_compute_unless_held(self, host: str) -> None:
        """The supervisor's restart: not if the compute runs again or was
        stopped through the supervisor meanwhile."""
        with self.locked():
            name = self._compute_name(host)
            if self.is_running(name) or self.state.exits.get(name) == supervisor.STOP:
                return
            self.restart([name])

    def start_compute(self, host: str, timeout: float = 60.0) -> None:
        """Start a compute and return once it has sent a heartbeat (its start-up is done)."""
        with self.locked():
            name = self._compute_name(host)
            if self.is_running(name) and name not in self.state.stopped_on_purpose:
                self.say(name, "already running")
                return
            # Running though stopped on purpose: still shutting down after a
            # stop that was interrupted; it takes no more work and soon sends
            # no heartbeat. The restart finishes the stop first.
            self.restart([name], timeout=timeout)

    def cut_placement_path(self) -> None:
        with self.locked():
            self._stop(placement.RELAY, on_purpose=True)

    def restore_placement_path(self) -> None:
        with self.locked():
            if not self.is_running(placement.RELAY):
                self.restart([placement.RELAY])
                return
            relay = service(placement.RELAY)
            self._await(relay.name, lambda: relay.ready(self.ctx, datetime.now(timezone.utc)))


def _started(record: ProcessRecord) -> processes.Started:
    return processes.Started(record.pid, record.start_ticks)


def _since(record: ProcessRecord) -> datetime:
    return datetime.fromtimestamp(record.started_at, timezone.utc)
