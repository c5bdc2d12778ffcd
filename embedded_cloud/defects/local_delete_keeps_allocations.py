"""local-delete-keeps-allocations (nova-api): bug 1679750 as it was before its fix.

Changes: nova.scheduler.client.report.SchedulerReportClient.delete_allocation_for_instance
becomes a no-op while nova.compute.api.API._local_delete runs (and only then).

Why that is the bug: before the fix, API._local_delete destroyed the instance
without the `placementclient.delete_allocation_for_instance(..., force=True)`
call; the allocations of a server deleted while its compute was down stayed in
Placement until that compute came back and its resource tracker healed them.
Every other caller (the delete cast to a live compute, the build-request
cleanup in _local_delete_cleanup) keeps working, so only a local delete leaks.

nova's own test: test_local_delete_removes_allocations_from_api.
"""
from __future__ import annotations

from .patching import Scope, announce, wrap
from .record import Defect

DEFECT = Defect(
    name="local-delete-keeps-allocations",
    service="nova-api",
    breaks=(
        '`API._local_delete` no longer deletes the allocations: bug 1679750 before its '
        'fix'),
    catches={
        'A local delete after nova-compute was stopped frees the allocations at once':
            'allocations of server "doomed"',
        'A local delete after nova-compute was killed (kill -9) frees the allocations at once':
            'allocations of server "doomed"',
        'A local delete after nova-compute was frozen (SIGSTOP) frees the allocations at once':
            'allocations of server "doomed"',
        'Restarting nova-compute after a clean local delete frees nothing twice':
            'usages of the target host',
    },
)


def inject() -> None:
    from nova.compute import api
    from nova.scheduler.client import report

    local_delete = Scope()
    local_delete.around(api.API, "_local_delete")

    def make(original):
        def delete_allocation_for_instance(self, context, uuid, *args, **kwargs):
            if local_delete.active:
                return False  # what nova returns when there was nothing to delete
            return original(self, context, uuid, *args, **kwargs)
        return delete_allocation_for_instance

    wrap(report.SchedulerReportClient, "delete_allocation_for_instance", make)
    announce(DEFECT.name, "API._local_delete no longer deletes the instance's allocations")
