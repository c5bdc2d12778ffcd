"""The defects that can be injected, by name: every module of this package
that declares a ``DEFECT`` record (record.py). Nothing is listed by hand: a
new defect is one module. ``python -m embedded_cloud.defects.catalog`` prints
the README's defect table from the records (a test holds the README to it)."""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import replace

from .record import Defect

# This package's machinery; every other module is a defect.
MACHINERY = {"catalog", "choice", "patching", "record", "switch"}


def _declared() -> dict[str, Defect]:
    # A defect module imports nova only inside inject(): importing it here is cheap
    # and safe before nova's own monkey-patching (see apply()).
    found = {}
    for info in pkgutil.iter_modules(importlib.import_module(__package__).__path__):
        if info.name in MACHINERY:
            continue
        module = importlib.import_module(f"{__package__}.{info.name}")
        record = getattr(module, "DEFECT", None)
        if isinstance(record, Defect):
            found[record.name] = replace(record, module=info.name)
    return dict(sorted(found.items()))


DEFECTS: dict[str, Defect] = _declared()


def known() -> str:
    return ", ".join(sorted(DEFECTS))


def apply(name: str) -> None:
    try:
        defect = DEFECTS[name]
    except KeyError:
        raise SystemExit(f"unknown defect {name!r}; known: {known()}") from None
    # Every nova service this cloud runs calls this first thing, before any
    # other nova import; a defect's imports must not come first (eventlet would
    # be imported and nova refuses to start). A second call is a no-op.
    from nova import monkey_patch

    # nova 33 on choose the backend here; before, importing the module
    # patched eventlet already (nova-api is kept on threads by
    # OS_NOVA_DISABLE_EVENTLET_PATCHING, services/nova.py).
    if hasattr(monkey_patch, "patch"):
        monkey_patch.patch(backend="threading")
    importlib.import_module(f"{__package__}.{defect.module}").inject()


def table() -> str:
    """The README's defect table (markdown), from the records."""
    rows = ["| defect | what it breaks in nova | the scenarios it turns red, and a fragment of each failure message |",
            "|---|---|---|"]
    for defect in DEFECTS.values():
        options = "".join(f", run with `--nova-option {option}`" for option in defect.nova_options)
        caught = "; ".join(f'"{scenario}": `{fragment}`' for scenario, fragment in defect.catches.items())
        rows.append(f"| `{defect.name}` ({defect.service}{options}) | {defect.breaks} | {caught} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(table())
