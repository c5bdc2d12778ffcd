"""Controls: the clean cloud does what nova promises in each situation a defect breaks."""
from __future__ import annotations

import time

from acceptance.cloud.compute import ComputeClient

from .kit import OTHER
from .procedures import (LOCAL_DELETE_DONE_WITHIN, delete, delete_on_dead_forced_down_compute,
                         delete_on_disabled_live_compute, delete_unreachable_placement_then_restart,
                         evacuate_then_restart_source, unshelve_onto_other_host_while_old_is_down)

DEFECTS: dict[str, str] = {}


def test_local_delete_on_forced_down_compute_removes_server_and_allocations(cloud):
    doomed = delete_on_dead_forced_down_compute(cloud)
    assert cloud.gone_within(doomed.id, LOCAL_DELETE_DONE_WITHIN), (
        f"server {doomed.id} still there, task_state {cloud.task_state(doomed.id)!r}")
    assert cloud.allocations(doomed.id) == {}
    assert cloud.audit() == (0, ""), "nova's placement audit finds something orphaned"


def test_restarted_compute_heals_allocations_of_locally_deleted_server(cloud):
    doomed = delete_unreachable_placement_then_restart(cloud)
    assert cloud.allocations(doomed.id) == {}


def test_delete_on_disabled_compute_is_done_by_the_compute(cloud):
    doomed = delete_on_disabled_live_compute(cloud)
    # The compute records its terminate event as it starts the work; allow it a moment.
    deadline = time.monotonic() + 10
    while "compute_terminate_instance" not in cloud.action_events(doomed.id):
        assert time.monotonic() < deadline, (
            f"delete action events: {cloud.action_events(doomed.id)}: the compute never ran it")
        time.sleep(0.3)
    assert cloud.allocations(doomed.id) == {}


def test_restarted_source_removes_the_evacuated_server_s_allocations_there(cloud):
    evacuee = evacuate_then_restart_source(cloud)
    assert [m.status for m in ComputeClient(cloud.conn).evacuations(evacuee.id)] == ["completed"]
    assert set(cloud.allocations(evacuee.id)) == {cloud.provider_id(OTHER)}
    delete(cloud, evacuee.id)


def test_unshelve_claims_on_the_host_it_lands_on(cloud):
    shelved = unshelve_onto_other_host_while_old_is_down(cloud)
    assert set(cloud.allocations(shelved.id)) == {cloud.provider_id(OTHER)}
    delete(cloud, shelved.id)
