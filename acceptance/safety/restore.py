"""Put a cloud back the way the ledger says it was before the suite touched it.

Order matters:

1. nova-api's path to Placement, when the suite cut it: with it back,
   deletes free allocations at once;
2. compute hosts, each through ``put_back_service`` (undo each fault the
   ledger names, last first -- a frozen compute is thawed before the start --,
   then start -> heartbeat -> un-force -> up -> status), so the servers' deletes go through a running
   nova-compute, as an ordinary delete -- a nova that sends deletes to a
   forced-down host anyway would otherwise leave them hanging. A compute
   that sends no heartbeat is left forced down and reported (un-forcing a
   dead compute lets the scheduler count on it): the deletes of its servers
   are then local deletes, which need no nova-compute;
3. servers;
4. flavors (nothing uses them any more).

Every step is tried; failures come back as one line each instead of
stopping at the first. Each item is marked done in the ledger only once
the cloud confirms it, so running ``restore`` again picks up what is left.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import replace

from hamcrest import empty
from openstack import exceptions as sdk_exceptions

from acceptance.checks.polling import WaitTimeout, wait_for
from acceptance.faults import Fault
from acceptance.cloud.compute import ComputeClient
from acceptance.cloud.waiters import (CLOUD_POLL, has_reported_since, quiet_period,
                                      wait_for_service_state)
from acceptance.safety.ledger import Ledger, Outstanding, Resource, ServiceChange
from acceptance.safety.unforce import unforce
from acceptance.settings import NOVA_REPORT_INTERVAL

Log = Callable[[str], None]
StartCompute = Callable[[str], None]
UndoFault = Callable[[Fault, str], None]  # (fault, host): its undo command (a thaw)

REDELETE_EVERY = 10.0  # seconds; a delete cast to a dead compute is lost, a new one becomes a local delete


def restore(
    conn,
    ledger: Ledger,
    *,
    timeout: float,
    log: Log = print,
    start_compute: StartCompute | None = None,
    undo_fault: UndoFault | None = None,
    keep_flavors: bool = False,
    restore_placement_path: Callable[[], None] | None = None,
    listen: float = quiet_period(NOVA_REPORT_INTERVAL),
) -> list[str]:
    """Undo everything outstanding in ``ledger``; return the problems left, one line each.

    ``listen``: how long a compute that was up may stay silent before it is
    taken for stopped and started (two heartbeats and a second).

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
    problems += _restore_hosts(conn, ledger, todo, timeout, listen, log, start_compute, undo_fault)
    problems += _delete_servers(conn, ledger, todo.servers, timeout, log)
    problems += _delete_flavors(conn, ledger, todo.flavors, log)
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

    last_delete = [float("-inf")]
    seen: dict[str, str] = {}  # id -> what the API last said about it

    def one_round() -> dict[str, str]:
        if time.monotonic() - last_delete[0] >= REDELETE_EVERY:
            for server_id, name in pending.items():
                try:
                    _delete_or_force(conn, server_id)
                except sdk_exceptions.SDKException as error:
                    # e.g. 409 while it is being built; the next round retries.
                    log(f"restore: delete of server {name} ({server_id}) refused for now: {_one_line(error)}")
            last_delete[0] = time.monotonic()
        for server_id in list(pending):
            state = _server_state(conn, server_id)
            if state is None:
                log(f"restore: server {pending.pop(server_id)} ({server_id}) deleted")
                ledger.deleted("server", server_id)
            else:
                seen[server_id] = state
        return pending

    try:
        wait_for(one_round, empty(), timeout=timeout, what="the suite's servers to be deleted",
                 # A delete on a live compute is done in well under a second: an
                 # even 1 s poll added most of a second to every scenario's restore.
                 policy=CLOUD_POLL)
    except WaitTimeout:
        problems += [f"server {name} ({server_id}) is still listed {timeout:g} s after its "
                     f"delete ({seen.get(server_id, 'status unknown')}); delete it by hand"
                     for server_id, name in pending.items()]
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


class CleanupError(AssertionError):
    """What could not be put back after a scenario or the run; behave
    reports the hook as failed with these lines."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - restore from the ledger: AssertionError: {problem}" for problem in problems)
        count = f"{len(problems)} cleanup{'s' if len(problems) != 1 else ''}"
        super().__init__(f"{count} failed; the cloud may not be as the suite found it:\n{lines}")


# ------------------------------------------------------------------- hosts
class NotPutBack(RuntimeError):
    """A compute service could not be put back; the message is one line
    with what to do."""


def put_back_service(conn, change: ServiceChange, *, start: bool, start_compute: StartCompute | None,
                     timeout: float, listen: float, ledger, log: Log = print,
                     undo: list[Fault] = (), undo_fault: UndoFault | None = None) -> None:
    """Put one compute service back as ``change.original`` says, in the one
    order that works -- written only here:

    1. start nova-compute, after undoing ``undo`` (the faults the ledger
       names, last first: a frozen one is thawed): when the ledger says the
       suite stopped it (``start``), or when a service that was up sends no heartbeat for
       ``listen`` seconds (a run killed half-way through a stop);
    2. wait for its heartbeat: never un-force a dead compute -- the
       scheduler would count on it and deletes would wait for it;
    3. un-force (after an evacuation nova refuses it until the started
       compute has cleaned up: ``acceptance.safety.unforce``), then wait until up;
    4. status and disabled reason last, with the compute alive to answer
       nova-api. A service disabled before the suite touched it stays disabled.

    Raises ``NotPutBack`` (or the cloud's error); the ledger hears
    ``service_restored`` only once all of it is done.
    """
    compute = ComputeClient(conn)
    label = f"compute service on {change.host} ({change.service_id})"
    status_attrs, forced_down = _original_values(change.original)
    must_run = change.was_up and not forced_down
    service = compute.compute_service(change.host)
    alive = False
    if must_run and not start and start_compute is not None:
        alive = has_reported_since(compute, change.host, service.updated_at, listen)
        start = not alive
    if start:
        if start_compute is None:
            raise NotPutBack(f"nova-compute on {change.host} was stopped by the suite and nothing "
                             "here can start it; start it by hand, then run suite-cleanup")
        previous = compute.compute_service(change.host).updated_at
        log(f"restore: making sure nova-compute runs on {change.host}")
        _undo_then_start(change.host, undo, undo_fault, start_compute, log)
        alive = has_reported_since(compute, change.host, previous, timeout)
        if alive:
            tell(ledger, "compute_started", change.host)
        service = compute.compute_service(change.host)
    if bool(service.is_forced_down) != forced_down:
        if forced_down:
            conn.compute.update_service_forced_down(change.service_id, forced=True)
        else:
            if must_run and not alive and (start or not has_reported_since(
                    compute, change.host, service.updated_at, timeout)):
                raise NotPutBack(
                    f"{label}: nova-compute sent no heartbeat in {timeout:g} s, so it is left "
                    f"forced_down={bool(service.is_forced_down)}; start nova-compute there, "
                    "then run suite-cleanup")
            unforce(conn, change.service_id, change.host, timeout)
        log(f"restore: {label} forced_down set back to {forced_down}")
    if must_run:
        try:
            wait_for_service_state(compute, change.host, timeout, state="up")
        except WaitTimeout as error:
            state = getattr(error.last_value, "state", "unknown")
            raise NotPutBack(f"{label} is {state}, not up, {timeout:g} s after it was put back; "
                             "check nova-compute there, then run suite-cleanup") from None
        log(f"restore: {label} is up")
    if (service.status, service.disabled_reason) != (
            status_attrs["status"], status_attrs.get("disabled_reason", service.disabled_reason)):
        conn.compute.update_service(change.service_id, **status_attrs)
        log(f"restore: {label} status set back to {status_attrs['status']}")
    tell(ledger, "service_restored", change.service_id)


def tell(ledger, event: str, *args) -> None:
    """Call ``ledger.<event>(*args)``; no ledger, or a ledger without that
    (optional) event, hears nothing."""
    method = getattr(ledger, event, None) if ledger is not None else None
    if method is not None:
        method(*args)


def _undo_then_start(host: str, undo, undo_fault: UndoFault | None, start_compute: StartCompute,
                     log: Log) -> None:
    """Each fault's undo, last first (a frozen nova-compute takes no start:
    it is still running), then the start."""
    for fault in reversed(list(undo)):
        if fault.undo is None:
            continue
        if undo_fault is None:
            raise NotPutBack(f"nova-compute on {host} was {fault.done} by the suite and nothing here "
                             f"can undo it (-D {fault.undo.key}); do it by hand, then run "
                             "python -m acceptance.cleanup")
        log(f"restore: {fault.undo.verb} nova-compute on {host} first (it was {fault.done})")
        undo_fault(fault, host)
    start_compute(host)


def _restore_hosts(conn, ledger: Ledger, todo: Outstanding, timeout: float, listen: float, log: Log,
                   start_compute: StartCompute | None, undo_fault: UndoFault | None = None) -> list[str]:
    problems: list[str] = []
    if not (todo.services or todo.stopped_computes):
        return problems
    try:
        current = {s.id for s in conn.compute.services(binary="nova-compute")}
    except sdk_exceptions.SDKException as error:
        return [f"could not list compute services: {_one_line(error)}"]
    changed = {change.host for change in todo.services}
    for host in todo.stopped_computes:
        if host not in changed:  # stopped, with no API change recorded: only start it
            problems += _start_only(ledger, host, log, start_compute, todo.faults_of(host), undo_fault)
    for change in todo.services:
        label = f"compute service on {change.host} ({change.service_id})"
        if change.service_id not in current:
            # Deleted (or the host renamed) since: nothing left to put back.
            ledger.service_restored(change.service_id)
            problems.append(f"{label} no longer exists; nothing to put back")
            continue
        try:
            put_back_service(conn, change, start=change.host in todo.stopped_computes,
                             start_compute=start_compute, timeout=timeout, listen=listen,
                             ledger=ledger, log=log, undo=todo.faults_of(change.host),
                             undo_fault=undo_fault)
        except NotPutBack as problem:
            problems.append(str(problem))
        except Exception as error:  # noqa: BLE001 - every service gets its turn, one line each
            problems.append(f"could not put back {label}: {_one_line(error)}")
    return problems


def _start_only(ledger: Ledger, host: str, log: Log, start_compute: StartCompute | None,
                undo: list[Fault] = (), undo_fault: UndoFault | None = None) -> list[str]:
    if start_compute is None:
        return [f"nova-compute on {host} was stopped by the suite and nothing here can "
                "start it; start it by hand, then run suite-cleanup"]
    log(f"restore: making sure nova-compute runs on {host}")
    try:
        _undo_then_start(host, undo, undo_fault, start_compute, log)
    except Exception as error:  # noqa: BLE001 - any fault-control failure is one line
        return [f"could not start nova-compute on {host}: {_one_line(error)}"]
    ledger.compute_started(host)
    return []


def _original_values(original: dict) -> tuple[dict, bool]:
    """(status PUT body, forced_down). nova refuses a ``disabled_reason``
    with ``status=enabled``, so it goes only with ``disabled``."""
    status = {"status": original.get("status") or "enabled"}
    if status["status"] == "disabled" and original.get("disabled_reason"):
        status["disabled_reason"] = original["disabled_reason"]
    return status, bool(original.get("forced_down", False))


def verify_running(conn, changes: list[ServiceChange], *, timeout: float, log: Log = print,
                   start_compute: StartCompute | None = None) -> list[str]:
    """Check that nova-compute really runs on every host in ``changes`` that
    was up before; start it where it does not.

    The ledger can say "restored" for a compute that is dying: a stop cut
    short by Ctrl-C sends SIGTERM, the following start finds the process
    still there ("already running"), and a moment later it is gone while
    its last heartbeat still counts as up.
    """
    compute = ComputeClient(conn)
    problems = []
    for change in changes:
        if not change.was_up or change.original.get("forced_down"):
            continue
        if has_reported_since(compute, change.host, _last_beat(compute, change.host), timeout):
            continue
        log(f"restore: nova-compute on {change.host} sends no heartbeat")
        if start_compute is None:
            problems.append(f"nova-compute on {change.host} sends no heartbeat and nothing here "
                            "can start it; start it by hand")
            continue
        previous = _last_beat(compute, change.host)
        try:
            start_compute(change.host)
        except Exception as error:  # noqa: BLE001 - any fault-control failure is one line
            problems.append(f"could not start nova-compute on {change.host}: {_one_line(error)}")
            continue
        if not has_reported_since(compute, change.host, previous, timeout):
            problems.append(f"nova-compute on {change.host} was started but sends no heartbeat; "
                            "check its log")
        else:
            log(f"restore: nova-compute on {change.host} started again")
    return problems


def _last_beat(compute: ComputeClient, host: str):
    try:
        return compute.compute_service(host).updated_at
    except (sdk_exceptions.SDKException, LookupError):
        return None  # a hiccup: any heartbeat seen later counts


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:300]


# ------------------------------------------------ replay after a killed run
class RecoveryError(RuntimeError):
    """An earlier run's changes could not all be put back; one line."""


def recover_earlier_run(conn, ledger: Ledger, *, timeout: float, log: Log = print,
                        shield: Callable | None = None, **how) -> bool:
    """Restore what ``ledger`` still holds (``how``: ``restore``'s fault
    callbacks and ``listen``); True when there was something.

    Raises ``RecoveryError`` when something could not be put back: running
    scenarios on a cloud in an unknown state would give meaningless results.
    """
    todo = ledger.outstanding()
    if not todo:
        return False
    log(f"recover: an earlier run against this cloud left changes in {ledger.path}; "
        "putting them back first:")
    for line in todo.describe():
        log(f"recover:   {line}")
    with (shield() if shield is not None else contextlib.nullcontext()):
        problems = restore(conn, ledger, timeout=timeout, log=log, **how)
    if problems:
        raise RecoveryError(
            f"could not put back what an earlier run changed ({'; '.join(problems)}); "
            f"fix it by hand, then run suite-cleanup (ledger {ledger.path})"
        )
    log("recover: the cloud is back as it was before the earlier run")
    return True
