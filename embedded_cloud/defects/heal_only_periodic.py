"""heal-only-periodic (nova-compute): the start-up heal is gone, the periodic one stays.

Changes: nova.scheduler.client.report.SchedulerReportClient.delete_allocation_for_instance
becomes a no-op while nova.compute.resource_tracker.ResourceTracker.
_remove_deleted_instances_allocations runs inside
ResourceTracker._update_available_resource(..., startup=True) (reached from
ComputeManager.update_available_resource(startup=True), the call
pre_start_hook makes), and only then. The periodic
update_available_resource (startup=False) still removes them.

Why that is the bug: nova promises that a compute frees, when it starts, the
allocations a local delete left behind (nova's start-up heal runs before the
service joins the service group, i.e. before its first heartbeat). With the
defect they stay until the periodic task runs: a minute on a default cloud,
an hour on the embedded one (update_resources_interval 3600). Users see them
in their usages meanwhile, and a full host refuses boots. A check that polls
for a minute cannot tell the two apart; one read at the first heartbeat can.
"""
from __future__ import annotations

import threading

from .patching import Scope, announce, wrap
from .record import Defect

DEFECT = Defect(
    name="heal-only-periodic",
    service="nova-compute",
    breaks=(
        'only the start-up heal is gone (`update_available_resource(startup=True)`, run '
        'by `pre_start_hook` before the first heartbeat); the periodic one still frees '
        'them, an hour later here'),
    catches={
        'Allocations left behind by a local delete are freed when nova-compute starts again':
            'the allocations were still there when the compute reported up',
    },
)


def inject() -> None:
    from nova.compute import resource_tracker
    from nova.scheduler.client import report

    # Per thread: nova runs each node's update on a pool thread, and the
    # periodic run may share none of its threads with the start-up run.
    starting = threading.local()

    def make_update(original):
        def _update_available_resource(self, context, resources, startup=False):
            starting.active = bool(startup)
            try:
                return original(self, context, resources, startup=startup)
            finally:
                starting.active = False
        return _update_available_resource

    wrap(resource_tracker.ResourceTracker, "_update_available_resource", make_update)
    healing = Scope()
    healing.around(resource_tracker.ResourceTracker, "_remove_deleted_instances_allocations")

    def make(original):
        def delete_allocation_for_instance(self, context, uuid, *args, **kwargs):
            if healing.active and getattr(starting, "active", False):
                return False
            return original(self, context, uuid, *args, **kwargs)
        return delete_allocation_for_instance

    wrap(report.SchedulerReportClient, "delete_allocation_for_instance", make)
    announce(DEFECT.name, "nova-compute no longer heals at start-up; only its periodic task does")
