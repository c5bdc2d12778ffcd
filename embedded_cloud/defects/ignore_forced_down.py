"""ignore-forced-down (nova-api): a delete ignores a compute's forced_down flag.

Changes: nova.servicegroup.api.API.service_is_up skips its
`if member.get('forced_down'): return False` check while
nova.compute.api.API._delete runs (and only then): the answer comes from the
heartbeat alone (the servicegroup driver's is_up).

Why that is the bug: forcing a service down is how an operator says "this
host is dead, do not wait for service_down_time". Ignoring it, a delete issued
within service_down_time of the dead compute's last heartbeat (60 s by
default; 300 s here, longer than any scenario, so the catch does not depend on
how fast a loaded machine reaches the DELETE) is cast to that compute: nothing
consumes the message, and the server stays in task_state `deleting` with its
allocations in place.
`openstack compute service list` still shows the service down (it calls
service_is_up outside _delete).
"""
from __future__ import annotations

from .patching import Scope, announce, wrap
from .record import Defect

DEFECT = Defect(
    name="ignore-forced-down",
    service="nova-api",
    breaks=(
        '`API._delete` ignores `forced_down`: the delete is cast to the dead compute and '
        'the server hangs in deleting'),
    catches={
        'A local delete after nova-compute was stopped frees the allocations at once':
            'task state deleting',
        'A local delete after nova-compute was killed (kill -9) frees the allocations at once':
            'task state deleting',
        'A local delete after nova-compute was frozen (SIGSTOP) frees the allocations at once':
            'task state deleting',
        'Allocations left behind by a local delete are freed when nova-compute starts again':
            'to be deleted',
        'Restarting nova-compute after a clean local delete frees nothing twice':
            'usages of the target host',
    },
)


def inject() -> None:
    from nova.compute import api
    from nova.servicegroup import api as servicegroup

    deleting = Scope()
    deleting.around(api.API, "_delete")

    def make(original):
        def service_is_up(self, member):
            if deleting.active:
                return self._driver.is_up(member)  # nova's body without the forced_down check
            return original(self, member)
        return service_is_up

    wrap(servicegroup.API, "service_is_up", make)
    announce(DEFECT.name, "API._delete ignores forced_down (trusts the heartbeat alone)")
