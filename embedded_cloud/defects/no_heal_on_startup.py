"""no-heal-on-startup (nova-compute): the resource tracker leaves a deleted instance's allocations.

Changes: nova.scheduler.client.report.SchedulerReportClient.delete_allocation_for_instance
becomes a no-op while nova.compute.resource_tracker.ResourceTracker.
_remove_deleted_instances_allocations runs (and only then).

Why that is the bug: _remove_deleted_instances_allocations is the "heal": run by
update_available_resource(startup=True) when nova-compute starts, it deletes
the allocations on its provider whose consumer is a deleted instance, e.g. one
deleted locally by nova-api while this compute was down and Placement was out
of nova-api's reach. Its other branches only log, so silencing that one call
removes the heal and nothing else. The periodic update_available_resource runs
the same method (60-120 s after start-up here); it is silenced too, else it
would heal within the suite's `heal` timeout and hide the defect.

nova's own test: test_local_delete_removes_allocations_after_compute_restart.
"""
from __future__ import annotations

from .patching import Scope, announce, wrap
from .record import Defect

DEFECT = Defect(
    name="no-heal-on-startup",
    service="nova-compute",
    breaks=(
        'the resource tracker no longer removes allocations of deleted instances '
        '(`_remove_deleted_instances_allocations`), neither at start-up nor periodically'),
    catches={
        'Allocations left behind by a local delete are freed when nova-compute starts again':
            'the allocations were still there when the compute reported up',
    },
)


def inject() -> None:
    from nova.compute import resource_tracker
    from nova.scheduler.client import report

    healing = Scope()
    healing.around(resource_tracker.ResourceTracker, "_remove_deleted_instances_allocations")

    def make(original):
        def delete_allocation_for_instance(self, context, uuid, *args, **kwargs):
            if healing.active:
                return False
            return original(self, context, uuid, *args, **kwargs)
        return delete_allocation_for_instance

    wrap(report.SchedulerReportClient, "delete_allocation_for_instance", make)
    announce(DEFECT.name, "the resource tracker no longer removes allocations of deleted instances")
