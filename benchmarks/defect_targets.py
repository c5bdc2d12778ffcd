"""Run in a release's Python: does each defect find what it patches there?

    <release python> -m benchmarks.defect_targets      (PYTHONPATH: the checkout)

Calls every defect's inject() (its deferred patches at once, its announcement
silenced) in this interpreter: a nova class or method a defect wraps that this
release lacks fails with its AttributeError or ImportError. Prints a line per
defect; exit 1 if any failed. `python -m benchmarks.release_defects --targets`
runs it in each installed release.
"""
from __future__ import annotations

import importlib
import os
import sys


def main() -> int:
    # As the services run nova below 33 (services/nova.py): no eventlet patching on import.
    os.environ.setdefault("OS_NOVA_DISABLE_EVENTLET_PATCHING", "1")
    from embedded_cloud.defects.catalog import DEFECTS

    failed = 0
    for name, defect in sorted(DEFECTS.items()):
        module = importlib.import_module(f"embedded_cloud.defects.{defect.module}")
        module.announce = lambda *args, **kwargs: None
        if hasattr(module, "once_configured"):
            module.once_configured = lambda patch: patch()
        try:
            module.inject()
            print(f"finds its targets: {name}")
        except (AttributeError, ImportError) as error:
            failed += 1
            print(f"MISSING: {name}: {type(error).__name__}: {error}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
