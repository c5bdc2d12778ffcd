"""The run prefix: every server and flavor the suite creates is named with it,
so a crashed run's leftovers can be found by name and no one else's resource
is ever mistaken for ours. A compute service the suite disables carries it
too, at the end of its disabled reason (``marked_reason``), so a sweep with
no ledger (``suite-cleanup --sweep``) knows the suite disabled it."""

from __future__ import annotations

import re
import secrets

PREFIX_PATTERN = re.compile(r"^accept-[0-9a-f]{8}-")


def new_run_prefix() -> str:
    """'accept-1a2b3c4d-': unique per run, short enough for any name field."""
    return f"accept-{secrets.token_hex(4)}-"


def is_suite_name(name: str | None) -> bool:
    """Named by some run of this suite (this one or another)."""
    return bool(name) and PREFIX_PATTERN.match(name) is not None


_REASON_MARK = re.compile(r" \(accept-[0-9a-f]{8}\)$")


def marked_reason(reason: str, prefix: str) -> str:
    """'maintenance' -> 'maintenance (accept-1a2b3c4d)': the disabled reason
    the suite sends, recognisable by ``is_marked_reason``."""
    return f"{reason} ({prefix.rstrip('-')})"


def is_marked_reason(reason: str | None) -> bool:
    """Disabled by some run of this suite."""
    return bool(reason) and _REASON_MARK.search(reason) is not None
