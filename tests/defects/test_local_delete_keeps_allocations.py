"""local-delete-keeps-allocations: bug 1679750, the local delete leaves the allocations."""
from __future__ import annotations

from .procedures import delete_on_dead_forced_down_compute

DEFECTS = {"nova-api": "local-delete-keeps-allocations"}


def test_allocations_outlive_the_server(cloud):
    doomed = delete_on_dead_forced_down_compute(cloud)
    assert cloud.gone_within(doomed.id, 5), "the local delete itself still works"
    assert cloud.allocations(doomed.id) == doomed.allocations
    # nova's own auditor (the suite's independent oracle) sees the leak too.
    code, output = cloud.audit()
    assert code == 3 and doomed.id in output, output
    # compute1's start-up heal (not defective here) is what cleans up after it.
    cloud.restore()
    assert cloud.allocations(doomed.id) == {}
