"""Guests a real hypervisor may still run after the suite deleted their servers locally.

A server deleted while its host's nova-compute is down (stopped, killed or
forced down) is deleted by nova-api alone: the database says deleted, but
the guest, on a real hypervisor, keeps running. Only that host's
nova-compute, running again, reaps it, in its periodic task
``_cleanup_running_deleted_instances`` (nova/compute/manager.py:
``run_immediately=True``, spacing ``running_deleted_instance_poll_interval``).
The suite cannot see hypervisors, so it says which hosts may still run such
guests, and for how long by nova's defaults (openstack/nova):

- ``running_deleted_instance_action = reap`` and
  ``running_deleted_instance_poll_interval = 1800`` s
  (nova/conf/compute.py; ``running_deleted_instance_timeout = 0`` there too);
- ``periodic_fuzzy_delay = 60`` s, the random delay before a started
  service's first periodic pass (nova/conf/service.py).
"""

from __future__ import annotations

POLL_INTERVAL = 1800  # running_deleted_instance_poll_interval, nova/conf/compute.py
ACTION = "reap"  # running_deleted_instance_action, nova/conf/compute.py
FUZZY_DELAY = 60  # periodic_fuzzy_delay, nova/conf/service.py

HOW_LONG = (
    f"until nova-compute runs there again; nova then reaps such guests "
    f"(running_deleted_instance_action={ACTION}) at its first periodic pass, within "
    f"periodic_fuzzy_delay={FUZZY_DELAY} s of its start, and every "
    f"running_deleted_instance_poll_interval={POLL_INTERVAL} s after that (nova's defaults; "
    "a cloud may set others)"
)
FAKE_DRIVER = "on the embedded cloud nova's fake driver runs no guests, so none is left there"


def host_is_down(service) -> bool:
    """nova-api deletes a server locally when its host's service is down
    (forced down counts as down)."""
    return bool(service.is_forced_down) or service.state == "down"


def note(host: str, server: str, *, embedded: bool) -> str:
    """For the scenario (step output, suite.log, HTML report)."""
    return (f"note: host {host} may still run the guest of server {server}, deleted while its "
            f"nova-compute was down: {HOW_LONG}" + (f"; {FAKE_DRIVER}" if embedded else ""))


def summary(deleted: dict[str, list[str]], *, embedded: bool) -> list[str]:
    """For the run's summary: one line per host, or none."""
    lines = [f"leftover guests: host {host} may still run the guests of {len(servers)} server(s) "
             f"the suite deleted while its nova-compute was down ({', '.join(servers)}): {HOW_LONG}"
             for host, servers in sorted(deleted.items())]
    if lines and embedded:
        lines.append(f"leftover guests: {FAKE_DRIVER}")
    return lines
