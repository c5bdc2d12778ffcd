"""compute-delete-keeps-allocations (nova-compute): an ordinary delete leaves the allocations
for the periodic task.

Changes: nova.scheduler.client.report.SchedulerReportClient.delete_allocation_for_instance
becomes a no-op while nova.compute.manager.ComputeManager._complete_deletion
runs (and only then).

Why that is the bug: when nova-compute deletes a server (an ordinary delete,
e.g. on a disabled but live host) it destroys the instance and, in the same
operation, _complete_deletion deletes its allocations, a moment after the
API's 404. With the defect the allocations stay until the periodic
update_available_resource removes those of deleted instances (60 s on a
default cloud, an hour on the embedded one): a leak that a check polling for
a minute would not see.
"""
from __future__ import annotations

from .patching import Scope, announce, once_configured, wrap
from .record import Defect

DEFECT = Defect(
    name="compute-delete-keeps-allocations",
    service="nova-compute",
    breaks=(
        'an ordinary delete by nova-compute (`ComputeManager._complete_deletion`) no '
        'longer deletes the allocations: they wait for the periodic task'),
    catches={
        'Deleting a server on a disabled host is an ordinary delete':
            'allocations of server "resident"',
        'Deleting an evacuated server while its source host is down frees both hosts':
            'allocations of server "evacuee"',
    },
)


def inject() -> None:
    once_configured(_patch)


def _patch() -> None:
    from nova.compute import manager
    from nova.scheduler.client import report

    completing = Scope()
    completing.around(manager.ComputeManager, "_complete_deletion")

    def make(original):
        def delete_allocation_for_instance(self, context, uuid, *args, **kwargs):
            if completing.active:
                return False
            return original(self, context, uuid, *args, **kwargs)
        return delete_allocation_for_instance

    wrap(report.SchedulerReportClient, "delete_allocation_for_instance", make)
    announce(DEFECT.name, "an ordinary delete by nova-compute no longer deletes the allocations")
