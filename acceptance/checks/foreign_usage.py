"""Usages of a shared host, less what other people did on it during a scenario.

On a cloud where others work, servers that are not the suite's come and go
on the hosts the suite does not take down. Their usage totals are compared
only after subtracting the changes of consumers that are not the suite's:
both the totals and the consumers come from one read of the provider's
allocations (``GET /resource_providers/{uuid}/allocations``, whose sum is
the provider's usages), so they cannot disagree. A consumer counts as the
suite's when it is one of the servers this run created. A foreign change
is reported as a note, never a failure. (The target host, which the suite
takes down, stays exact: the safe-host check keeps foreign servers off it.)
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass

Resources = dict[str, int]


@dataclass(frozen=True)
class ProviderReading:
    """One read of a provider's allocations: consumer -> its resources there."""

    by_consumer: Mapping[str, Resources]

    @classmethod
    def from_allocations(cls, allocations: Mapping[str, Mapping]) -> ProviderReading:
        """From the body's ``allocations``: {consumer: {"resources": {...}}}."""
        return cls({consumer: dict((held or {}).get("resources") or {})
                    for consumer, held in (allocations or {}).items()})

    @property
    def totals(self) -> Resources:
        """The provider's usages: the sum over its consumers."""
        return _sum(self.by_consumer.values())


def foreign_changes(baseline: ProviderReading, now: ProviderReading,
                    ours: Set[str]) -> dict[str, Resources]:
    """consumer -> how its resources changed since the baseline (non-zero
    classes only), for each consumer that is not the suite's and changed."""
    changes = {}
    for consumer in sorted({*baseline.by_consumer, *now.by_consumer} - set(ours)):
        before = baseline.by_consumer.get(consumer, {})
        after = now.by_consumer.get(consumer, {})
        delta = {rc: after.get(rc, 0) - before.get(rc, 0) for rc in sorted({*before, *after})}
        delta = {rc: change for rc, change in delta.items() if change}
        if delta:
            changes[consumer] = delta
    return changes


def without_foreign(baseline: ProviderReading, now: ProviderReading, ours: Set[str]) -> Resources:
    """The provider's usages now, less the changes of consumers that are not ours."""
    foreign = _sum(foreign_changes(baseline, now, ours).values())
    usages = now.totals
    return {rc: usages.get(rc, 0) - foreign.get(rc, 0) for rc in sorted({*usages, *foreign})}


def describe(host: str, changes: Mapping[str, Resources]) -> str:
    """One line for the report: what others changed, and that it was subtracted."""
    parts = [f"{consumer} " + ", ".join(f"{rc} {change:+d}" for rc, change in delta.items())
             for consumer, delta in changes.items()]
    return (f"note: usages of {host} changed by consumers that are not the suite's "
            f"(subtracted, not a failure): {'; '.join(parts)}")


def _sum(many) -> Resources:
    total: Resources = {}
    for resources in many:
        for rc, amount in resources.items():
            total[rc] = total.get(rc, 0) + amount
    return total
