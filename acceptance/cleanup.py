"""suite-cleanup (python -m acceptance.cleanup): put a cloud back after a run that could not
(SIGKILL, a machine crash, a restore that failed), by replaying its ledger.

    suite-cleanup                      the embedded cloud
    suite-cleanup --cloud mycloud      a clouds.yaml entry
    suite-cleanup --run-dir .run/suite --timeout 300
    suite-cleanup --dry-run            list what it would put back; change nothing
    suite-cleanup --sweep [--dry-run]  no ledger: find what runs left by their
                                                      marks (acceptance.safety.sweep); admin only

Exit status: 0 nothing left to undo, 1 problems remain (listed) -- with
--dry-run: something would be undone (listed); with --sweep: also when
something is left for a person to decide (listed) --, 2 the cloud or
ledger could not be used, or a sweep without admin (one line says why).
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys

from acceptance import faults, redaction
from acceptance.cloud import embedded
from acceptance.cloud.connection import cloud_access
from acceptance.cloud.waiters import quiet_period
from acceptance.safety import sweep
from acceptance.safety.ledger import Ledger, LedgerBusy, cloud_key, ledger_path, outstanding_from, read_records
from acceptance.safety.prefix import new_run_prefix
from acceptance.safety.preflight import PreflightError, explain
from acceptance.safety.restore import restore
from acceptance.settings import (DEFAULT_RUN_DIR, EMBEDDED_RUN_DIR_KEY, SettingsError, resolve,
                                 with_embedded_defaults)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="suite-cleanup",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--cloud", help="clouds.yaml entry (default: $OS_CLOUD, the OS_* "
                                        "variables, else the embedded cloud)")
    parser.add_argument("--run-dir", default=DEFAULT_RUN_DIR,
                        help=f"the suite's run dir holding the ledgers (default {DEFAULT_RUN_DIR})")
    parser.add_argument("--embedded-dir", help="the embedded cloud's run dir (default "
                                               "$EMBEDDED_CLOUD_DIR or .run/cloud)")
    parser.add_argument("--start-compute-command", metavar="TEMPLATE",
                        help="shell command with {host} that starts nova-compute on a host")
    for fault in faults.FAULTS.values():  # each undo the restore runs before a start (a thaw)
        if fault.undo is not None:
            parser.add_argument(f"--{fault.undo.key.replace('_', '-')}", metavar="TEMPLATE",
                                help=f"shell command with {{host}} that undoes a {fault.name} of "
                                     f"nova-compute on a host (the suite's -D {fault.undo.key})")
    parser.add_argument("--restore-placement-path-command", metavar="COMMAND",
                        help="shell command, run as given, that restores nova-api's path to "
                             "Placement (the suite's -D restore_placement_path_command)")
    parser.add_argument("--timeout", type=float, default=180.0,
                        help="seconds to wait for each kind of change (default 180)")
    parser.add_argument("--sweep", action="store_true",
                        help="no ledger: find servers and flavors named accept-<8 hex>-, compute "
                             "services the suite disabled or forced down, and put them back; list "
                             "what only a person can decide (admin credentials needed)")
    parser.add_argument("--dry-run", action="store_true",
                        help="list what would be put back, and change nothing: neither the "
                             "cloud nor the ledger")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings, connect, start_compute, undo_fault, restore_placement_path = _cloud(args)
        conn = connect()
        redaction.register_connection_secrets(conn)
        if args.sweep:
            return _sweep(conn, args, quiet_period(settings.report_interval))
        if args.dry_run:
            return _dry_run(ledger_path(args.run_dir, cloud_key(conn)))
        with Ledger.open(args.run_dir, cloud_key(conn), new_run_prefix()) as ledger:
            todo = ledger.outstanding()
            if not todo:
                print(f"cleanup: nothing to undo in {ledger.path}")
                return 0
            for line in todo.describe():
                print(f"cleanup: to undo: {line}")
            problems = restore(conn, ledger, timeout=args.timeout, start_compute=start_compute,
                               undo_fault=undo_fault,
                               restore_placement_path=restore_placement_path,
                               listen=quiet_period(settings.report_interval),
                               log=lambda line: print(redaction.scrub(line), flush=True))
    except (LedgerBusy, SettingsError, sweep.NotAdmin) as error:
        return _fail(str(error))
    except PreflightError as error:
        return _fail(str(error))
    except Exception as error:  # noqa: BLE001 - SDK/keystoneauth errors become one line
        return _fail(explain(error))
    except KeyboardInterrupt:
        print("cleanup: interrupted; run it again to finish", file=sys.stderr)
        return 130
    for problem in problems:
        print(f"cleanup: problem: {redaction.scrub(problem)}", file=sys.stderr)
    return 1 if problems else 0


def _sweep(conn, args, listen: float) -> int:
    found = sweep.find(conn, listen=listen, log=lambda line: print(f"cleanup: {line}", flush=True))
    verb = "would" if args.dry_run else "to do:"
    for line in found.describe():
        print(f"cleanup: {verb} {line}")
    problems = [] if args.dry_run or not found else sweep.put_back(
        conn, found, timeout=args.timeout, listen=listen,
        log=lambda line: print(redaction.scrub(line), flush=True))
    for line in found.for_a_person:
        print(f"cleanup: for a person to decide: {line}")
    for problem in problems:
        print(f"cleanup: problem: {redaction.scrub(problem)}", file=sys.stderr)
    if args.dry_run and found:
        print("cleanup: dry run: nothing was changed; run it without --dry-run to put these back")
    elif not (found or found.for_a_person):
        print("cleanup: the sweep found nothing the suite left")
    return 1 if (problems or found.for_a_person or (args.dry_run and found)) else 0


def _dry_run(path) -> int:
    """Read the ledger without opening it for writing (no lock file, no
    repair of a torn last line) and make no call that changes the cloud."""
    todo = outstanding_from(read_records(path))
    if not todo:
        print(f"cleanup: nothing to undo in {path}")
        return 0
    for line in todo.describe():
        print(f"cleanup: would undo: {redaction.scrub(line)}")
    print("cleanup: dry run: nothing was changed; run it without --dry-run to put these back")
    return 1


def _cloud(args):
    """(settings, connection factory, start_compute, undo_fault, restore_placement_path)
    for the cloud chosen as the suite chooses it (acceptance.settings). On the
    embedded cloud its published commands are the defaults; it is not started."""
    undo_keys = [fault.undo.key for fault in faults.FAULTS.values() if fault.undo is not None]
    given = {"cloud": args.cloud, EMBEDDED_RUN_DIR_KEY: args.embedded_dir,
             "start_compute_command": args.start_compute_command,
             **{key: getattr(args, key) for key in undo_keys}}
    settings = resolve({key: value for key, value in given.items() if value}, os.environ)
    facts = None
    if settings.uses_embedded_cloud:
        try:
            facts = embedded.facts(settings.embedded_run_dir)
        except embedded.EmbeddedCloudError as error:
            raise PreflightError(f"the embedded cloud cannot be read ({error}); pass "
                                 "--embedded-dir or --cloud NAME") from None
        settings = with_embedded_defaults(settings, facts.settings,
                                          facts.nova_setting("DEFAULT.report_interval"))
    start = settings.start_compute_command
    restore = args.restore_placement_path_command or settings.restore_placement_path_command
    for command in (start, restore, *(settings.compute_commands.get(key) for key in undo_keys)):
        redaction.register_command_secrets(command)

    def undo_fault(fault, host: str) -> None:
        template = settings.compute_commands.get(fault.undo.key)
        option = f"--{fault.undo.key.replace('_', '-')}"
        if template is None:
            raise RuntimeError(f"nova-compute on {host} was {fault.done} by the suite: pass {option}")
        _runner(template, option, args.timeout, host=True)(host)

    return (settings, cloud_access(settings, facts).factory(),
            _runner(start, "--start-compute-command", args.timeout, host=True), undo_fault,
            _runner(restore, "--restore-placement-path-command", args.timeout, host=False))


def _runner(template: str | None, option: str, timeout: float, *, host: bool):
    """A callable running ``template`` (``{host}`` filled when ``host``), or None."""
    if template is None:
        return None
    if host:
        return lambda name: _shell(template.format(host=shlex.quote(name)), option, timeout)
    return lambda: _shell(template, option, timeout)


def _shell(command: str, option: str, timeout: float) -> None:
    """Run a command option; its failure names the option, and shows the
    command masked (it may carry a password: redaction.mask_command)."""
    try:
        subprocess.run(command, shell=True, check=True, timeout=timeout)
    except subprocess.CalledProcessError as error:
        raise RuntimeError(f"{option}: `{redaction.mask_command(command)}` exited "
                           f"{error.returncode}") from None
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{option}: `{redaction.mask_command(command)}` did not finish in "
                           f"{timeout:g} s") from None


def _fail(message: str) -> int:
    # mask_command: the message may quote a command option.
    print(f"cleanup: {redaction.mask_command(message)}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
