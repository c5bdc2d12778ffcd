"""What a scenario's tags say it needs, and why this run cannot give it.

A scenario whose need is not met is skipped with the reason, never silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from acceptance import fault_control as faults


def _fault_control(suite) -> str | None:
    return (
        suite.fault_control.missing(faults.STOP)
        or suite.fault_control.missing(faults.START)
        or suite.hosts.why_no_target
    )


NEEDS: dict[str, Callable[[object], str | None]] = {
    "admin": lambda suite: suite.why_not_admin,
    "fault-control": _fault_control,
    "kill": lambda suite: suite.fault_control.missing(faults.KILL),
    "placement-path": lambda suite: suite.fault_control.missing(faults.CUT_PLACEMENT_PATH),
    "two-computes": lambda suite: suite.hosts.why_no_other,
}


def unmet(suite, tags: Iterable[str]) -> str | None:
    """'@tag: reason' for the first tag, in NEEDS order, whose need is not
    met, else None. NEEDS order, not the tags': behave's effective tags are
    a set, and the same run must give the same reason."""
    tags = set(tags)
    for tag, check in NEEDS.items():
        reason = check(suite) if tag in tags else None
        if reason:
            return f"@{tag}: {reason}"
    return None
