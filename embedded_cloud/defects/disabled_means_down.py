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
"""
from __future__ import annotations

from .patching import Scope, announce, wrap
from .record import Defect

DEFECT = Defect(
    name="disabled-means-down",
    service="nova-api",
    breaks=(
        '`API._delete` takes a disabled compute for a down one: a local delete on a live '
        'host'),
    catches={
        'Deleting a server on a disabled host is an ordinary delete':
            'but nova-api deleted it locally',
    },
)


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
    announce(DEFECT.name, "API._delete treats a disabled compute service as down (local delete)")
