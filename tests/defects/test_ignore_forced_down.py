"""ignore-forced-down: the delete is cast to the dead compute and the server hangs in deleting."""
from __future__ import annotations

from .procedures import LOCAL_DELETE_DONE_WITHIN, delete_on_dead_forced_down_compute

DEFECTS = {"nova-api": "ignore-forced-down"}


def test_server_hangs_in_deleting(cloud):
    doomed = delete_on_dead_forced_down_compute(cloud)
    # service_down_time (300 s) is far away: only forced_down says "down", and
    # the defect ignores it, however long the machine took to get here.
    assert not cloud.gone_within(doomed.id, LOCAL_DELETE_DONE_WITHIN)
    assert cloud.task_state(doomed.id) == "deleting"
    assert cloud.allocations(doomed.id) == doomed.allocations
    # compute1 picks the queued terminate up when it starts (restore): the server goes.
    cloud.restore()
    assert cloud.gone_within(doomed.id, 30)
