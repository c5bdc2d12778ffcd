"""The defects that can be injected, by name, and the services each one belongs in."""
from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Defect:
    name: str
    service: str  # the kind of process it patches: "nova-api" or "nova-compute"
    module: str  # embedded_cloud.defects.<module> with an inject() function
    summary: str


DEFECTS: dict[str, Defect] = {d.name: d for d in (
    Defect("local-delete-keeps-allocations", "nova-api", "local_delete_keeps_allocations",
           "a local delete leaves the server's allocations in Placement (bug 1679750)"),
    Defect("no-heal-on-startup", "nova-compute", "no_heal_on_startup",
           "nova-compute does not remove allocations of deleted instances when it starts"),
    Defect("heal-only-periodic", "nova-compute", "heal_only_periodic",
           "nova-compute frees allocations of deleted instances only on its periodic task, "
           "not when it starts"),
    Defect("compute-delete-keeps-allocations", "nova-compute", "compute_delete_keeps_allocations",
           "an ordinary delete by nova-compute leaves the allocations for the periodic task"),
    Defect("disabled-means-down", "nova-api", "disabled_means_down",
           "a delete on a disabled but live compute is done locally by nova-api"),
    Defect("ignore-forced-down", "nova-api", "ignore_forced_down",
           "a delete ignores forced_down and is cast to the dead compute"),
    Defect("evacuate-keeps-source-allocations", "nova-compute", "evacuate_keeps_source_allocations",
           "a restarted source host keeps the allocations of the servers evacuated off it"),
    Defect("unshelve-claims-old-host", "nova-compute", "unshelve_claims_old_host",
           "unshelving claims the flavor on the host the server was shelved from"),
)}


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
