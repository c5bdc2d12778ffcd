"""disabled-means-down (nova-api): a delete treats a disabled compute as down.

Changes: nova.servicegroup.api.API.service_is_up returns False for a disabled
service while nova.compute.api.API._delete runs (and only then).

Why that is the bug: API._delete chooses a local delete when
`not servicegroup_api.service_is_up(service)`. Disabling a compute only stops
scheduling to it; the delete of a server on a disabled but live compute must
be cast to that compute, which destroys the guest. With the defect nova-api
deletes the server from the database itself: the guest keeps running on the
compute (the fake driver still lists it), and the compute later finds an
instance it no longer knows. `openstack compute service list` is unchanged
(it calls service_is_up outside _delete), so only the delete path is wrong.

Caught by: features/compute.disabled.feature "Deleting a server on a disabled
host is an ordinary delete", at its step "the compute host deleted the server
"resident", not nova-api alone" (the delete action has no
compute_terminate_instance event: 'should have been done by nova-compute, but
nova-api deleted it locally'). Checking only that the server is gone and the
usages are back cannot tell the two kinds of delete apart.
"""
from __future__ import annotations

from .patching import Scope, announce, wrap

NAME = "disabled-means-down"


def inject() -> None:
    from nova.compute import api
    from nova.servicegroup import api as servicegroup

    deleting = Scope()
    deleting.around(api.API, "_delete")

    def make(original):
        def service_is_up(self, member):
            if deleting.active and member.get("disabled"):
                return False
            return original(self, member)
        return service_is_up

    wrap(servicegroup.API, "service_is_up", make)
    announce(NAME, "API._delete treats a disabled compute service as down (local delete)")
