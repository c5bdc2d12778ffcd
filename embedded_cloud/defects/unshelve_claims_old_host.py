"""unshelve-claims-old-host (nova-compute): unshelving claims the flavor on the host the
server was shelved from, not on the host it is unshelved onto.

Changes: nova.compute.manager.ComputeManager._unshelve_instance first moves
the consumer's allocations (the scheduler's claim on this host) to the
provider of the host named in the server's `system_metadata['shelved_host']`,
then goes on as nova does.

Why that is the bug: an offloaded server holds nothing; unshelving schedules
it afresh and the claim must be on the chosen host. Trusting the host it was
shelved from -- stale state, here of a host that is down -- leaves the new
host running a guest Placement does not count there (it can be overcommitted)
and charges a dead host for a server it no longer runs. nova itself stays
happy: the server goes ACTIVE on the new host.

nova's own functional test of the same: nova.tests.functional.test_servers.Serv
erMovingTests.test_shelve_offload_unshelve_diff_host.
"""
from __future__ import annotations

from .patching import announce, wrap
from .record import Defect

DEFECT = Defect(
    name="unshelve-claims-old-host",
    service="nova-compute",
    breaks=(
        "`_unshelve_instance` moves the unshelved server's claim to the provider of the "
        "host it was shelved from (`system_metadata['shelved_host']`)"),
    catches={
        'Unshelving onto the other host while the original host is down claims exactly the flavor there':
            'allocations of server "shelved"',
    },
)


def _claim_on(reportclient, context, instance, host: str) -> None:
    """Put the consumer's allocations, summed, on ``host``'s provider instead."""
    from nova import objects

    node = objects.ComputeNode.get_first_node_by_host_for_old_compat(context, host)
    current = reportclient.get_allocs_for_consumer(context, instance.uuid)
    resources: dict[str, int] = {}
    for allocation in current["allocations"].values():
        for rc, amount in allocation["resources"].items():
            resources[rc] = resources.get(rc, 0) + amount
    reportclient.put_allocations(context, instance.uuid, {
        "allocations": {node.uuid: {"resources": resources}},
        "consumer_generation": current["consumer_generation"],
        "project_id": instance.project_id,
        "user_id": instance.user_id,
    })


def inject() -> None:
    from nova.compute import manager

    def make(original):
        def _unshelve_instance(self, context, instance, *args, **kwargs):
            old_host = instance.system_metadata.get("shelved_host")
            if old_host and old_host != self.host:
                _claim_on(self.reportclient, context, instance, old_host)
            return original(self, context, instance, *args, **kwargs)
        return _unshelve_instance

    wrap(manager.ComputeManager, "_unshelve_instance", make)
    announce(DEFECT.name, "unshelve claims on the host the server was shelved from")
