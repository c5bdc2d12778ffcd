"""The one way the suite creates servers and flavors and changes compute services.

Each change is written to the ledger (``acceptance.safety.ledger``) before it is
made, and nothing else: the ledger is the one record of what to put back, and
``acceptance.safety.restore`` the one restorer that puts it back -- after each
scenario, at the end, after Ctrl-C, or on replay after a kill.

  ``ledger.will_create(kind, name)``            before a create call
  ``ledger.created(kind, name, resource_id)``   right after it
  ``ledger.not_found(kind, name)``              when the cloud refused a create (4xx)
  ``ledger.deleted(kind, resource_id)``         once the resource is confirmed gone
  ``ledger.will_change_service(service_id, host, binary, original)``
                                                before the first change to a compute
                                                service (a stop, a kill or a PUT)
  ``ledger.will_stop_compute(host, fault)``     before a fault (acceptance/faults.py:
                                                a stop, a kill, a freeze) to nova-compute
  ``ledger.compute_started(host)``              once it has reported again

Right before every fault -- a stop, a kill, a force down, a disable -- the
host is checked again for servers the suite did not create
(``check_host``: acceptance.safety.safe_hosts, through the safety net):
one may have landed there while the suite's own server was building. If
there is one, the fault is not made and the step fails naming it; the
restore after the scenario still runs.

A fault to the process (a stop, a kill, a freeze) is believed only once
the service's heartbeats have stopped (``wait_for_heartbeats_to_stop``):
forcing a live service down would
let a stop that did nothing pass. From then until the suite's own start the
fault must hold (``check_faults_hold``, after every step, and once more
before the start): a supervisor that brings nova-compute back (systemd
``Restart=``, a container restart policy) fails the scenario, never passes
it. A start returns once a new heartbeat came.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from openstack import exceptions

from acceptance import redaction
from acceptance.cloud.compute import COMPUTE_BINARY, ComputeClient
from acceptance.cloud.waiters import (
    HeartbeatResumed,
    wait_for_heartbeat,
    wait_for_heartbeats_to_stop,
    wait_for_server_gone,
)
from acceptance.checks.polling import SYSTEM_CLOCK, Clock
from acceptance.cloud.fault_control import FaultControl
from acceptance.faults import FAULTS, STOP, Fault
from acceptance.settings import NOVA_REPORT_INTERVAL, Timeouts

SERVER, FLAVOR = "server", "flavor"

__all__ = ["Creations", "ServiceChanges"]


def _create(ledger, kind: str, name: str, create):
    ledger.will_create(kind, name)
    try:
        made = create()
    except exceptions.HttpException as error:
        # Only a 4xx means the cloud refused it, so nothing exists to look
        # for. After a timeout or a 5xx the resource may exist after all.
        if error.status_code is not None and 400 <= error.status_code < 500:
            ledger.not_found(kind, name)
        raise
    ledger.created(kind, name, made.id)
    return made


class Creations:
    """Servers and flavors, named with the run prefix, each in the ledger."""

    def __init__(self, conn, prefix: str, timeouts: Timeouts, ledger) -> None:
        self.conn = conn
        self.compute = ComputeClient(conn)
        self.prefix = prefix
        self.timeouts = timeouts
        self.ledger = ledger
        self.server_ids: set[str] = set()  # every server this run created
        self._confirmed_gone: set[str] = set()

    def name(self, label: str) -> str:
        return f"{self.prefix}{label}"

    # ------------------------------------------------------------ flavors
    def create_flavor(self, label: str, *, vcpus: int, ram: int, disk: int):
        """A private flavor, usable by the suite's project only: on a shared
        cloud no other tenant sees it or boots from it during the run."""
        name = self.name(label)
        flavor = _create(
            self.ledger,
            FLAVOR,
            name,
            lambda: self.conn.compute.create_flavor(
                name=name, vcpus=vcpus, ram=ram, disk=disk, ephemeral=0, swap=0, is_public=False
            ),
        )
        # In the ledger already: should this fail, the restore deletes the flavor.
        self.conn.compute.flavor_add_tenant_access(flavor, self.conn.current_project_id)
        return flavor

    # ------------------------------------------------------------ servers
    def boot_server(
        self, label: str, *, flavor, image_id: str, host: str | None = None
    ):
        """POST /servers without networks; ``host`` (2.74, admin) asks the
        scheduler for that host. Returns at once: the caller waits."""
        name = self.name(label)
        attrs = {"name": name, "flavor_id": flavor.id, "image_id": image_id, "networks": "none"}
        if host is not None:
            attrs["host"] = host
        server = _create(self.ledger, SERVER, name, lambda: self.conn.compute.create_server(**attrs))
        # The guest's password, in nova's answer: masked wherever it might show up later.
        redaction.register_secret(getattr(server, "admin_password", None))
        self.server_ids.add(server.id)
        return server

    def delete_server(self, server_id: str) -> None:
        """DELETE /servers/{id}; returns once nova accepted it."""
        self.conn.compute.delete_server(server_id, ignore_missing=False)

    def wait_until_server_gone(self, server_id: str, timeout: float | None = None) -> None:
        """Fails at once on a SOFT_DELETED server: the check is about a delete."""
        wait_for_server_gone(
            self.compute, server_id, self.timeouts.server_deleted if timeout is None else timeout)
        self._confirm_gone(server_id)

    def _confirm_gone(self, server_id: str) -> None:
        if server_id in self._confirmed_gone:
            return
        self._confirmed_gone.add(server_id)
        self.ledger.deleted(SERVER, server_id)


class FaultDidNotHold(AssertionError):
    """A compute the suite stopped came back before the suite started it."""


@dataclass(frozen=True)
class HeldFault:
    """A fault the suite believes: ``heartbeat`` stood still after
    ``action`` (a fault's name) was commanded at ``commanded_at`` (our clock)."""

    host: str
    action: str
    commanded_at: float
    heartbeat: object

    def came_back(self, service, now: float) -> FaultDidNotHold | None:
        """The failure if ``service`` reported since (its ``updated_at`` moved;
        an ``up`` with a still heartbeat is only nova's service_down_time)."""
        if service.updated_at == self.heartbeat:
            return None
        return comeback(self.host, self.action, now - self.commanded_at,
                        f"heartbeat at {service.updated_at}, state {service.state}")


def comeback(host: str, action: str, seconds: float, seen: str) -> FaultDidNotHold:
    return FaultDidNotHold(
        f"nova-compute on {host} came back on its own {seconds:.1f} s after the {action} command "
        f"({seen}); a supervisor restarts it (systemd Restart=, a container restart policy): "
        "stop it through the supervisor, see the recipes in features/README.md")


class ServiceChanges:
    """Stops, kills, starts, forces down and disables compute services; the
    ledger holds how each was before, for ``acceptance.safety.restore``."""

    def __init__(self, conn, fault_control: FaultControl, timeouts: Timeouts, ledger, *,
                 report_interval: float = NOVA_REPORT_INTERVAL, clock: Clock = SYSTEM_CLOCK,
                 check_host: Callable[[object, str], None] | None = None,
                 mark_reason: Callable[[str], str] = str) -> None:
        self.conn = conn
        # reason -> the disabled reason nova gets: marked as the suite's
        # (acceptance.safety.prefix.marked_reason), for a sweep without the ledger.
        self.reason_sent = mark_reason
        # (conn, host) -> None, or raises: the safe-host check, before every fault.
        self.check_host = check_host
        self.compute = ComputeClient(conn)
        self.fault_control = fault_control
        self.timeouts = timeouts
        self.ledger = ledger
        self.report_interval = report_interval
        self.clock = clock
        self.held: dict[str, HeldFault] = {}  # host -> the fault that must hold until start()

    def _before_fault(self, host: str):
        """Call first in every method that faults ``host``: the safe-host
        check (raises, and nothing is changed), then ``_record``."""
        if self.check_host is not None:
            self.check_host(self.conn, host)
        return self._record(host)

    def _record(self, host: str):
        """The service; before its first change since it was last put back,
        the ledger hears how it is now."""
        service = self.compute.compute_service(host)
        if not any(change.host == host for change in self.ledger.outstanding().services):
            original = {
                "forced_down": bool(service.is_forced_down),
                "status": service.status,
                "disabled_reason": service.disabled_reason,
                "state": service.state,
            }
            self.ledger.will_change_service(service.id, host, COMPUTE_BINARY, original)
        return service

    # -------------------------------------------------------- the process
    def take_down(self, host: str, fault: Fault = STOP) -> None:
        """Make ``fault`` to nova-compute on ``host``; return once its
        heartbeats have stopped."""
        self._before_fault(host)
        action = fault.name
        # Written before the call: a fault that fails half-way still gets its undo and a start.
        self.ledger.will_stop_compute(host, fault.name)
        commanded_at = self.clock.monotonic()
        self.fault_control.apply(fault, host)
        try:
            heartbeat = wait_for_heartbeats_to_stop(
                self.compute, host, report_interval=self.report_interval,
                timeout=self.timeouts.service_state, clock=self.clock,
                stopped_by=self._stopped_by(action))
        except HeartbeatResumed as resumed:  # back before the silence was long enough
            raise comeback(host, action, self.clock.monotonic() - commanded_at,
                           f"heartbeat at {resumed.heartbeat}, while the suite waited for silence") from None
        self.held[host] = HeldFault(host, action, commanded_at, heartbeat)

    def check_faults_hold(self) -> None:
        """Fail with FaultDidNotHold if a compute the suite stopped reported
        since: one service read, none while no fault is held."""
        if not self.held:
            return
        if len(self.held) == 1:
            services = [self.compute.compute_service(next(iter(self.held)))]
        else:
            services = [s for s in self.compute.compute_services() if s.host in self.held]
        now = self.clock.monotonic()
        for service in services:
            if failure := self.held[service.host].came_back(service, now):
                raise failure

    def comeback_before_restore(self) -> FaultDidNotHold | None:
        """The last check, before the restore starts what the scenario stopped."""
        try:
            self.check_faults_hold()
        except FaultDidNotHold as failure:
            return failure
        finally:
            self.held.clear()
        return None

    def forget_held_faults(self) -> None:
        """A new scenario: the restore put every compute back."""
        self.held.clear()

    def _stopped_by(self, action: str) -> str:
        if self.fault_control.name == "command":
            return f"the {action} command exited 0"
        return f"the {action} of nova-compute ({self.fault_control.name} fault control) returned"

    def start(self, host: str) -> None:
        """Start nova-compute and return once it has reported (its start-up
        resource tracker run is done by then)."""
        service = self.compute.compute_service(host)
        # The same read checks, once more, that the fault held until now.
        held = self.held.pop(host, None)
        if held and (failure := held.came_back(service, self.clock.monotonic())):
            raise failure
        last_heartbeat = service.updated_at
        if held:  # a frozen compute is thawed first: it takes no start while stopped
            self.fault_control.undo(FAULTS[held.action], host)
        self.fault_control.start_compute(host)
        wait_for_heartbeat(self.compute, host, last_heartbeat, self.timeouts.heal)
        self.ledger.compute_started(host)

    @property
    def placement_path_cut(self) -> bool:
        """Is nova-api's path to Placement cut by the suite now?"""
        return self.ledger.outstanding().placement_path_cut

    def cut_placement_path(self) -> None:
        """Cut nova-api's path to Placement; restored after the scenario."""
        self.ledger.will_cut_placement_path()
        self.fault_control.cut_placement_path()

    def restore_placement_path(self) -> None:
        self.fault_control.restore_placement_path()
        self.ledger.placement_path_restored()

    # ------------------------------------------------------ the API record
    def force_down(self, host: str) -> None:
        service = self._before_fault(host)
        self.conn.compute.update_service_forced_down(service.id, forced=True)
        self._own_change(host)

    def unforce(self, host: str) -> None:
        service = self.compute.compute_service(host)
        self.conn.compute.update_service_forced_down(service.id, forced=False)
        self._own_change(host)

    def disable(self, host: str, reason: str) -> None:
        """Disable with ``reason`` marked with the run prefix (``reason_sent``)."""
        service = self._before_fault(host)
        self.conn.compute.disable_service(service.id, disabled_reason=self.reason_sent(reason))
        self._own_change(host)

    def _own_change(self, host: str) -> None:
        """nova stamps ``updated_at`` on every change to the service record, a
        PUT as well as a heartbeat: a held fault moves on to the stamp of the
        suite's own change. Read back, not taken from nova's answer, which
        has the microseconds the database then drops."""
        if held := self.held.get(host):
            self.held[host] = replace(held, heartbeat=self.compute.compute_service(host).updated_at)
