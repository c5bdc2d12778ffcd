"""unshelve-claims-old-host: the unshelved server's claim lands on the host it was shelved from."""
from __future__ import annotations

from .kit import HOST
from .procedures import delete, unshelve_onto_other_host_while_old_is_down

DEFECTS = {"nova-compute": "unshelve-claims-old-host"}


def test_unshelve_claims_on_the_old_host(cloud):
    shelved = unshelve_onto_other_host_while_old_is_down(cloud)
    assert set(cloud.allocations(shelved.id)) == {cloud.provider_id(HOST)}
    delete(cloud, shelved.id)
