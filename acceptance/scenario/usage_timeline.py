"""Placement usages of the compute hosts, sampled at named moments of a
scenario ("baseline", "after boot", "after delete", ...), for the report.

``attachment()`` is the JSON that ``reports.attachments`` renders as a table
(``application/vnd.placement-usages+json``): one column per sample, one row
per host and resource class. ``timeline_attachment()`` is the same with the
fault steps marked between the samples (``mark()``), which the report draws
as a chart for the whole scenario (``application/vnd.placement-usage-timeline+json``).
"""

from __future__ import annotations

import json

PLACEMENT_USAGES = "application/vnd.placement-usages+json"
USAGE_TIMELINE = "application/vnd.placement-usage-timeline+json"
_NOVA_ORDER = {"VCPU": 0, "MEMORY_MB": 1, "DISK_GB": 2}


def _ordered(classes) -> list[str]:
    """VCPU, MEMORY_MB, DISK_GB first (as nova reports them), then the rest."""
    return sorted(classes, key=lambda rc: (_NOVA_ORDER.get(rc, len(_NOVA_ORDER)), rc))


class UsageTimeline:
    def __init__(self) -> None:
        self.samples: list[tuple[str, dict[str, dict[str, int]]]] = []
        # (samples taken before it, label): a fault happens between two samples
        self.events: list[tuple[int, str]] = []

    def record(self, label: str, usages_by_host: dict[str, dict[str, int]]) -> None:
        self.samples.append((label, {host: dict(usages) for host, usages in usages_by_host.items()}))

    def mark(self, label: str) -> None:
        """A fault step (stop, force down, cut path, start ...) happened now."""
        self.events.append((len(self.samples), label))

    def attachment(self, title: str) -> bytes:
        return json.dumps(self._body(title)).encode("utf-8")

    def timeline_attachment(self, title: str) -> bytes:
        events = [{"at": at, "label": label} for at, label in self.events]
        return json.dumps({**self._body(title), "events": events}).encode("utf-8")

    def _body(self, title: str) -> dict:
        hosts = sorted({host for _, by_host in self.samples for host in by_host})
        rows = {}
        for host in hosts:
            classes = _ordered({rc for _, by_host in self.samples for rc in by_host.get(host, {})})
            for rc in classes:
                rows[f"{host} {rc}"] = [
                    by_host[host].get(rc, 0) if host in by_host else None for _, by_host in self.samples
                ]
        return {"title": title, "columns": [label for label, _ in self.samples], "rows": rows}
