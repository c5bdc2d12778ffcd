"""``suite-cleanup --sweep``: put back what runs of the suite left, with no ledger.

A CI container that dies takes the run dir, and the ledger with it. The
sweep finds, by what the suite marks:

- servers (of every project) and flavors named ``accept-<8 hex>-``
  (acceptance.safety.prefix): deleted. Servers without the prefix are
  never touched;
- compute services disabled with a reason the suite marked
  (``marked_reason``): enabled again -- the suite disables only a host it
  found enabled, up and not forced down;
- forced-down compute services whose nova-compute sends heartbeats:
  un-forced, as the restore would (start, heartbeat, un-force). The suite
  leaves this when a run dies after starting nova-compute and before
  un-forcing it; whether an operator had forced the host down before cannot
  be known without the ledger, so each one is listed for a person.

What it cannot know, it leaves as it is and lists for a person: a
forced-down host that sends no heartbeat (un-forcing a dead compute lets
the scheduler count on it), a nova-compute that is down (a run may have
stopped it; nothing says which), and the values it assumed.

It does not write a second undo path: what it finds goes into a throw-away
ledger, and ``acceptance.safety.restore`` puts it back, in its one order.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field

from openstack import exceptions

from acceptance.cloud.compute import COMPUTE_BINARY, ComputeClient
from acceptance.cloud.waiters import has_reported_since
from acceptance.safety.ledger import Ledger, cloud_key
from acceptance.safety.prefix import is_marked_reason, is_suite_name, new_run_prefix
from acceptance.safety.restore import restore

Log = Callable[[str], None]


class NotAdmin(RuntimeError):
    """The sweep needs to see every project's servers and the compute services."""


@dataclass
class Found:
    servers: list = field(default_factory=list)  # (name, id)
    flavors: list = field(default_factory=list)  # (name, id)
    services: list = field(default_factory=list)  # (service, original, what the sweep does)
    for_a_person: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.servers or self.flavors or self.services)

    def describe(self) -> list[str]:
        return ([f"delete server {name} ({sid})" for name, sid in self.servers]
                + [f"delete flavor {name} ({fid})" for name, fid in self.flavors]
                + [f"{what} compute service on {service.host} ({service.id})"
                   for service, _, what in self.services])


def find(conn, *, listen: float, log: Log = print) -> Found:
    """What runs of the suite left; ``listen``: seconds to wait for a
    forced-down service's heartbeat. Changes nothing."""
    compute = ComputeClient(conn)
    try:
        services = compute.compute_services()
    except exceptions.ForbiddenException:
        raise NotAdmin("suite-cleanup --sweep needs admin credentials: listing compute services was "
                       "refused (403); run it with an admin's cloud (--cloud NAME)") from None
    forced = sum(bool(s.is_forced_down) for s in services)
    if forced:
        log(f"sweep: listening up to {listen:g} s for the heartbeat of each of {forced} forced-down "
            "compute service(s)")
    found = Found(
        servers=[(s.name, s.id) for s in conn.compute.servers(all_projects=True) if is_suite_name(s.name)],
        flavors=[(f.name, f.id) for f in conn.compute.flavors(is_public=None) if is_suite_name(f.name)],
    )
    for service in sorted(services, key=lambda s: s.host):
        _sort_service(compute, service, listen, found)
    return found


def _sort_service(compute: ComputeClient, service, listen: float, found: Found) -> None:
    label = f"compute service on {service.host} ({service.id})"
    marked = service.status == "disabled" and is_marked_reason(service.disabled_reason)
    forced = bool(service.is_forced_down)
    beating = forced and has_reported_since(compute, service.host, service.updated_at, listen)
    if forced and not beating:
        found.for_a_person.append(
            f"{label} is forced down and sent no heartbeat in {listen:g} s: left as it is. Without "
            "the ledger nothing says whether the suite forced it down; if it did, start nova-compute "
            "there and sweep again; if the host is really down, leave it forced down")
    elif not forced and service.state == "down":
        found.for_a_person.append(
            f"nova-compute on {service.host} is down (not forced down): a run of the suite may have "
            "stopped it; start it there if so")
    if beating:
        found.for_a_person.append(
            f"{label} was forced down while its nova-compute runs; the sweep un-forces it, as the "
            "suite's restore would. If an operator had forced it down on purpose, force it down again")
    if not (marked or beating):
        return
    original = {
        # The suite disables only a host it found enabled.
        "status": "enabled" if marked else service.status,
        "disabled_reason": None if marked else service.disabled_reason,
        "forced_down": forced and not beating,
        "state": "up" if beating else service.state,
    }
    what = " and ".join(word for word, yes in (("un-force", beating), ("enable", marked)) if yes)
    found.services.append((service, original, what))


def put_back(conn, found: Found, *, timeout: float, listen: float, log: Log) -> list[str]:
    """Put back what ``find`` found, through the one restorer; the problems left."""
    with tempfile.TemporaryDirectory(prefix="suite-sweep-") as run_dir:
        with Ledger.open(run_dir, cloud_key(conn), new_run_prefix()) as ledger:
            for name, server_id in found.servers:
                ledger.created("server", name, server_id)
            for name, flavor_id in found.flavors:
                ledger.created("flavor", name, flavor_id)
            for service, original, _ in found.services:
                ledger.will_change_service(service.id, service.host, COMPUTE_BINARY, original)
            return restore(conn, ledger, timeout=timeout, log=log, listen=listen)
