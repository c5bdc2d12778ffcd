"""Bring the embedded cloud up and down, report on it, and inject the faults the suite needs."""
from __future__ import annotations

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
from typing import Callable

from . import catalog, clouds_yaml, processes, zygote
from .binaries import require_all
from .context import Ctx
from .errors import CloudError
from .layout import Layout
from .ports import accepts_connections, free_port, is_free
from .parallel import Milestones, parallel
from .processes import ProcessSpec
from .services import glance, keystone, mariadb, neutron_standin, nova, placement, rabbitmq
from .state import ProcessRecord, State, exclusive
from .timeline import Timeline

RELAY = "placement-relay"
PORT_NAMES = ("epmd", "rabbitmq", "rabbitmq-dist", "keystone", "placement", RELAY, "glance",
              "neutron-standin", "nova-api")
COMPUTES = {nova.compute_process(host): host for host in nova.COMPUTE_HOSTS}
# What the OpenStack services use, in start order; `down` stops these last.
INFRASTRUCTURE = ("epmd", "rabbitmq", "mariadb")
# Every process, for `status`.
PROCESS_ORDER = ("epmd", "rabbitmq", "mariadb", "keystone", "neutron-standin", "placement", RELAY,
                 "glance", nova.ZYGOTE, "nova-conductor", "nova-scheduler", "nova-api", *COMPUTES)
START_TIMEOUT = 120.0


@dataclass
class ProcessStatus:
    name: str
    pid: int | None
    running: bool
    rss_kib: int
    port: int | None
    stopped_on_purpose: bool
    log: str


class EmbeddedCloud:
    def __init__(self, run_dir=None, progress: Callable[[str], None] | None = None):
        self.layout = Layout.resolve(run_dir)
        self._progress = progress or (lambda line: print(line, flush=True))
        self._started = time.monotonic()
        self._lock = threading.Lock()
        self.state = State.load(self.layout)
        # The last start-up's steps (the benchmark prints its critical path).
        self.timeline = Timeline()

    # ----------------------------------------------------------- reporting
    @property
    def ctx(self) -> Ctx:
        return Ctx(self.layout, self.state, say=self._say)

    def _say(self, name: str, what: str) -> None:
        self._progress(f"[{time.monotonic() - self._started:5.1f}s] {name:<22} {what}")

    def is_running(self, name: str) -> bool:
        record = self.state.processes.get(name)
        return record is not None and processes.is_alive(_started(record))

    def status(self) -> list[ProcessStatus]:
        # Another command (or process) may have restarted the cloud since.
        self.state = State.load(self.layout)
        report = []
        for name in PROCESS_ORDER:
            record = self.state.processes.get(name)
            running = self.is_running(name)
            rss = 0
            if running:
                rss = sum(processes.rss_kib(p) for p in [record.pid, *self.descendants(record.pid)])
            report.append(ProcessStatus(
                name=name, pid=record.pid if record else None, running=running, rss_kib=rss,
                port=self.state.ports.get(name), log=str(self.layout.log(name)),
                stopped_on_purpose=name in self.state.stopped_on_purpose,
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
                self._say(spec.name, f"the zygote did not answer ({error}): starting it on its own")
                forked = False
        if not forked:
            started = processes.spawn(spec, self.layout.root)
        pid = started.pid
        with self._lock:
            self.state.processes[spec.name] = ProcessRecord(
                pid=pid, start_ticks=started.start_ticks, started_at=time.time())
            if spec.name in self.state.stopped_on_purpose:
                self.state.stopped_on_purpose.remove(spec.name)
            self.state.save(self.layout)
        self._say(spec.name, f"{'forked' if forked else 'started'} (pid {pid})")

    def _fork(self, spec: ProcessSpec) -> processes.Started:
        """A nova service as a fork of the zygote: nova is imported already."""
        processes.log_start(spec)
        return zygote.fork(nova.zygote_socket(self.ctx), spec,
                           processes.environment(spec, self.layout.root), spec.cwd or self.layout.root)

    def _await(self, name: str, probe: Callable[[], bool], timeout: float = START_TIMEOUT) -> None:
        with self.timeline.span(f"{name} ready"):
            self._poll(name, probe, timeout)
        self._say(name, "ready" + (f" on 127.0.0.1:{self.state.ports[name]}"
                                   if name in self.state.ports else ""))

    def _poll(self, name: str, probe: Callable[[], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        delay = 0.05
        while not probe():
            if name in PROCESS_ORDER and not self.is_running(name):
                raise CloudError(f"{name} died while starting; last lines of "
                                 f"{self.layout.log(name)}:\n{processes.tail(self.layout.log(name))}")
            if time.monotonic() > deadline:
                where = self.layout.log(name) if name in PROCESS_ORDER else f"the logs in {self.layout.logs}"
                raise CloudError(f"{name} did not become ready in {timeout:.0f} s; see {where}")
            time.sleep(delay)
            delay = min(delay * 1.5, 0.5)

    def _stop(self, name: str, *, sig: int = signal.SIGTERM, on_purpose: bool = False) -> None:
        # Recorded before the signal: a stop cut short (Ctrl-C while nova-compute
        # shuts down) still tells start_compute the process is on its way out.
        with self._lock:
            if on_purpose and name not in self.state.stopped_on_purpose:
                self.state.stopped_on_purpose.append(name)
            self.state.save(self.layout)
        record = self.state.processes.get(name)
        if record is not None and processes.is_alive(_started(record)):
            processes.stop(_started(record), sig=sig, timeout=20.0)
            self._say(name, "killed" if sig == signal.SIGKILL else "stopped")

    # ------------------------------------------------------------------ up
    def up(self, defects: dict[str, str] | None = None,
           nova_options: dict[str, dict[str, str]] | None = None) -> None:
        require_all()
        with exclusive(self.layout):
            self.state = State.load(self.layout)
            # None keeps the defects in force: the suite's own `up()` must not undo
            # an `embedded-cloud up --defect ...` it is meant to be run against.
            wanted_defects = dict(self.state.defects if defects is None else defects)
            wanted_options = dict(self.state.nova_options if nova_options is None else nova_options)
            if (self._healthy() and wanted_defects == self.state.defects
                    and wanted_options == self.state.nova_options):
                self._say("cloud", f"already running ({self.layout.root})")
                return
            if any(self.is_running(n) for n in PROCESS_ORDER):
                self._say("cloud", "found a partly running cloud: restarting it")
                self._stop_all()
            cold = not self.state.initialized
            if cold:
                self._wipe()
            self.layout.make()
            self.state.defects = wanted_defects
            self.state.nova_options = wanted_options
            self.state.stopped_on_purpose = []
            for user in ("admin", catalog.MEMBER_USER, *catalog.SERVICE_USERS):
                self.state.password(user)
            self._choose_ports()
            self.state.save(self.layout)
            try:
                self._start(cold)
            except BaseException:
                # Nothing half-done left running: a failed `up` stops what it started.
                self._say("cloud", "start-up failed: stopping what was started")
                self._stop_all()
                raise
            self.state.initialized = True
            self.state.save(self.layout)
            self._say("cloud", f"ready: OS_CLIENT_CONFIG_FILE={self.layout.clouds_yaml} "
                               f"OS_CLOUD={clouds_yaml.ADMIN_CLOUD}")

    def _healthy(self) -> bool:
        if not self.state.initialized:
            return False
        if not all(self.is_running(name) for name in PROCESS_ORDER):
            return False
        return all(probe(self.ctx) for probe in (keystone.ready, placement.ready, nova.api_ready))

    def _wipe(self) -> None:
        """A run dir from a cloud that never finished its first start: begin again."""
        if self.layout.data.exists():
            self._say("cloud", f"clearing an unfinished run directory {self.layout.root}")
        for leftover in (self.layout.data, self.layout.etc):
            shutil.rmtree(leftover, ignore_errors=True)
        self.layout.clouds_yaml.unlink(missing_ok=True)
        self.state = State()

    def _choose_ports(self) -> None:
        for name in PORT_NAMES:
            port = self.state.ports.get(name)
            if port is None or not is_free(port):
                if port is not None:
                    self._say(name, f"port {port} is taken now: moving to a free one")
                self.state.ports[name] = free_port()
        if len(set(self.state.ports.values())) != len(self.state.ports):
            # Two free_port() calls can hand out the same port once released.
            self.state.ports.clear()
            self._choose_ports()

    def _start(self, cold: bool) -> None:
        ctx = self.ctx
        for service in (keystone, placement, glance, nova):
            service.write_config(ctx)
        self._say("cloud", ("cold" if cold else "warm") + f" start in {self.layout.root}")
        # One thread per line of start-up; each waits only for what it needs,
        # so CPU-bound set-up steps overlap instead of running in phases.
        self.timeline = Timeline()
        step = self.timeline.span
        done = Milestones(self.timeline)

        def broker():
            self._spawn(rabbitmq.epmd_spec(ctx))
            self._await("epmd", lambda: accepts_connections(ctx.port("epmd")))
            self._spawn(rabbitmq.spec(ctx))
            self._await("rabbitmq", lambda: rabbitmq.ready(ctx))
            done.reach("broker")

        def database_server():
            if cold:
                with step("mariadb initialised"):
                    mariadb.initialize(ctx)
            self._spawn(mariadb.spec(ctx))
            self._await("mariadb", lambda: mariadb.ready(ctx))
            if cold:
                with step("databases created"):
                    mariadb.create_databases(ctx)
            done.reach("mariadb")

        def identity():
            if cold:
                with step("keystone initialised"):
                    keystone.initialize(ctx)
            self._spawn(keystone.spec(ctx))
            self._await("keystone", lambda: keystone.ready(ctx))
            with step("users, projects and endpoints"):
                catalog.ensure_catalog(ctx, catalog.admin_connection(ctx))
            clouds_yaml.write(ctx)
            self._say("catalog", "users, projects and endpoints in place")
            done.reach("users")

        def network_standin():
            self._spawn(neutron_standin.spec(ctx))
            self._await("neutron-standin", lambda: neutron_standin.ready(ctx))

        def placement_service():
            done.wait("mariadb")
            if cold:
                with step("placement initialised"):
                    placement.initialize(ctx)
            self._spawn(placement.spec(ctx))
            self._spawn(_relay_spec(ctx))
            self._await("placement", lambda: placement.ready(ctx))
            self._await(RELAY, lambda: accepts_connections(ctx.port(RELAY)))
            done.reach("placement")

        def image_service():
            if cold:
                with step("glance initialised"):
                    glance.initialize(ctx)
            self._spawn(glance.spec(ctx))
            done.wait("users")
            self._await("glance", lambda: glance.ready(ctx))
            with step("image uploaded"):
                self.state.image_id = catalog.ensure_image(ctx, catalog.admin_connection(ctx))
            self._say("image", f"{glance.IMAGE_NAME} active")

        def nova_zygote():
            self._spawn(nova.zygote_spec(ctx))
            self._await(nova.ZYGOTE, lambda: nova.zygote_ready(ctx))
            done.reach("zygote")

        def nova_services():
            done.wait("mariadb")
            if cold:
                with step("nova databases and cells"):
                    nova.initialize(ctx)
                self._say("nova databases", "created, cells mapped")
            # nova-api needs only its databases to start (it authenticates on
            # its first request): its import overlaps the rest of the start-up.
            self._spawn(nova.api_spec(ctx))
            # The other nova services authenticate as the nova user as they start.
            done.wait("broker", "users", "zygote")
            conductor_started = datetime.now(timezone.utc)
            for spec in (nova.conductor_spec(ctx), nova.scheduler_spec(ctx)):
                self._spawn(spec)
            # The computes report their inventory to Placement as they start,
            # and ask the conductor first.
            done.wait("placement")
            self._await(nova.CONDUCTOR, lambda: nova.conductor_serving(ctx, conductor_started))
            computes_started = datetime.now(timezone.utc)
            for host in nova.COMPUTE_HOSTS:
                self._spawn(nova.compute_spec(ctx, host))
            self._await("nova-api", lambda: nova.api_ready(ctx))
            self._await_computes(catalog.admin_connection(ctx), cold, computes_started)

        parallel(broker, database_server, identity, network_standin, placement_service,
                 image_service, nova_zygote, nova_services, milestones=done)

    def _await_computes(self, conn, cold: bool, since: datetime) -> None:
        hosts = set(nova.COMPUTE_HOSTS)

        # A compute creates its node record, then its resource provider, as it
        # starts; os-hypervisors would hide the nodes until they are mapped.
        def providers() -> bool:
            self._check_nova_alive()
            return hosts <= {rp.name for rp in conn.placement.resource_providers()}

        self._await("resource providers", providers)
        if cold:
            with self.timeline.span("hosts discovered"):
                nova.discover_hosts(self.ctx)
            self._say("cells", "compute hosts mapped to cell1")
        else:
            self._reset_compute_services(conn)

        # A compute counts once it has sent a heartbeat since it was started:
        # with the long service_down_time a stale one still says "up".
        floor = since.replace(microsecond=0)

        def all_up() -> bool:
            self._check_nova_alive()
            services = list(conn.compute.services())
            up = {(s.binary, s.host) for s in services if s.state == "up"}
            beating = {s.host for s in services if s.binary == "nova-compute"
                       and (_parse_time(s.updated_at) or floor) > floor}
            binaries = {b for b, _ in up}
            return ({"nova-conductor", "nova-scheduler"} <= binaries
                    and all(("nova-compute", h) in up and h in beating for h in hosts))

        self._await("nova services", all_up)

    def _reset_compute_services(self, conn) -> None:
        """Put back computes that an interrupted run left forced down or disabled.

        The services are running again (we just started them), so clearing
        forced_down is safe here; `up` promises a cloud in its reference state.
        """
        for service in conn.compute.services(binary="nova-compute"):
            if service.host not in nova.COMPUTE_HOSTS:
                continue
            if service.is_forced_down:
                conn.compute.update_service_forced_down(service, service.host, service.binary, False)
                self._say(nova.compute_process(service.host), "was left forced down: cleared")
            if service.status == "disabled":
                conn.compute.enable_service(service, service.host, service.binary)
                self._say(nova.compute_process(service.host), "was left disabled: enabled")

    def _check_nova_alive(self) -> None:
        for name in ("nova-conductor", "nova-scheduler", "nova-api", *COMPUTES):
            if not self.is_running(name):
                raise CloudError(f"{name} died while starting; last lines of "
                                 f"{self.layout.log(name)}:\n{processes.tail(self.layout.log(name))}")

    # ---------------------------------------------------------------- down
    def down(self) -> None:
        with exclusive(self.layout):
            self.state = State.load(self.layout)
            self._stop_all()
            self._say("cloud", "stopped")

    def _stop_all(self) -> None:
        # The OpenStack services together (each spends seconds in its graceful
        # shutdown), then what they use, in reverse start order.
        parallel(*(functools.partial(self._stop, name) for name in PROCESS_ORDER
                   if name not in INFRASTRUCTURE))
        for name in reversed(INFRASTRUCTURE):
            self._stop(name)
        self.state.stopped_on_purpose = []
        self.state.save(self.layout)

    # ---------------------------------------------------------- nova-manage
    def nova_manage(self, *args: str, timeout: float = 600.0) -> subprocess.CompletedProcess:
        """Run nova-manage against this cloud (e.g. ``placement audit``), its
        output captured; the exit code is nova-manage's to interpret."""
        argv = nova.manage_argv(self.ctx, *args)
        env = {**os.environ, processes.MARKER: str(self.layout.root)}
        if self.is_running(nova.ZYGOTE):
            # A fork of the zygote: nova is imported already (about 4 CPU s saved).
            try:
                return zygote.run_captured(nova.zygote_socket(self.ctx), argv, env,
                                           self.layout.root, timeout)
            except zygote.Unavailable:
                pass  # it runs on its own, importing nova
        return subprocess.run(argv, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, env=env, timeout=timeout)

    # -------------------------------------------------------------- faults
    def _compute_name(self, host: str) -> str:
        name = nova.compute_process(host)
        if name not in COMPUTES:
            raise CloudError(f"no compute host {host!r} in this cloud; "
                             f"hosts: {', '.join(nova.COMPUTE_HOSTS)}")
        return name

    def stop_compute(self, host: str) -> None:
        with exclusive(self.layout):
            self.state = State.load(self.layout)
            self._stop(self._compute_name(host), on_purpose=True)

    def kill_compute(self, host: str) -> None:
        with exclusive(self.layout):
            self.state = State.load(self.layout)
            self._stop(self._compute_name(host), sig=signal.SIGKILL, on_purpose=True)

    def start_compute(self, host: str, timeout: float = 60.0) -> None:
        """Start a compute and return once it has sent a heartbeat (its start-up is done)."""
        with exclusive(self.layout):
            self.state = State.load(self.layout)
            name = self._compute_name(host)
            if self.is_running(name) and name in self.state.stopped_on_purpose:
                # Still shutting down after a stop that was interrupted: it
                # takes no more work and soon sends no heartbeat. Finish the stop.
                self._stop(name)
            if self.is_running(name):
                self._say(name, "already running")
                return
            started = datetime.now(timezone.utc)
            self._spawn(nova.compute_spec(self.ctx, host))
            conn = catalog.admin_connection(self.ctx)

            def heartbeat() -> bool:
                for service in conn.compute.services(binary="nova-compute", host=host):
                    beat = _parse_time(service.updated_at)
                    if beat is not None and beat > started:
                        return True
                return False

            self._await(name, heartbeat, timeout)

    def cut_placement_path(self) -> None:
        with exclusive(self.layout):
            self.state = State.load(self.layout)
            self._stop(RELAY, on_purpose=True)

    def restore_placement_path(self) -> None:
        with exclusive(self.layout):
            self.state = State.load(self.layout)
            if not self.is_running(RELAY):
                self._spawn(_relay_spec(self.ctx))
            self._await(RELAY, lambda: accepts_connections(self.ctx.port(RELAY)))


def _started(record: ProcessRecord) -> processes.Started:
    return processes.Started(record.pid, record.start_ticks)


def _relay_spec(ctx: Ctx) -> ProcessSpec:
    return ProcessSpec(
        name=RELAY,
        argv=[sys.executable, "-m", "embedded_cloud.relay", str(ctx.port(RELAY)),
              str(ctx.port("placement"))],
        log=ctx.layout.log(RELAY),
    )


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
