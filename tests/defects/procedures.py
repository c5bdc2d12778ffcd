"""The three situations the defects are about, each run the same way with and without a defect."""
from __future__ import annotations

import pytest

from .kit import Cloud, Doomed

# The clean cloud's local delete is done in well under a second; the controls
# allow this much, and a defect that hangs the delete shows by then.
LOCAL_DELETE_DONE_WITHIN = 5


def delete_on_dead_forced_down_compute(cloud: Cloud) -> Doomed:
    """Boot on compute1, kill it, force it down and delete the server.

    The embedded cloud's service_down_time (300 s) is longer than any test:
    compute1's last heartbeat still counts as up, so only forced_down tells
    nova-api the compute is dead, however loaded the machine is.
    """
    server = cloud.boot()
    doomed = Doomed(server.id, cloud.allocations(server.id))
    assert doomed.allocations, "the server holds no allocations after its boot"
    cloud.faults().kill_compute("compute1")
    cloud.force_down(True)
    cloud.conn.compute.delete_server(server.id)
    return doomed


def delete_unreachable_placement_then_restart(cloud: Cloud) -> Doomed:
    """Delete while compute1 is down and nova-api cannot reach Placement, then start compute1."""
    server = cloud.boot()
    doomed = Doomed(server.id, cloud.allocations(server.id))
    faults = cloud.faults()
    faults.cut_placement_path()
    faults.kill_compute("compute1")
    cloud.force_down(True)
    cloud.conn.compute.delete_server(server.id)
    assert cloud.gone_within(server.id, 30), "the local delete did not remove the server"
    if not cloud.allocations(server.id):
        pytest.fail("allocations gone although nova-api could not reach Placement: "
                    "the placement-path fault control did not cut the path")
    faults.restore_placement_path()
    faults.start_compute("compute1")  # returns after its first heartbeat: start-up is done
    return doomed


def delete_on_disabled_live_compute(cloud: Cloud) -> Doomed:
    server = cloud.boot()
    doomed = Doomed(server.id, cloud.allocations(server.id))
    cloud.set_disabled(True)
    cloud.conn.compute.delete_server(server.id)
    assert cloud.gone_within(server.id, 30), "the server on a disabled compute was not deleted"
    return doomed
