"""shelve-offload-keeps-allocations: a kept shelved server, offloaded, still holds its flavor."""
from __future__ import annotations

from .procedures import delete, offload_a_kept_shelved_server

DEFECTS = {"nova-compute": "shelve-offload-keeps-allocations"}
# The defect is on the path of a cloud that keeps shelved servers.
NOVA_OPTIONS = ("DEFAULT.shelved_offload_time=-1",)


def test_the_offloaded_server_keeps_its_allocations(cloud):
    offloaded = offload_a_kept_shelved_server(cloud)
    held = {provider: body["resources"] for provider, body in cloud.allocations(offloaded.id).items()}
    assert held == {provider: body["resources"] for provider, body in offloaded.allocations.items()}
    delete(cloud, offloaded.id)
