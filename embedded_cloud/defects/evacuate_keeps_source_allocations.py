"""evacuate-keeps-source-allocations (nova-compute): a restarted source host forgets the
allocations of the servers evacuated off it.

Changes: nova.scheduler.client.report.SchedulerReportClient.
remove_provider_tree_from_instance_allocation does nothing (and answers "done")
while nova.compute.manager.ComputeManager._destroy_evacuated_instances runs
(and only then).

Why that is the bug: while a server is evacuated off a dead host, its
consumer holds its flavor on both hosts; the source's share can only be
removed by the source's own nova-compute when it starts again:
_destroy_evacuated_instances destroys the leftover guest, removes the
consumer's allocations on this host's provider tree, and marks the migration
`completed`. With the defect the migration still goes `completed` (so the
source can be un-forced and nothing looks wrong in nova) but the source's
provider keeps the flavor for good: the resource tracker's periodic task only
warns about allocations of instances it does not manage, it never removes them.

nova's own functional test of the same: nova.tests.functional.test_servers.Serv
erMovingTests.test_evacuate_clean_hypervisor (and its siblings).
"""
from __future__ import annotations

from .patching import Scope, announce, wrap
from .record import Defect

DEFECT = Defect(
    name="evacuate-keeps-source-allocations",
    service="nova-compute",
    breaks=(
        "a restarted source host's `_destroy_evacuated_instances` no longer removes the "
        "evacuated servers' allocations on its provider (the migration still goes "
        '`completed`)'),
    catches={
        "The source host, started again, removes the evacuated server's allocations there":
            'allocations of server "evacuee"',
        'The source host is un-forced only after it has started and cleaned up':
            'usages of the target host',
    },
)


def inject() -> None:
    from nova.compute import manager
    from nova.scheduler.client import report

    destroying = Scope()
    destroying.around(manager.ComputeManager, "_destroy_evacuated_instances")

    def make(original):
        def remove_provider_tree_from_instance_allocation(self, context, consumer_uuid, root_rp_uuid):
            if destroying.active:
                return True  # what nova returns once it removed them
            return original(self, context, consumer_uuid, root_rp_uuid)
        return remove_provider_tree_from_instance_allocation

    wrap(report.SchedulerReportClient, "remove_provider_tree_from_instance_allocation", make)
    announce(DEFECT.name, "a restarted source no longer removes the allocations of servers evacuated off it")
