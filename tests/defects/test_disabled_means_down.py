"""disabled-means-down: nova-api deletes a server on a disabled, live compute by itself."""
from __future__ import annotations

import time

from .procedures import delete_on_disabled_live_compute

DEFECTS = {"nova-api": "disabled-means-down"}


def test_delete_on_disabled_compute_is_local(cloud):
    doomed = delete_on_disabled_live_compute(cloud)
    time.sleep(2)  # what the control allows the compute's event (it comes in well under 1 s)
    # No compute_terminate_instance: compute1, alive, was never asked; its guest lives on.
    assert cloud.action_events(doomed.id) == []
    assert cloud.service().state == "up"
