"""no-heal-on-startup: a restarted compute leaves a locally deleted server's allocations."""
from __future__ import annotations

import time

from .procedures import delete_unreachable_placement_then_restart

DEFECTS = {"nova-compute": "no-heal-on-startup"}


def test_allocations_survive_compute_restart(cloud):
    doomed = delete_unreachable_placement_then_restart(cloud)
    time.sleep(3)  # the control finds them gone at once; give the defect a margin
    assert cloud.allocations(doomed.id) == doomed.allocations
    cloud.drop_allocations(doomed.id)
