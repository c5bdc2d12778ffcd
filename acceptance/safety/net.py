"""The safety layer in one place, so environment.py stays a few lines.

``begin`` (from before_all), in this order:

1. preflight, access half: credentials, admin, microversions, Placement;
2. open this cloud's ledger (refusing if another live run holds it) and
   install the interrupt guard;
3. replay whatever an earlier run left in the ledger;
4. preflight, resources half: computes with room, image, flavor, hosts.

Nothing is created before step 3, and step 3 only undoes. The returned
``SafetyNet`` gives the steps the run prefix and the ledger, checks hosts
before they are faulted, and restores after each scenario and at the end.
"""

from __future__ import annotations

import atexit
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from acceptance.safety import interrupts, safe_hosts

from acceptance import redaction

from acceptance.cloud.waiters import quiet_period
from acceptance.safety.interrupts import InterruptGuard
from acceptance.safety.ledger import Ledger, LedgerBusy, cloud_key
from acceptance.safety.prefix import new_run_prefix
from acceptance.safety.preflight import Needs, Preflight, PreflightError, check_access, check_resources
from acceptance.safety.restore import (RecoveryError, StartCompute, UndoFault, recover_earlier_run, restore,
                                      verify_running)
from acceptance.settings import SuiteSettings

LOG = logging.getLogger("acceptance.run")
VERIFY_TIMEOUT = 30.0  # seconds: three default report_intervals for a heartbeat

# Every error begin() raises has a one-line message meant for fail_cleanly.
START_ERRORS = (PreflightError, LedgerBusy, RecoveryError)


@dataclass
class SafetyNet:
    connect: Callable[[], object]
    settings: SuiteSettings
    ledger: Ledger
    guard: InterruptGuard
    preflight: Preflight
    start_compute: StartCompute | None = None
    undo_fault: UndoFault | None = None  # a thaw, before the start (acceptance.faults)
    restore_placement_path: Callable[[], None] | None = None
    log: Callable[[str], None] = print
    problems: list[str] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return self.ledger.prefix

    @property
    def timeout(self) -> float:
        timeouts = self.settings.timeouts
        return max(timeouts.server_deleted, timeouts.service_state, timeouts.heal)

    def check_host_is_ours(self, conn, host: str) -> None:
        """Call before forcing down, disabling or stopping ``host``."""
        safe_hosts.check_host_is_ours(
            conn, host, prefix=self.prefix, ledger=self.ledger,
            allow_foreign_servers=self.settings.allow_foreign_servers)

    def shielded(self):
        """``with net.shielded():`` around the suite's own cleanups, so a
        second Ctrl-C cannot cut them in half."""
        return self.guard.shielded()

    def restore(self, *, keep_flavors: bool = False, conn=None, log=None) -> list[str]:
        """Put back everything outstanding; no signal can cut it in half."""
        if not self.ledger.outstanding():
            return []
        with self.guard.shielded():
            problems = restore(conn or self.connect(), self.ledger, timeout=self.timeout,
                               log=log or self._log, keep_flavors=keep_flavors, **self._faults())
        self.problems += problems
        return problems

    def after_scenario(self, conn) -> list[str]:
        """From after_scenario: put back the servers and services the
        scenario changed (flavors live for the run), on the suite's own
        connection (``conn``: its requests count as the scenario's). The
        steps are logged to suite.log; what failed comes back."""
        return self.restore(keep_flavors=True, conn=conn,
                            log=lambda line: LOG.info("%s", redaction.scrub(line)))

    def finish(self) -> list[str]:
        """From after_all. Problems are printed, and returned for the caller."""
        with self.guard.shielded():
            problems = self.restore() + self._verify_running(self.connect())
        for problem in problems:
            self._log(f"restore problem: {problem}")
        return problems

    def _on_interrupt(self, signum: int) -> None:
        self._log("restoring the cloud after the interrupt ...")
        conn = self.connect()
        problems = restore(conn, self.ledger, timeout=self.timeout, log=self._log, **self._faults())
        for problem in problems + self._verify_running(conn):
            self._log(f"restore problem: {problem}")

    def _verify_running(self, conn) -> list[str]:
        return verify_running(conn, self.ledger.services_changed_by_this_run(),
                              timeout=VERIFY_TIMEOUT, log=self._log,
                              start_compute=self.start_compute)

    def _faults(self) -> dict:
        """How ``restore`` puts back what the faults did."""
        return {"start_compute": self.start_compute, "undo_fault": self.undo_fault,
                "restore_placement_path": self.restore_placement_path,
                "listen": quiet_period(self.settings.report_interval)}

    def _log(self, line: str) -> None:
        self.log(redaction.scrub(line))


def begin(connect: Callable[[], object], settings: SuiteSettings, needs: Needs, *,
          start_compute: StartCompute | None = None, undo_fault: UndoFault | None = None,
          restore_placement_path: Callable[[], None] | None = None,
          log: Callable[[str], None] = print, runner=None, report_paths: tuple[str, ...] = ()) -> SafetyNet:
    """Everything before_all needs; raises one of ``START_ERRORS`` (one line each).

    ``runner`` (``context._runner``) lets the formatters' output be scrubbed;
    ``report_paths`` (report files, or directories holding only reports) are
    scrubbed of secrets when the process exits.
    """
    redaction.install_log_redaction()
    # Prints and tracebacks too: a step's print or an exception's text may
    # carry a token.
    redaction.redact_console()
    if runner is not None:
        redaction.redact_behave_output(runner)

    result = check_access(connect, needs, cap=settings.compute_max_microversion)
    conn = result.conn
    redaction.register_connection_secrets(conn)
    ledger = Ledger.open(settings.run_dir, cloud_key(conn), new_run_prefix())
    net = SafetyNet(connect=connect, settings=settings, ledger=ledger, guard=None,
                    preflight=result, start_compute=start_compute, undo_fault=undo_fault,
                    restore_placement_path=restore_placement_path, log=log)
    net.guard = interrupts.install(net._on_interrupt)
    # Registered after the guard, so it runs before the guard's exit-time
    # os._exit (atexit runs last-in first-out) and also after an interrupt.
    atexit.register(redaction.scrub_reports, report_paths)
    recover_earlier_run(conn, ledger, timeout=net.timeout, log=net._log,
                        shield=net.guard.shielded, **net._faults())
    check_resources(result, settings, needs)
    return net
