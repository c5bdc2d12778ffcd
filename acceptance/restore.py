"""Put a cloud back the way the ledger says it was before the suite touched it.

Order matters:

1. servers first, while a faulted host is still forced down, so their
   delete is a local delete and does not wait on a dead nova-compute;
2. then flavors (nothing uses them any more);
3. then compute hosts: start a stopped nova-compute *before* un-forcing or
   enabling its service, so the scheduler never sees a dead host as up;
   then put back each service's original ``forced_down``/``status``/
   ``disabled_reason`` (a host disabled before the run stays disabled), and
   wait until it is up again when it was up before.

Every step is tried; failures come back as one line each instead of
stopping at the first. Each item is marked done in the ledger only once
the cloud confirms it, so running ``restore`` again picks up what is left.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from openstack import exceptions as sdk_exceptions

from acceptance.ledger import Ledger, Outstanding, Resource, ServiceChange

Log = Callable[[str], None]
StartCompute = Callable[[str], None]

REDELETE_EVERY = 10.0  # seconds; a delete cast to a dead compute is lost, a new one becomes a local delete
POLL_EVERY = 1.0


def restore(
    conn,
    ledger: Ledger,
    *,
    timeout: float,
    log: Log = print,
    start_compute: StartCompute | None = None,
) -> list[str]:
    """Undo everything outstanding in ``ledger``; return the problems left, one line each."""
    todo = ledger.outstanding()
    if not todo:
        return []
    log(f"restore: {len(todo.describe())} item(s) to put back")
    problems: list[str] = []
    problems += _delete_servers(conn, ledger, todo.servers, timeout, log)
    problems += _delete_flavors(conn, ledger, todo.flavors, log)
    problems += _restore_hosts(conn, ledger, todo, timeout, log, start_compute)
    log("restore: done" if not problems else f"restore: {len(problems)} problem(s) left")
    return problems


# ----------------------------------------------------------------- servers
def _delete_servers(conn, ledger: Ledger, servers: list[Resource], timeout: float, log: Log) -> list[str]:
    problems: list[str] = []
    pending: dict[str, str] = {}  # id -> name
    for server in servers:
        try:
            for server_id in _resolve(conn, ledger, server, log):
                pending[server_id] = server.name or server_id
        except sdk_exceptions.SDKException as error:
            problems.append(f"could not look for server {server.name}: {_one_line(error)}")
    if not pending:
        return problems

    deadline = time.monotonic() + timeout
    last_delete = 0.0
    while pending:
        if time.monotonic() - last_delete >= REDELETE_EVERY:
            for server_id, name in pending.items():
                try:
                    conn.compute.delete_server(server_id, ignore_missing=True)
                except sdk_exceptions.SDKException as error:
                    # e.g. 409 while it is being built; the next round retries.
                    log(f"restore: delete of server {name} ({server_id}) refused for now: {_one_line(error)}")
            last_delete = time.monotonic()
        for server_id in list(pending):
            if _server_gone(conn, server_id):
                log(f"restore: server {pending.pop(server_id)} ({server_id}) deleted")
                ledger.deleted("server", server_id)
        if pending and time.monotonic() >= deadline:
            problems += [f"server {name} ({server_id}) still exists {timeout:g} s after its delete; "
                         "delete it by hand" for server_id, name in pending.items()]
            break
        if pending:
            time.sleep(POLL_EVERY)
    return problems


def _server_gone(conn, server_id: str) -> bool:
    try:
        server = conn.compute.get_server(server_id)
    except sdk_exceptions.NotFoundException:
        return True
    except sdk_exceptions.SDKException:
        return False  # a hiccup: look again next poll
    return (server.status or "").upper() == "DELETED"


# ----------------------------------------------------------------- flavors
def _delete_flavors(conn, ledger: Ledger, flavors: list[Resource], log: Log) -> list[str]:
    problems = []
    for flavor in flavors:
        try:
            for flavor_id in _resolve(conn, ledger, flavor, log):
                conn.compute.delete_flavor(flavor_id, ignore_missing=True)
                ledger.deleted("flavor", flavor_id)
                log(f"restore: flavor {flavor.name} ({flavor_id}) deleted")
        except sdk_exceptions.SDKException as error:
            problems.append(f"could not delete flavor {flavor.name}: {_one_line(error)}")
    return problems


def _resolve(conn, ledger: Ledger, resource: Resource, log: Log) -> list[str]:
    """The ids of a ledger resource. A ``will_create`` that never got its id
    is looked up by its unique prefixed name (a retried create may have made
    more than one: all are ours); none found means it was never made."""
    if resource.resource_id is not None:
        return [resource.resource_id]
    if resource.kind == "server":
        # nova's name filter is a regex match: compare exactly here.
        found = [s.id for s in conn.compute.servers(all_projects=True, name=resource.name)
                 if s.name == resource.name]
    else:
        found = [f.id for f in conn.compute.flavors(is_public=None) if f.name == resource.name]
    if not found:
        log(f"restore: {resource.kind} {resource.name} was never created")
        ledger.not_found(resource.kind, resource.name)
    for resource_id in found:
        ledger.created(resource.kind, resource.name, resource_id)
    return found


# ------------------------------------------------------------------- hosts
def _restore_hosts(conn, ledger: Ledger, todo: Outstanding, timeout: float, log: Log,
                   start_compute: StartCompute | None) -> list[str]:
    problems: list[str] = []
    try:
        current = {s.id: s for s in conn.compute.services(binary="nova-compute")}
    except sdk_exceptions.SDKException as error:
        return [f"could not list compute services: {_one_line(error)}"]

    # Hosts whose nova-compute should run again: those the suite stopped,
    # and those of changed services that were up before and are down now.
    to_start = list(todo.stopped_computes)
    for change in todo.services:
        service = current.get(change.service_id)
        if service is not None and change.was_up and service.state != "up" and change.host not in to_start:
            to_start.append(change.host)
    for host in to_start:
        problems += _start(ledger, host, log, start_compute, was_stopped=host in todo.stopped_computes)

    for change in todo.services:
        problems += _restore_service(conn, ledger, change, current.get(change.service_id),
                                     timeout, log)
    return problems


def _start(ledger: Ledger, host: str, log: Log, start_compute: StartCompute | None,
           was_stopped: bool) -> list[str]:
    if start_compute is None:
        if was_stopped:
            return [f"nova-compute on {host} was stopped by the suite and nothing here can "
                    "start it; start it by hand (or pass -D start_compute_command=...)"]
        return []  # down for a reason that is not ours to fix; waiting for "up" will report it
    log(f"restore: starting nova-compute on {host}")
    try:
        start_compute(host)
    except Exception as error:  # noqa: BLE001 - any fault-control failure is one line
        return [f"could not start nova-compute on {host}: {_one_line(error)}"]
    ledger.compute_started(host)
    return []


def _restore_service(conn, ledger: Ledger, change: ServiceChange, service, timeout: float,
                     log: Log) -> list[str]:
    label = f"compute service on {change.host} ({change.service_id})"
    if service is None:
        # Deleted (or the host renamed) since: nothing left to put back.
        ledger.service_restored(change.service_id)
        return [f"{label} no longer exists; nothing to put back"]
    original = change.original
    attrs = _service_attrs(original)
    try:
        if (service.is_forced_down, service.status, service.disabled_reason) != (
                attrs["forced_down"], attrs["status"], attrs.get("disabled_reason", service.disabled_reason)):
            conn.compute.update_service(change.service_id, **attrs)
            log(f"restore: {label} set back to " + ", ".join(f"{k}={v}" for k, v in attrs.items()))
    except sdk_exceptions.SDKException as error:
        return [f"could not put back {label}: {_one_line(error)}"]
    if change.was_up and not attrs["forced_down"]:
        waited = _wait_up(conn, change.service_id, timeout)
        if waited is not None:
            return [f"{label} is still {waited} {timeout:g} s after it was put back; "
                    "check that nova-compute runs there"]
        log(f"restore: {label} is up")
    ledger.service_restored(change.service_id)
    return []


def _service_attrs(original: dict) -> dict:
    """The PUT body for the original values. nova refuses a
    ``disabled_reason`` with ``status=enabled``, so send it only when
    the service was disabled."""
    attrs = {"forced_down": bool(original.get("forced_down", False)),
             "status": original.get("status") or "enabled"}
    if attrs["status"] == "disabled" and original.get("disabled_reason"):
        attrs["disabled_reason"] = original["disabled_reason"]
    return attrs


def _wait_up(conn, service_id: str, timeout: float) -> str | None:
    """None once the service is up; else its last state."""
    deadline = time.monotonic() + timeout
    state = "unknown"
    while True:
        try:
            for service in conn.compute.services(binary="nova-compute"):
                if service.id == service_id:
                    state = service.state
        except sdk_exceptions.SDKException:
            pass
        if state == "up":
            return None
        if time.monotonic() >= deadline:
            return state
        time.sleep(POLL_EVERY)


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:300]
