"""ignore-forced-down: the delete is cast to the dead compute and the server hangs in deleting."""
from __future__ import annotations


from embedded_cloud.services.nova import SERVICE_DOWN_TIME

from .procedures import delete_on_dead_forced_down_compute

DEFECTS = {"nova-api": "ignore-forced-down"}


def test_server_hangs_in_deleting(cloud):
    doomed = delete_on_dead_forced_down_compute(cloud)
    # Past service_down_time: by then even the heartbeat says down, yet nothing moves.
    assert not cloud.gone_within(doomed.id, SERVICE_DOWN_TIME + 1)
    assert cloud.task_state(doomed.id) == "deleting"
    assert cloud.allocations(doomed.id) == doomed.allocations
    # compute1 picks the queued terminate up when it starts (restore): the server goes.
    cloud.restore()
    assert cloud.gone_within(doomed.id, 30)
