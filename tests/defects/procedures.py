"""The three situations the defects are about, each run the same way with and without a defect."""
from __future__ import annotations

import pytest

from acceptance.cloud.compute import ComputeClient
from acceptance.cloud.waiters import wait_for_server_settled_on, wait_for_shelve_done
from tests.openstack_kit import wait_until

from .kit import HOST, OTHER, Cloud, Doomed

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


def evacuate_then_restart_source(cloud: Cloud) -> Doomed:
    """Boot on compute1, stop it, force it down, evacuate the server to compute2
    (SHUTOFF there, 2.95), then start compute1 again."""
    server = cloud.boot()
    doomed = Doomed(server.id, cloud.allocations(server.id))
    compute = ComputeClient(cloud.conn)
    cloud.faults().stop_compute(HOST)
    cloud.force_down(True)
    compute.evacuate(server.id, OTHER)
    wait_for_server_settled_on(compute, server.id, "SHUTOFF", OTHER, 60)
    wait_until(lambda: [m.status for m in compute.evacuations(server.id)] == ["done"], 30,
               "the evacuation migration done")
    assert set(cloud.allocations(server.id)) == {cloud.provider_id(HOST), cloud.provider_id(OTHER)}, (
        "while compute1 is down the evacuated server should hold its flavor on both hosts")
    cloud.faults().start_compute(HOST)  # returns after its first heartbeat: its start-up is done
    return doomed


def unshelve_onto_other_host_while_old_is_down(cloud: Cloud) -> Doomed:
    """Boot on compute1, shelve (offloaded at once), stop compute1, force it down,
    unshelve onto compute2 (2.91)."""
    server = cloud.boot()
    doomed = Doomed(server.id, cloud.allocations(server.id))
    compute = ComputeClient(cloud.conn)
    compute.shelve(server.id)
    wait_for_server_settled_on(compute, server.id, "SHELVED_OFFLOADED", None, 60)
    cloud.faults().stop_compute(HOST)
    cloud.force_down(True)
    compute.unshelve(server.id, OTHER)
    wait_for_server_settled_on(compute, server.id, "ACTIVE", OTHER, 60)
    return doomed


def offload_a_kept_shelved_server(cloud: Cloud) -> Doomed:
    """On a cloud that keeps shelved servers (shelved_offload_time = -1): boot on
    compute1, shelve (it stays SHELVED there), then offload it (shelveOffload)."""
    server = cloud.boot()
    doomed = Doomed(server.id, cloud.allocations(server.id))
    compute = ComputeClient(cloud.conn)
    compute.shelve(server.id)
    kept = wait_for_shelve_done(compute, server.id, 60)
    assert (kept.status, kept.compute_host) == ("SHELVED", HOST), (
        f"expected the shelved server kept on {HOST}, got {kept.status} on {kept.compute_host}")
    assert compute.shelve_offload(server.id), "nova refused the shelveOffload"
    wait_for_server_settled_on(compute, server.id, "SHELVED_OFFLOADED", None, 60)
    return doomed


def delete(cloud: Cloud, server_id: str) -> None:
    """A test's own server goes: the suite run after it takes down only hosts with none."""
    cloud.conn.compute.delete_server(server_id, ignore_missing=True)
    assert cloud.gone_within(server_id, 60), f"server {server_id} was not deleted"
