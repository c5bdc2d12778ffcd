"""compute-delete-keeps-allocations: an ordinary delete by nova-compute leaves the allocations."""
from __future__ import annotations

import time

from .procedures import delete_on_disabled_live_compute

DEFECTS = {"nova-compute": "compute-delete-keeps-allocations"}


def test_allocations_outlive_an_ordinary_delete(cloud):
    doomed = delete_on_disabled_live_compute(cloud)
    time.sleep(3)  # the control finds them gone at once; give the defect a margin
    # The delete itself was ordinary: nova-compute ran it.
    assert "compute_terminate_instance" in cloud.action_events(doomed.id)
    # The same resources on the same provider (the provider's generation moves on).
    assert held(cloud.allocations(doomed.id)) == held(doomed.allocations)
    cloud.drop_allocations(doomed.id)


def held(allocations: dict) -> dict:
    return {provider: body["resources"] for provider, body in allocations.items()}
