"""The flavors the suite's servers use.

With ``-D flavor=NAME`` every server uses that flavor, whatever size a
scenario asks for (the checks read the sizes from the flavor itself).
Otherwise the suite creates one flavor per size it needs, named with the
run prefix, once per run; the restore at the end of the run deletes them.
They are private (``is_public=False``) with flavor access for the suite's
project alone: other tenants of a shared cloud never see them. No scenario
needs a public flavor; one that did would have to say so in its feature.
"""

from __future__ import annotations

from acceptance.cloud.changes import Creations

DEFAULT_SIZE = (1, 512, 1)  # VCPU, MB of RAM, GB of disk


class Flavors:
    def __init__(self, conn, creations: Creations, configured: str | None) -> None:
        self.conn = conn
        self.creations = creations
        self.configured = configured
        self._by_size: dict[tuple[int, int, int], object] = {}
        self._configured_flavor = None

    def of_size(self, vcpus: int, ram: int, disk: int):
        if self.configured is not None:
            if self._configured_flavor is None:
                self._configured_flavor = self.conn.compute.find_flavor(self.configured, ignore_missing=False)
            return self._configured_flavor
        size = (vcpus, ram, disk)
        if size not in self._by_size:
            self._by_size[size] = self.creations.create_flavor(
                f"flavor-{vcpus}vcpu-{ram}mb-{disk}gb",
                vcpus=vcpus,
                ram=ram,
                disk=disk,
            )
        return self._by_size[size]

    def default(self):
        return self.of_size(*DEFAULT_SIZE)


def resources_of(flavor) -> dict[str, int]:
    """What nova allocates in Placement for a server of ``flavor`` booted from
    an image: root + ephemeral disk, swap rounded up to whole GB."""
    swap_gb = -(-int(flavor.swap or 0) // 1024)  # nova shows no swap as ""
    return {
        "VCPU": flavor.vcpus,
        "MEMORY_MB": flavor.ram,
        "DISK_GB": (flavor.disk or 0) + (flavor.ephemeral or 0) + swap_gb,
    }
