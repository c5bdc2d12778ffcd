"""heal-only-periodic: a restarted compute has not freed a locally deleted server's
allocations by its first heartbeat (only its periodic task would, an hour later here)."""
from __future__ import annotations

from .procedures import delete_unreachable_placement_then_restart

DEFECTS = {"nova-compute": "heal-only-periodic"}


def test_allocations_still_there_at_the_first_heartbeat(cloud):
    # start_compute returned at compute1's first heartbeat: the start-up heal,
    # were it there, would be done (the control finds them gone at this read).
    doomed = delete_unreachable_placement_then_restart(cloud)
    assert cloud.allocations(doomed.id) == doomed.allocations
    cloud.drop_allocations(doomed.id)
