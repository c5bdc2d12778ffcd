"""Placement through openstacksdk's placement proxy.

Reads are plain GETs on the proxy's adapter: the proxy's own methods for
usages and allocations came only in openstacksdk 4.16 and 4.21, and the
suite runs beside the older openstacksdk of a user's other tools."""

from __future__ import annotations

from dataclasses import dataclass

from acceptance.checks.foreign_usage import ProviderReading


@dataclass(frozen=True)
class Provider:
    uuid: str
    name: str
    host: str  # the nova-compute host whose node this provider is


class PlacementClient:
    def __init__(self, conn) -> None:
        self.placement = conn.placement
        self.compute = conn.compute
        self._providers: dict[str, Provider] | None = None

    def providers_by_host(self) -> dict[str, Provider]:
        """host -> the resource provider of its compute node (asked once per run).

        A compute node's uuid is its provider's uuid (nova creates the provider
        with it), and os-hypervisors (2.53+) shows that uuid as the id. Hosts
        with several nodes (ironic) are left out: the suite needs one per host.
        """
        if self._providers is None:
            nodes: dict[str, list] = {}
            for hypervisor in self.compute.hypervisors(details=True):
                host = (hypervisor.service_details or {}).get("host")
                nodes.setdefault(host, []).append(hypervisor)
            self._providers = {
                host: Provider(uuid=found[0].id, name=found[0].name, host=host)
                for host, found in nodes.items()
                if host and len(found) == 1
            }
        return self._providers

    def provider_of(self, host: str) -> Provider:
        providers = self.providers_by_host()
        if host not in providers:
            raise LookupError(
                f"compute host {host!r} has no single resource provider; "
                f"hosts with one: {', '.join(sorted(providers)) or 'none'}"
            )
        return providers[host]

    def usages(self, provider: Provider | str) -> dict[str, int]:
        """GET /resource_providers/{uuid}/usages, e.g. {"VCPU": 1, ...}."""
        uuid = provider.uuid if isinstance(provider, Provider) else provider
        return dict(self._get(f"/resource_providers/{uuid}/usages").get("usages") or {})

    def reading(self, provider: Provider) -> ProviderReading:
        """GET /resource_providers/{uuid}/allocations: every consumer's
        resources on the provider (their sum is its usages), in one read."""
        allocations = self._get(f"/resource_providers/{provider.uuid}/allocations").get("allocations")
        return ProviderReading.from_allocations(allocations or {})

    def allocations_of(self, consumer: str) -> dict[str, dict]:
        """GET /allocations/{consumer}: {rp_uuid: {"resources": {...}, ...}}
        ({} when the consumer holds nothing)."""
        return dict(self._get(f"/allocations/{consumer}").get("allocations") or {})

    def _get(self, path: str) -> dict:
        response = self.placement.get(path)
        response.raise_for_status()
        return response.json()
