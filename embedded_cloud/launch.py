"""Run one OpenStack service's console entry point, with a named defect loaded first if asked.

    python -m embedded_cloud.launch nova-compute nova.cmd.compute:main --config-file ...

The defect (issue: prove the suite catches the bugs) is chosen by the
EMBEDDED_CLOUD_DEFECT variable, set only in the environment of the one
process it targets; nothing installed is edited.
"""
from __future__ import annotations

import importlib
import sys

from .defects import apply_from_environment


def main() -> None:
    prog, entry, *args = sys.argv[1:]
    sys.argv = [prog, *args]
    module, function = entry.split(":")
    # Import first: nova's entry module runs monkey_patch.patch(), which must
    # come before any other nova import (a defect's included).
    main_function = getattr(importlib.import_module(module), function)
    apply_from_environment()
    sys.exit(main_function())


if __name__ == "__main__":
    main()
