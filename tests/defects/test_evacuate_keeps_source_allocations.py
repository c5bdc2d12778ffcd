"""evacuate-keeps-source-allocations: the restarted source keeps the evacuated server's share."""
from __future__ import annotations

from acceptance.cloud.compute import ComputeClient

from .kit import HOST, OTHER
from .procedures import delete, evacuate_then_restart_source

DEFECTS = {"nova-compute": "evacuate-keeps-source-allocations"}


def test_source_allocations_outlive_the_evacuation(cloud):
    evacuee = evacuate_then_restart_source(cloud)
    # nova looks content: the migration is completed, so the source may be un-forced.
    assert [m.status for m in ComputeClient(cloud.conn).evacuations(evacuee.id)] == ["completed"]
    assert set(cloud.allocations(evacuee.id)) == {cloud.provider_id(HOST), cloud.provider_id(OTHER)}
    delete(cloud, evacuee.id)  # compute2's delete removes the whole consumer
    assert cloud.allocations(evacuee.id) == {}
