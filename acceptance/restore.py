"""Put a cloud back the way the ledger says it was before the suite touched it.

Order matters:

1. servers first, while a faulted host is still forced down, so their
   delete is a local delete and does not wait on a dead nova-compute;
2. then flavors (nothing uses them any more);
3. then compute hosts: make sure nova-compute runs on every host whose
   service was up before (``start_compute``; a no-op when it runs), then
   per service put back the original ``status``/``disabled_reason`` (a
   host disabled before the run stays disabled) while it is still forced
   down, wait for a fresh heartbeat, and only then put back
   ``forced_down`` (after an evacuation, once the started compute has
   completed it: ``acceptance.unforce``) and wait until it is up. A
   compute that sends no heartbeat is left forced down and reported:
   un-forcing a dead compute lets the scheduler count on it.

Every step is tried; failures come back as one line each instead of
stopping at the first. Each item is marked done in the ledger only once
the cloud confirms it, so running ``restore`` again picks up what is left.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from openstack import exceptions as sdk_exceptions

from acceptance.clients.compute import ComputeClient
from acceptance.ledger import Ledger, Outstanding, Resource, ServiceChange
from acceptance.unforce import unforce
from acceptance.waiters import WaitTimeout

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
    keep_flavors: bool = False,
    restore_placement_path: Callable[[], None] | None = None,
) -> list[str]:
    """Undo everything outstanding in ``ledger``; return the problems left, one line each.

    ``keep_flavors``: leave flavors alone (between scenarios: the suite
    shares its flavors across a run and deletes them at the end).
    """
    todo = ledger.outstanding()
    if keep_flavors:
        todo = replace(todo, flavors=[])
    if not todo:
        return []
    log(f"restore: {len(todo.describe())} item(s) to put back")
    problems: list[str] = []
    if todo.placement_path_cut:
        # First: with Placement reachable again, deletes free allocations at once.
        problems += _reconnect_placement(ledger, log, restore_placement_path)
    problems += _delete_servers(conn, ledger, todo.servers, timeout, log)
    problems += _delete_flavors(conn, ledger, todo.flavors, log)
    problems += _restore_hosts(conn, ledger, todo, timeout, log, start_compute)
    log("restore: done" if not problems else f"restore: {len(problems)} problem(s) left")
    return problems


def _reconnect_placement(ledger: Ledger, log: Log, restore_placement_path) -> list[str]:
    if restore_placement_path is None:
        return ["nova-api's path to Placement was cut by the suite and nothing here can "
                "restore it; restore it by hand (embedded-cloud placement-path restore), or run "
                "suite-cleanup --restore-placement-path-command '...'"]
    try:
        restore_placement_path()
    except Exception as error:  # noqa: BLE001 - any fault-control failure is one line
        return [f"could not restore nova-api's path to Placement: {_one_line(error)}"]
    ledger.placement_path_restored()
    log("restore: nova-api's path to Placement restored")
    return []


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
    seen: dict[str, str] = {}  # id -> what the API last said about it
    while pending:
        if time.monotonic() - last_delete >= REDELETE_EVERY:
            for server_id, name in pending.items():
                try:
                    _delete_or_force(conn, server_id)
                except sdk_exceptions.SDKException as error:
                    # e.g. 409 while it is being built; the next round retries.
                    log(f"restore: delete of server {name} ({server_id}) refused for now: {_one_line(error)}")
            last_delete = time.monotonic()
        for server_id in list(pending):
            state = _server_state(conn, server_id)
            if state is None:
                log(f"restore: server {pending.pop(server_id)} ({server_id}) deleted")
                ledger.deleted("server", server_id)
            else:
                seen[server_id] = state
        if pending and time.monotonic() >= deadline:
            problems += [f"server {name} ({server_id}) is still listed {timeout:g} s after its "
                         f"delete ({seen.get(server_id, 'status unknown')}); delete it by hand"
                         for server_id, name in pending.items()]
            break
        if pending:
            time.sleep(POLL_EVERY)
    return problems


def _delete_or_force(conn, server_id: str) -> None:
    """DELETE, or a force delete of a server the cloud only soft-deleted
    (reclaim_instance_interval > 0): a second DELETE would soft-delete again."""
    compute = ComputeClient(conn)
    if not compute.force_delete_if_soft_deleted(compute.server_or_none(server_id)):
        conn.compute.delete_server(server_id, ignore_missing=True)


def _server_state(conn, server_id: str) -> str | None:
    """None once the API answers 404 -- the only proof a server is gone; a
    server still listed, even with status DELETED or SOFT_DELETED, is not."""
    try:
        server = conn.compute.get_server(server_id)
    except sdk_exceptions.NotFoundException:
        return None
    except sdk_exceptions.SDKException as error:
        return f"not readable: {_one_line(error)}"  # a hiccup: look again next poll
    task = f", task state {server.task_state}" if getattr(server, "task_state", None) else ""
    return f"status {server.status}{task}"


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
    # nova-compute must run on every host whose service was up before --
    # whatever the API says now: a compute stopped seconds ago still looks
    # up until service_down_time passes. Starting a running one is a no-op.
    to_start = list(todo.stopped_computes)
    to_start += [c.host for c in todo.services if c.was_up and c.host not in to_start]
    for host in to_start:
        problems += _start(ledger, host, log, start_compute,
                           was_stopped=host in todo.stopped_computes)
    if not todo.services:
        return problems
    try:
        current = {s.id: s for s in conn.compute.services(binary="nova-compute")}
    except sdk_exceptions.SDKException as error:
        return problems + [f"could not list compute services: {_one_line(error)}"]
    for change in todo.services:
        problems += _restore_service(conn, ledger, change, current.get(change.service_id),
                                     timeout, log)
    return problems


def _start(ledger: Ledger, host: str, log: Log, start_compute: StartCompute | None,
           was_stopped: bool) -> list[str]:
    if start_compute is None:
        if was_stopped:
            return [f"nova-compute on {host} was stopped by the suite and nothing here can "
                    "start it; start it by hand, then run python -m acceptance.cleanup"]
        return []  # waiting for a fresh heartbeat below tells whether it runs
    log(f"restore: making sure nova-compute runs on {host}")
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
    status_attrs, forced_down = _original_values(change.original)
    try:
        # Status first, while a forced-down service is still down: nova-api
        # then skips its RPC call to the compute (which blocks until
        # rpc_response_timeout when that compute is dead but looks up).
        if (service.status, service.disabled_reason) != (
                status_attrs["status"], status_attrs.get("disabled_reason", service.disabled_reason)):
            conn.compute.update_service(change.service_id, **status_attrs)
            log(f"restore: {label} status set back to {status_attrs['status']}")
    except sdk_exceptions.SDKException as error:
        return [f"could not put back {label}: {_one_line(error)}"]
    if change.was_up and not forced_down:
        # Never un-force a dead compute: the scheduler would count on it and
        # deletes would wait for it. Heartbeats go on while forced down.
        if not _heartbeat_since(conn, change.service_id, timeout):
            return [f"{label}: nova-compute sent no heartbeat in {timeout:g} s, so it is left "
                    f"forced_down={bool(service.is_forced_down)}; start nova-compute there, "
                    "then run python -m acceptance.cleanup"]
    try:
        if bool(service.is_forced_down) != forced_down:
            if forced_down:
                conn.compute.update_service(change.service_id, forced_down=True)
            else:  # after an evacuation, only once nova-compute cleaned up
                unforce(conn, change.service_id, change.host, timeout)
            log(f"restore: {label} forced_down set back to {forced_down}")
    except (sdk_exceptions.SDKException, WaitTimeout) as error:
        return [f"could not put back {label}: {_one_line(error)}"]
    if change.was_up and not forced_down:
        state = _wait_state(conn, change.service_id, "up", timeout)
        if state != "up":
            return [f"{label} is {state}, not up, {timeout:g} s after it was put back; "
                    "check nova-compute there, then run python -m acceptance.cleanup"]
        log(f"restore: {label} is up")
    ledger.service_restored(change.service_id)
    return []


def _original_values(original: dict) -> tuple[dict, bool]:
    """(status PUT body, forced_down). nova refuses a ``disabled_reason``
    with ``status=enabled``, so it goes only with ``disabled``."""
    status = {"status": original.get("status") or "enabled"}
    if status["status"] == "disabled" and original.get("disabled_reason"):
        status["disabled_reason"] = original["disabled_reason"]
    return status, bool(original.get("forced_down", False))


def _service(conn, service_id: str):
    try:
        return next((s for s in conn.compute.services(binary="nova-compute") if s.id == service_id),
                    None)
    except sdk_exceptions.SDKException:
        return None  # a hiccup: look again next poll


def _heartbeat_since(conn, service_id: str, timeout: float) -> bool:
    """True once nova-compute has reported after we started looking
    (``updated_at`` moved on): proof that it runs, forced down or not."""
    deadline = time.monotonic() + timeout
    first = _service(conn, service_id)
    while time.monotonic() < deadline:
        time.sleep(POLL_EVERY)
        now = _service(conn, service_id)
        if first is None:
            first = now
        elif now is not None and now.updated_at != first.updated_at:
            return True
    return False


def _wait_state(conn, service_id: str, wanted: str, timeout: float) -> str:
    """The service's state once it is ``wanted``, or the last one seen at the deadline."""
    deadline = time.monotonic() + timeout
    state = "unknown"
    while True:
        service = _service(conn, service_id)
        if service is not None:
            state = service.state
        if state == wanted or time.monotonic() >= deadline:
            return state
        time.sleep(POLL_EVERY)


def verify_running(conn, changes: list[ServiceChange], *, timeout: float, log: Log = print,
                   start_compute: StartCompute | None = None) -> list[str]:
    """Check that nova-compute really runs on every host in ``changes`` that
    was up before; start it where it does not.

    The ledger can say "restored" for a compute that is dying: a stop cut
    short by Ctrl-C sends SIGTERM, the following start finds the process
    still there ("already running"), and a moment later it is gone while
    its last heartbeat still counts as up.
    """
    problems = []
    for change in changes:
        if not change.was_up or change.original.get("forced_down"):
            continue
        if _heartbeat_since(conn, change.service_id, timeout):
            continue
        log(f"restore: nova-compute on {change.host} sends no heartbeat")
        if start_compute is None:
            problems.append(f"nova-compute on {change.host} sends no heartbeat and nothing here "
                            "can start it; start it by hand")
            continue
        try:
            start_compute(change.host)
        except Exception as error:  # noqa: BLE001 - any fault-control failure is one line
            problems.append(f"could not start nova-compute on {change.host}: {_one_line(error)}")
            continue
        if not _heartbeat_since(conn, change.service_id, timeout):
            problems.append(f"nova-compute on {change.host} was started but sends no heartbeat; "
                            "check its log")
        else:
            log(f"restore: nova-compute on {change.host} started again")
    return problems


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:300]
