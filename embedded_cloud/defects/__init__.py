"""Named defects that can be injected into one service process.

`embedded-cloud up --defect SERVICE=NAME` records the choice (see choice.py);
the process it names gets EMBEDDED_CLOUD_DEFECT=NAME in its environment and
calls apply_from_environment() once nova's entry module is imported (so that
nova's own monkey_patch.patch() has run) and before the service starts. A
defect is a small module that monkeypatches nova's classes in that process
only; nothing installed is edited. The catalog lists them (catalog.py).
"""
from __future__ import annotations

import os

ENV = "EMBEDDED_CLOUD_DEFECT"


def apply_from_environment() -> None:
    name = os.environ.get(ENV)
    if not name:
        return
    from .catalog import apply

    apply(name)
