"""The nova settings that decide what the features can see, as far as the
suite can know them (docs/nova-options.md).

The embedded cloud publishes the ones it sets (``embedded-cloud facts``,
its ``nova`` mapping; acceptance/cloud/embedded.py); nova's defaults stand
for the rest. Another cloud publishes nothing: the cloud note then names the
settings an operator should check. Data only: nothing of the embedded
cloud is imported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

# nova 34.0.0's defaults: nova/conf/service.py (report_interval,
# service_down_time), nova/conf/compute.py (the others).
NOVA_DEFAULTS = {
    "DEFAULT.update_resources_interval": "0",
    "DEFAULT.service_down_time": "60",
    "DEFAULT.report_interval": "10",
    "DEFAULT.reclaim_instance_interval": "0",
    "DEFAULT.shelved_offload_time": "0",
}
PERIODIC_DEFAULT = 60  # update_resources_interval = 0: oslo.service's default periodic spacing
# Far longer than any bounded wait of the suite (timeout.delete_frees, 15 s).
PERIODIC_FAR_OFF = 600


@dataclass(frozen=True)
class NovaSettings:
    """{"SECTION.key": value}: read from the cloud (``known``), else None."""

    published: dict[str, str] | None = None

    @property
    def known(self) -> bool:
        return self.published is not None

    def value(self, name: str) -> str | None:
        """The setting's value on this cloud; None when the suite cannot read it."""
        if self.published is None:
            return None
        return self.published.get(name, NOVA_DEFAULTS.get(name))

    def number(self, name: str) -> int | None:
        value = self.value(name)
        try:
            return None if value is None else int(value)
        except ValueError:
            return None

    @property
    def periodic_interval(self) -> int | None:
        """Seconds between nova's periodic update_available_resource (None: unknown or never)."""
        interval = self.number("DEFAULT.update_resources_interval")
        if interval is None or interval < 0:
            return None
        return interval or PERIODIC_DEFAULT

    @property
    def periodic_far_off(self) -> bool:
        """Known to run nova's periodic clean-up never, or too seldom to free
        something while a check waits."""
        interval = self.periodic_interval
        return self.known and (interval is None or interval >= PERIODIC_FAR_OFF)

    @property
    def soft_deletes(self) -> bool | None:
        interval = self.number("DEFAULT.reclaim_instance_interval")
        return None if interval is None else interval > 0

    @property
    def keeps_shelved(self) -> bool | None:
        offload = self.number("DEFAULT.shelved_offload_time")
        return None if offload is None else offload != 0


def _short(name: str) -> str:
    section, key = name.split(".")
    return key if section == "DEFAULT" else f"[{section}] {key}"


def cloud_note(settings: NovaSettings) -> str:
    """One line: the settings that decide what the checks see, and what the suite does about them."""
    if not settings.known:
        return ("cloud note: the suite cannot read this cloud's nova settings; check on its nova hosts "
                "[DEFAULT] update_resources_interval (nova's periodic clean-up, every 60 s by default, "
                "also frees allocations of deleted servers: a step that had to wait says so), "
                "reclaim_instance_interval (> 0: a delete on a live host is a soft delete, and its "
                "scenarios fail at once saying so), shelved_offload_time (not 0: the suite offloads "
                "shelved servers itself and says so), service_down_time and report_interval "
                "(pass -D report_interval); see docs/nova-options.md")
    parts = []
    periodic = settings.periodic_interval
    interval = settings.value("DEFAULT.update_resources_interval")
    parts.append(f"update_resources_interval={interval} ("
                 + (f"nova's periodic clean-up runs every {periodic} s" if periodic else "no periodic clean-up")
                 + (": what a check sees freed, the operation freed)" if settings.periodic_far_off
                    else ": a step that had to wait for a freeing says it could have done it)"))
    parts.append(f"service_down_time={settings.value('DEFAULT.service_down_time')}, "
                 f"report_interval={settings.value('DEFAULT.report_interval')}")
    reclaim = settings.value("DEFAULT.reclaim_instance_interval")
    parts.append(f"reclaim_instance_interval={reclaim} ("
                 + ("a delete on a live host is a soft delete: its scenarios are skipped)"
                    if settings.soft_deletes else "deletes are not soft)"))
    offload = settings.value("DEFAULT.shelved_offload_time")
    parts.append(f"shelved_offload_time={offload} ("
                 + ("shelved servers are kept: the suite offloads them itself)"
                    if settings.keeps_shelved else "shelved servers are offloaded at once)"))
    others = sorted(set(settings.published or {}) - set(NOVA_DEFAULTS))
    if others:
        parts.append("also set: " + ", ".join(f"{_short(n)}={settings.published[n]}" for n in others))
    return "cloud note: nova settings published by the embedded cloud: " + "; ".join(parts)
