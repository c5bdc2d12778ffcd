"""Every scenario tag that asks something of the run, in one table.

A tag can need something before each scenario (``skip_unless``: a reason
to skip, never silently), more compute hosts from the preflight
(``computes``), a compute microversion above the ones every scenario uses
(``compute_call``: a scenario needing more than the run may use is skipped
with its reason, Tempest's ``min_microversion``), or mark a scenario that
takes its target host down or disables it (``changes_host``: that host must
carry no foreign servers, and its usages are compared exactly).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from acceptance import faults
from acceptance.cloud import fault_control
from acceptance.cloud.compute import EVACUATE_MICROVERSION, UNSHELVE_TO_HOST_MICROVERSION


@dataclass(frozen=True)
class Tag:
    name: str
    skip_unless: Callable[[object], str | None] | None = None  # suite -> why it cannot run
    computes: int = 1  # enabled, up compute hosts the preflight asks for
    compute_call: tuple[str, str] | None = None  # (microversion, what it gives the scenario)
    changes_host: bool = False


def _soft_deletes(suite) -> str | None:
    settings = suite.nova_settings
    if not settings.soft_deletes:
        return None  # a real delete, or a cloud whose settings are unknown (it fails at once there)
    return (f"this cloud has reclaim_instance_interval = "
            f"{settings.value('DEFAULT.reclaim_instance_interval')}: a delete on a live host is a "
            "soft delete (the server stays SOFT_DELETED with its allocations), not the delete "
            "this scenario checks")


def _needs(fault: faults.Fault) -> Callable[[object], str | None]:
    return lambda suite: suite.fault_control.missing(fault.name)


def _fault_control(suite) -> str | None:
    return (
        suite.fault_control.missing(faults.STOP.name)
        or suite.fault_control.missing(fault_control.START)
        or suite.hosts.why_no_target
    )


# In the order the skip reasons are looked for: behave's effective tags are a
# set, and the same run must give the same reason.
TAGS: dict[str, Tag] = {tag.name: tag for tag in (
    Tag("admin", skip_unless=lambda suite: suite.why_not_admin),
    Tag("fault-control", skip_unless=_fault_control),
    # @kill, @freeze: each declared fault that is not every cloud's (acceptance/faults.py)
    *(Tag(fault.tag, skip_unless=_needs(fault)) for fault in faults.FAULTS.values() if fault.tag),
    Tag("placement-path",
        skip_unless=lambda suite: suite.fault_control.missing(fault_control.CUT_PLACEMENT_PATH)),
    Tag("two-computes", skip_unless=lambda suite: suite.hosts.why_no_other, computes=2),
    Tag("live-host-delete", skip_unless=_soft_deletes),
    Tag("evacuate", compute_call=(EVACUATE_MICROVERSION, "evacuate keeps the server stopped")),
    Tag("unshelve-to-host", compute_call=(UNSHELVE_TO_HOST_MICROVERSION, "unshelve onto a named host")),
    Tag("changes-host", changes_host=True),
)}


def unmet(suite, tags: Iterable[str]) -> str | None:
    """'@tag: reason' for the first tag, in TAGS order, whose need is not
    met, else None."""
    tags = set(tags)
    for tag in TAGS.values():
        if tag.name not in tags:
            continue
        reason = tag.skip_unless(suite) if tag.skip_unless else None
        if tag.compute_call and not reason:
            reason = suite.microversions.why_not(*tag.compute_call)
        if reason:
            return f"@{tag.name}: {reason}"
    return None


def changes_host(tags: Iterable[str]) -> bool:
    """Does a scenario with ``tags`` take its target host down or disable it?"""
    return any(TAGS[tag].changes_host for tag in tags if tag in TAGS)


def computes_needed(tags: Iterable[str]) -> int:
    return max((TAGS[tag].computes for tag in tags if tag in TAGS), default=1)
