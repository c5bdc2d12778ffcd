"""Named defects that can be injected into one service process (see the README's table)."""
from __future__ import annotations

import os

ENV = "EMBEDDED_CLOUD_DEFECT"


def apply_from_environment() -> None:
    name = os.environ.get(ENV)
    if not name:
        return
    from .catalog import apply

    apply(name)
