"""Replay a ledger left by an earlier run (SIGKILL, machine crash, a
restore that failed) before doing anything else to the same cloud."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from acceptance.ledger import Ledger
from acceptance.restore import Log, StartCompute, restore


class RecoveryError(RuntimeError):
    """An earlier run's changes could not all be put back; one line."""


def recover_earlier_run(conn, ledger: Ledger, *, timeout: float, log: Log = print,
                        start_compute: StartCompute | None = None,
                        restore_placement_path: Callable[[], None] | None = None,
                        shield: Callable | None = None) -> bool:
    """Restore what ``ledger`` still holds; True when there was something.

    Raises ``RecoveryError`` when something could not be put back: running
    scenarios on a cloud in an unknown state would give meaningless results.
    """
    todo = ledger.outstanding()
    if not todo:
        return False
    log(f"recover: an earlier run against this cloud left changes in {ledger.path}; "
        "putting them back first:")
    for line in todo.describe():
        log(f"recover:   {line}")
    faults = {"start_compute": start_compute, "restore_placement_path": restore_placement_path}
    with (shield() if shield is not None else contextlib.nullcontext()):
        problems = restore(conn, ledger, timeout=timeout, log=log, **faults)
    if problems:
        raise RecoveryError(
            f"could not put back what an earlier run changed ({'; '.join(problems)}); "
            f"fix it by hand, then run python -m acceptance.cleanup (ledger {ledger.path})"
        )
    log("recover: the cloud is back as it was before the earlier run")
    return True
