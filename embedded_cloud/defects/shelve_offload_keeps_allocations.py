"""shelve-offload-keeps-allocations (nova-compute): offloading a server that stayed
SHELVED (the shelveOffload action, or the periodic offload) keeps its allocations.

Changes: nova.compute.resource_tracker.ResourceTracker.
delete_allocation_for_shelve_offloaded_instance becomes a no-op while
nova.compute.manager.ComputeManager.shelve_offload_instance runs (the RPC
that `POST /servers/{id}/action {"shelveOffload": null}` casts), and only
then. The offload at once of nova's default `shelved_offload_time = 0` goes
from `shelve_instance` straight to `_shelve_offload_instance`, and is not
touched.

Why that is the bug: an offloaded server runs nowhere and must hold nothing
(`_shelve_offload_instance` frees its allocations before it marks it
SHELVED_OFFLOADED). With the defect a cloud that keeps shelved servers
(`shelved_offload_time` -1 or > 0) charges the old host, for ever, for every
server offloaded later: the server is SHELVED_OFFLOADED on no host, and nova
is content.
"""
from __future__ import annotations

from .patching import Scope, announce, once_configured, wrap
from .record import Defect

DEFECT = Defect(
    name="shelve-offload-keeps-allocations",
    service="nova-compute",
    breaks=(
        'offloading a server that stayed SHELVED '
        '(`ComputeManager.shelve_offload_instance`: the `shelveOffload` action and the '
        "periodic offload) no longer deletes its allocations; nova's default offload at "
        'once is untouched'),
    catches={
        'A shelved and offloaded server holds no allocations':
            'allocations of server "shelved"',
        'Unshelving onto the other host while the original host is down claims exactly the flavor there':
            'allocations of server "shelved"',
    },
    nova_options=('DEFAULT.shelved_offload_time=-1',),
)


def inject() -> None:
    once_configured(_patch)


def _patch() -> None:
    from nova.compute import manager, resource_tracker

    offloading = Scope()
    offloading.around(manager.ComputeManager, "shelve_offload_instance")

    def make(original):
        def delete_allocation_for_shelve_offloaded_instance(self, context, instance, *args, **kwargs):
            if offloading.active:
                return None
            return original(self, context, instance, *args, **kwargs)
        return delete_allocation_for_shelve_offloaded_instance

    wrap(resource_tracker.ResourceTracker, "delete_allocation_for_shelve_offloaded_instance", make)
    announce(DEFECT.name, "offloading a kept shelved server no longer deletes its allocations")
