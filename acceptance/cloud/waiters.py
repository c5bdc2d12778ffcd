"""Waits for servers and compute services, on ``acceptance.checks.polling.wait_for``.

All of them poll with ``CLOUD_POLL`` -- 0.2 s first, then 1.5 times longer
each time, never more than 2 s apart -- so a quick change is seen quickly and
a long wait does not hammer the API; but the wait for a stopped service's
silence, whose length is known, polls evenly (``SILENCE_POLL``).
"""

from __future__ import annotations

from hamcrest import any_of, empty, greater_than, has_properties, has_property, is_in
from hamcrest.core.base_matcher import BaseMatcher
from openstack import exceptions

from acceptance.checks.matchers import has_service_state
from acceptance.checks.polling import SYSTEM_CLOCK, Clock, PollPolicy, WaitTimeout, wait_for
from acceptance.cloud.compute import ComputeClient, is_soft_deleted, soft_delete_message

CLOUD_POLL = PollPolicy(first_interval=0.2, factor=1.5, max_interval=2.0)
# A silence of a known length (``quiet_period``): an even pace ends the wait
# within 0.4 s of it, where CLOUD_POLL's backoff overshot it by 1.2 s.
SILENCE_POLL = PollPolicy(first_interval=0.4, factor=1.0, max_interval=0.4)


class _Gone(BaseMatcher):
    def _matches(self, item) -> bool:
        return item is None

    def describe_to(self, description) -> None:
        description.append_text("the server to be gone (404)")

    def describe_mismatch(self, item, description) -> None:
        # The task state names a hang: "deleting" means the delete went to a
        # compute that never did it.
        task = getattr(item, "task_state", None)
        description.append_text(f"it still exists with status {item.status}"
                                + (f" and task state {task}" if task else ""))


def wait_for_server_status(compute: ComputeClient, server_id: str, statuses: tuple[str, ...], timeout: float):
    """The server once its status is one of ``statuses`` (e.g. ACTIVE or
    ERROR: a boot that failed should not be waited on until the timeout)."""
    return wait_for(
        lambda: compute.server_or_none(server_id),
        has_property("status", is_in(statuses)),
        timeout=timeout,
        what=f"server {server_id} to be {' or '.join(statuses)}",
        policy=CLOUD_POLL,
    )


class ServerSoftDeleted(AssertionError):
    """The cloud only soft-deleted the server (reclaim_instance_interval > 0)."""


def wait_for_server_gone(compute: ComputeClient, server_id: str, timeout: float) -> None:
    """Until the server is gone (404). A SOFT_DELETED server fails at once
    with what the cloud did (the restore force-deletes it afterwards)."""

    def probe():
        server = compute.server_or_none(server_id)
        if is_soft_deleted(server):
            raise ServerSoftDeleted(soft_delete_message(server))
        return server

    wait_for(
        probe,
        _Gone(),
        timeout=timeout,
        what=f"server {server_id} to be deleted",
        policy=CLOUD_POLL,
    )


def wait_for_service_state(compute: ComputeClient, host: str, timeout: float, **state):
    """The nova-compute service of ``host`` once it has ``state`` (fields
    as in ``has_service_state``: state, status, forced_down, ...)."""
    return wait_for(
        lambda: compute.compute_service(host),
        has_service_state(**state),
        timeout=timeout,
        what=f"the compute service of {host}",
        policy=CLOUD_POLL,
    )


class _ReportedSince(BaseMatcher):
    def __init__(self, previous: str | None) -> None:
        self.previous = previous

    def _matches(self, service) -> bool:
        return service.updated_at is not None and service.updated_at != self.previous

    def describe_to(self, description) -> None:
        description.append_text(f"a heartbeat after {self.previous}")

    def describe_mismatch(self, service, description) -> None:
        description.append_text(f"its last heartbeat is still {service.updated_at}")


def wait_for_heartbeat(compute: ComputeClient, host: str, previous: str | None, timeout: float, *,
                       retry_on: tuple[type[BaseException], ...] = ()):
    """The service once it reported after ``previous`` (its ``updated_at`` when
    it was stopped). Compared as values, not clocks: the cloud's clock is not
    ours. A compute's first heartbeat comes after its start-up resource
    tracker run, so the start-up work is done by then."""
    return wait_for(
        lambda: compute.compute_service(host),
        _ReportedSince(previous),
        timeout=timeout,
        what=f"the compute service of {host} to report after it was started",
        policy=CLOUD_POLL,
        retry_on=retry_on,
    )


def has_reported_since(compute: ComputeClient, host: str, previous: str | None, timeout: float) -> bool:
    """The one heartbeat check: True once the compute service of ``host``
    reported after ``previous`` (forced down or not: heartbeats go on), False
    after ``timeout``. An API hiccup counts as one more poll."""
    try:
        wait_for_heartbeat(compute, host, previous, timeout,
                           retry_on=(exceptions.SDKException, LookupError))
    except WaitTimeout:
        return False
    return True


class StillBeating(AssertionError):
    """nova-compute was told to stop but its heartbeats go on."""


def quiet_period(report_interval: float) -> float:
    """How long ``updated_at`` must stand still to count as stopped: two
    report intervals (one heartbeat may be late on a busy host) and the
    second that the database rounds ``updated_at`` to."""
    return 2 * report_interval + 1.0


class HeartbeatResumed(AssertionError):
    """Heartbeats stopped for longer than a late one explains, then came again:
    something restarted nova-compute while the suite waited for silence."""

    def __init__(self, heartbeat) -> None:
        super().__init__(f"heartbeats resumed at {heartbeat}")
        self.heartbeat = heartbeat


class _Silence:
    """Seconds, on our clock, since the service's ``updated_at`` last moved.
    Compared as values, not clocks: the cloud's clock is not ours. A move
    after a gap of ``comeback_gap`` or more is a restart (HeartbeatResumed)."""

    def __init__(self, compute: ComputeClient, host: str, clock: Clock, comeback_gap: float) -> None:
        self.compute, self.host, self.clock = compute, host, clock
        self.comeback_gap = comeback_gap
        self.last: object = object()  # no heartbeat seen yet
        self.since = 0.0
        self.seen_first = False

    def __call__(self) -> float:
        beat = self.compute.compute_service(self.host).updated_at
        now = self.clock.monotonic()
        if beat != self.last:
            if self.seen_first and now - self.since >= self.comeback_gap:
                raise HeartbeatResumed(beat)
            self.last, self.since, self.seen_first = beat, now, True
        return now - self.since


def wait_for_heartbeats_to_stop(compute: ComputeClient, host: str, *, report_interval: float,
                                timeout: float, stopped_by: str, clock: Clock = SYSTEM_CLOCK):
    """Once the compute service of ``host`` has not reported for longer than
    ``quiet_period(report_interval)``, its last heartbeat (the ``updated_at``
    that stood still: the fault holds while it stays); else raise StillBeating
    naming ``stopped_by`` (e.g. "the stop command exited 0"), or
    HeartbeatResumed if they stopped and came again. A stop that did nothing
    must not pass: forcing a live service down would hide it."""
    quiet = quiet_period(report_interval)
    # One heartbeat late (1.5 intervals) and the database's second: longer
    # than that, a new heartbeat is a restart, not the same process.
    silence = _Silence(compute, host, clock, comeback_gap=1.5 * report_interval + 1.0)
    try:
        wait_for(
            silence,
            greater_than(quiet),
            # Long enough to see a quiet period even on a short service_state timeout.
            timeout=max(timeout, 2 * quiet),
            what=f"the compute service of {host} to stop reporting",
            policy=SILENCE_POLL,
            clock=clock,
        )
    except WaitTimeout as error:
        raise StillBeating(
            f"{stopped_by} but nova-compute on {host} still sends heartbeats: its updated_at "
            f"(now {silence.last}) never stood still for {quiet:g} s in {error.waited} "
            f"(-D report_interval={report_interval:g})"
        ) from None
    return silence.last


def wait_for_server_settled_on(compute: ComputeClient, server_id: str, status: str, host: str | None,
                               timeout: float):
    """The server once it is ``status`` on ``host`` (None: on no host, as when
    offloaded) with no task under way: a move shows the new status a moment
    before its new host, and its host a moment before it is done."""
    return wait_for(
        lambda: compute.server_or_none(server_id),
        has_properties(status=status, compute_host=host, task_state=None),
        timeout=timeout,
        what=f"server {server_id} to be {status} on {host or 'no host'}",
        policy=CLOUD_POLL,
    )


# Where a shelve ends: offloaded at once (nova's default shelved_offload_time
# = 0), kept on its host (any other value), or failed.
SHELVED, SHELVED_OFFLOADED = "SHELVED", "SHELVED_OFFLOADED"


def wait_for_shelve_done(compute: ComputeClient, server_id: str, timeout: float):
    """The server once its shelve is over: SHELVED_OFFLOADED, or SHELVED
    with no task (kept), or ERROR. nova's ``_shelve_instance``
    (nova/compute/manager.py) saves SHELVED with task state
    ``shelving_offloading`` when it offloads at once, and with none only when
    it keeps the server: so a settled SHELVED is known at once, not after a
    timeout."""
    return wait_for(
        lambda: compute.server_or_none(server_id),
        any_of(has_properties(status=is_in((SHELVED, SHELVED_OFFLOADED)), task_state=None),
               has_property("status", "ERROR")),
        timeout=timeout,
        what=f"server {server_id} to be shelved",
        policy=CLOUD_POLL,
    )


def wait_for_evacuations_cleaned_up(compute: ComputeClient, host: str, timeout: float) -> None:
    """Until no evacuation off ``host`` is ``done``: its nova-compute, started
    again, has removed the evacuated servers and marked them ``completed``."""
    wait_for(
        lambda: [m.server_id for m in compute.evacuations_from(host, "done")],
        empty(),
        timeout=timeout,
        what=f"the evacuations off {host} to be completed by its nova-compute",
        policy=CLOUD_POLL,
    )
