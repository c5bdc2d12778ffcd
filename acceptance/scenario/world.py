"""What one scenario has made and seen so far (``context.world``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from acceptance.checks.foreign_usage import ProviderReading
from acceptance.scenario.usage_timeline import UsageTimeline


@dataclass
class BootedServer:
    label: str  # the name the scenario uses: "doomed", "keeper", ...
    id: str
    name: str
    flavor: object
    host: str | None = None  # where it landed, once ACTIVE


@dataclass
class World:
    servers: dict[str, BootedServer] = field(default_factory=dict)
    flavor: object = None  # the flavor a "Given a flavor ..." step chose
    baseline: dict[str, dict[str, int]] = field(default_factory=dict)  # host -> usages
    baseline_sample: int = 0  # index of the baseline in the timeline
    timeline: UsageTimeline = field(default_factory=UsageTimeline)
    # host -> usages read as soon as its restarted nova-compute's first heartbeat was seen
    usages_at_first_heartbeat: dict[str, dict[str, int]] = field(default_factory=dict)
    # host -> its consumers at the baseline, for the hosts the suite does not take down
    baseline_readings: dict[str, ProviderReading] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # foreign changes seen, once each

    def server(self, label: str) -> BootedServer:
        try:
            return self.servers[label]
        except KeyError:
            known = ", ".join(f'"{name}"' for name in self.servers) or "none"
            raise KeyError(f'no server "{label}" in this scenario (servers: {known})') from None
