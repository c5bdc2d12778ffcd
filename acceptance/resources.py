"""The one way the suite creates servers and flavors and changes compute services.

Everything that changes the cloud goes through here so that

- each change registers its own undo on a ``CleanupStack`` as it is made, and
- a ledger (optional; ``acceptance.ledger`` when wired) hears of every
  change, so a run that dies half-way can still be cleaned up later:

  ``ledger.will_create(kind, name)``            before a create call
  ``ledger.created(kind, name, resource_id)``   right after it
  ``ledger.deleted(kind, resource_id)``         once the resource is confirmed gone
  ``ledger.will_change_service(service_id, host, binary, original)``
                                                before the first change to a compute
                                                service (a stop, a kill or a PUT)
  ``ledger.service_restored(service_id)``       once it is back as it was

  and, when the ledger has them (``acceptance.ledger.Ledger`` does):
  ``ledger.not_found(kind, name)`` when the cloud refused a create (4xx),
  ``ledger.will_stop_compute(host)`` before nova-compute is stopped or killed,
  ``ledger.compute_started(host)`` once it has reported again.

A stop or a kill is believed only once the service's heartbeats have
stopped (``wait_for_heartbeats_to_stop``): forcing a live service down would
let a stop that did nothing pass. A start returns once a new heartbeat came.

A compute service is restored in one go, in the only order that works:
start nova-compute (if the suite stopped it) -> un-force (once evacuations
off the host are completed: ``acceptance.unforce``) -> wait until up ->
put its original status (and disabled reason) back. A service that was
disabled before the suite touched it stays disabled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openstack import exceptions

from acceptance import redaction
from acceptance.cleanups import CleanupStack
from acceptance.clients.compute import COMPUTE_BINARY, ComputeClient
from acceptance.cloud_waits import (
    wait_for_heartbeat,
    wait_for_heartbeats_to_stop,
    wait_for_server_gone,
    wait_for_service_state,
)
from acceptance.fault_control import KILL, STOP, FaultControl
from acceptance.polling import SYSTEM_CLOCK, Clock
from acceptance.prefix import new_run_prefix
from acceptance.settings import NOVA_REPORT_INTERVAL, Timeouts
from acceptance.unforce import unforce

SERVER, FLAVOR = "server", "flavor"

__all__ = ["Creations", "ServiceChanges", "TouchedService", "new_run_prefix"]


def tell(ledger, event: str, *args) -> None:
    """Call ``ledger.<event>(*args)``; no ledger, or a ledger without that
    (optional) event, hears nothing."""
    if ledger is None:
        return
    method = getattr(ledger, event, None)
    if method is not None:
        method(*args)


def _create(ledger, kind: str, name: str, create):
    tell(ledger, "will_create", kind, name)
    try:
        made = create()
    except exceptions.HttpException as error:
        # Only a 4xx means the cloud refused it, so nothing exists to look
        # for. After a timeout or a 5xx the resource may exist after all.
        if error.status_code is not None and 400 <= error.status_code < 500:
            tell(ledger, "not_found", kind, name)
        raise
    tell(ledger, "created", kind, name, made.id)
    return made


class Creations:
    """Servers and flavors, named with the run prefix, each with its undo."""

    def __init__(self, conn, prefix: str, timeouts: Timeouts, ledger=None) -> None:
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
    def create_flavor(self, label: str, *, vcpus: int, ram: int, disk: int, cleanups: CleanupStack):
        name = self.name(label)
        flavor = _create(
            self.ledger,
            FLAVOR,
            name,
            lambda: self.conn.compute.create_flavor(
                name=name, vcpus=vcpus, ram=ram, disk=disk, ephemeral=0, swap=0, is_public=True
            ),
        )
        cleanups.push(f"delete flavor {name}", lambda: self.delete_flavor(flavor.id))
        return flavor

    def delete_flavor(self, flavor_id: str) -> None:
        self.conn.compute.delete_flavor(flavor_id, ignore_missing=True)
        try:
            self.conn.compute.get_flavor(flavor_id)
        except exceptions.NotFoundException:
            tell(self.ledger, "deleted", FLAVOR, flavor_id)
            return
        raise RuntimeError(f"flavor {flavor_id} still exists after its delete")

    # ------------------------------------------------------------ servers
    def boot_server(
        self, label: str, *, flavor, image_id: str, cleanups: CleanupStack, host: str | None = None
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
        cleanups.push(f"delete server {name}", lambda: self.ensure_server_deleted(server.id))
        return server

    def delete_server(self, server_id: str) -> None:
        """DELETE /servers/{id}; returns once nova accepted it."""
        self.conn.compute.delete_server(server_id, ignore_missing=False)

    def wait_until_server_gone(self, server_id: str, timeout: float | None = None, *,
                               force_soft_deleted: bool = False) -> None:
        """Fails at once on a SOFT_DELETED server, unless ``force_soft_deleted``
        (cleanups), which force-deletes it."""
        wait_for_server_gone(
            self.compute, server_id, self.timeouts.server_deleted if timeout is None else timeout,
            force_soft_deleted=force_soft_deleted,
        )
        self._confirm_gone(server_id)

    def ensure_server_deleted(self, server_id: str) -> None:
        """The cleanup: delete the server unless it is already known gone; a
        soft delete is finished with a force delete."""
        if server_id in self._confirmed_gone:
            return
        self.conn.compute.delete_server(server_id, ignore_missing=True)
        self.wait_until_server_gone(server_id, force_soft_deleted=True)

    def _confirm_gone(self, server_id: str) -> None:
        if server_id in self._confirmed_gone:
            return
        self._confirmed_gone.add(server_id)
        tell(self.ledger, "deleted", SERVER, server_id)


@dataclass
class TouchedService:
    """A compute service the suite changed, and how it was before."""

    service_id: str
    host: str
    original: dict  # {"forced_down": bool, "status": str, "disabled_reason": str | None}
    was_up: bool
    stopped_by_suite: bool = False
    changes: list[str] = field(default_factory=list)


class ServiceChanges:
    """Stops, kills, starts, forces down and disables compute services, and
    puts each back as it was."""

    def __init__(self, conn, fault_control: FaultControl, timeouts: Timeouts, ledger=None, *,
                 report_interval: float = NOVA_REPORT_INTERVAL, clock: Clock = SYSTEM_CLOCK) -> None:
        self.conn = conn
        self.compute = ComputeClient(conn)
        self.fault_control = fault_control
        self.timeouts = timeouts
        self.ledger = ledger
        self.report_interval = report_interval
        self.clock = clock
        self._touched: dict[str, TouchedService] = {}

    def touched(self, host: str) -> TouchedService | None:
        return self._touched.get(host)

    def _touch(self, host: str, cleanups: CleanupStack) -> TouchedService:
        """Remember how the service is before its first change, tell the
        ledger, and register its restore."""
        if host in self._touched:
            return self._touched[host]
        service = self.compute.compute_service(host)
        original = {
            "forced_down": bool(service.is_forced_down),
            "status": service.status,
            "disabled_reason": service.disabled_reason,
        }
        tell(self.ledger, "will_change_service", service.id, host, COMPUTE_BINARY, original)
        touched = TouchedService(service.id, host, original, was_up=service.state == "up")
        self._touched[host] = touched
        cleanups.push(f"restore the compute service of {host}", lambda: self.restore(host))
        return touched

    # -------------------------------------------------------- the process
    def stop(self, host: str, cleanups: CleanupStack, *, kill: bool = False) -> None:
        touched = self._touch(host, cleanups)
        # Marked before the call: a stop that fails half-way still gets a start.
        touched.stopped_by_suite = True
        touched.changes.append("killed" if kill else "stopped")
        tell(self.ledger, "will_stop_compute", host)
        if kill:
            self.fault_control.kill_compute(host)
        else:
            self.fault_control.stop_compute(host)
        # On failure the restore registered by _touch starts it again.
        wait_for_heartbeats_to_stop(
            self.compute, host, report_interval=self.report_interval,
            timeout=self.timeouts.service_state, clock=self.clock,
            stopped_by=self._stopped_by(KILL if kill else STOP))

    def _stopped_by(self, action: str) -> str:
        if self.fault_control.name == "command":
            return f"the {action} command exited 0"
        return f"the {action} of nova-compute ({self.fault_control.name} fault control) returned"

    def start(self, host: str) -> None:
        """Start nova-compute and return once it has reported (its start-up
        resource tracker run is done by then)."""
        last_heartbeat = self.compute.compute_service(host).updated_at
        self.fault_control.start_compute(host)
        wait_for_heartbeat(self.compute, host, last_heartbeat, self.timeouts.heal)
        tell(self.ledger, "compute_started", host)
        touched = self._touched.get(host)
        if touched is not None:
            touched.stopped_by_suite = False

    def cut_placement_path(self, cleanups: CleanupStack) -> None:
        """Cut nova-api's path to Placement; restored by the scenario's cleanups."""
        cleanups.push("restore nova-api's path to Placement", self.restore_placement_path)
        tell(self.ledger, "will_cut_placement_path")
        self.fault_control.cut_placement_path()

    def restore_placement_path(self) -> None:
        self.fault_control.restore_placement_path()
        tell(self.ledger, "placement_path_restored")

    # ------------------------------------------------------ the API record
    def force_down(self, host: str, cleanups: CleanupStack) -> None:
        touched = self._touch(host, cleanups)
        touched.changes.append("forced down")
        self.conn.compute.update_service_forced_down(touched.service_id, forced=True)

    def unforce(self, host: str) -> None:
        service = self.compute.compute_service(host)
        self.conn.compute.update_service_forced_down(service.id, forced=False)

    def disable(self, host: str, reason: str, cleanups: CleanupStack) -> None:
        touched = self._touch(host, cleanups)
        touched.changes.append("disabled")
        self.conn.compute.disable_service(touched.service_id, disabled_reason=reason)

    def enable(self, host: str) -> None:
        service = self.compute.compute_service(host)
        self.conn.compute.enable_service(service.id)

    # ------------------------------------------------------------ restore
    def restore(self, host: str) -> None:
        # Forgotten first: one attempt per change, so a failed restore is
        # reported once and the next scenario records the service afresh.
        touched = self._touched.pop(host, None)
        if touched is None:
            return
        if touched.stopped_by_suite:
            self.start(host)
        service = self.compute.compute_service(host)
        if bool(service.is_forced_down) != touched.original["forced_down"]:
            if touched.original["forced_down"]:
                self.conn.compute.update_service_forced_down(touched.service_id, forced=True)
            else:  # after an evacuation, only once nova-compute cleaned up
                unforce(self.conn, touched.service_id, host, self.timeouts.service_state)
        if touched.was_up and not touched.original["forced_down"]:
            wait_for_service_state(self.compute, host, self.timeouts.service_state, state="up")
        self._restore_status(touched, service)
        tell(self.ledger, "service_restored", touched.service_id)

    def _restore_status(self, touched: TouchedService, service) -> None:
        status, reason = touched.original["status"], touched.original["disabled_reason"]
        if service.status == status and (status == "enabled" or service.disabled_reason == reason):
            return
        if status == "enabled":
            self.conn.compute.enable_service(touched.service_id)
        else:
            self.conn.compute.disable_service(touched.service_id, disabled_reason=reason)
