"""Which compute hosts the suite works on: the target it takes down, the other it leaves alone.

The target host is the one the suite stops, forces down or disables; the
other host must stay untouched. ``-D target_host`` / ``-D other_host`` name
them; otherwise they are, among the compute hosts whose service is enabled,
up and not forced down, the two that hold the fewest servers (of any
project; by name among equals): on a shared cloud, the host least likely to
hold someone else's server is the one the suite takes down.

Whether a host runs only the suite's servers, and so may be taken down, is
acceptance.safety.safe_hosts' question.
"""

from __future__ import annotations

from dataclasses import dataclass

from acceptance.cloud.compute import ComputeClient
from acceptance.settings import SuiteSettings


@dataclass(frozen=True)
class Hosts:
    target: str | None
    other: str | None
    why_no_target: str | None = None
    why_no_other: str | None = None


def healthy(service) -> bool:
    return service.status == "enabled" and service.state == "up" and not service.is_forced_down


def choose_hosts(settings: SuiteSettings, compute: ComputeClient) -> Hosts:
    services = {service.host: service for service in compute.compute_services()}
    held = compute.servers_per_host()
    usable = sorted((host for host, service in services.items() if healthy(service)),
                    key=lambda host: (held.get(host, 0), host))

    def pick(wanted: str | None, key: str, exclude: str | None) -> tuple[str | None, str | None]:
        if wanted is not None:
            if wanted not in services:
                return None, f"-D {key}={wanted} is not a compute host; hosts: {', '.join(sorted(services))}"
            return wanted, None
        candidates = [host for host in usable if host != exclude]
        if not candidates:
            return None, (
                f"no {'second ' if exclude else ''}compute host is enabled, up and not forced down "
                f"(hosts: {', '.join(sorted(services)) or 'none'})"
            )
        return candidates[0], None

    target, why_no_target = pick(settings.target_host, "target_host", None)
    other, why_no_other = pick(settings.other_host, "other_host", target)
    return Hosts(target, other, why_no_target, why_no_other)

