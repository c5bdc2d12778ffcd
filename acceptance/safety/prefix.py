"""The run prefix: every server and flavor the suite creates is named with it,
so a crashed run's leftovers can be found by name and no one else's resource
is ever mistaken for ours."""

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
