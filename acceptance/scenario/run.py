"""One place that builds a run, from ``before_all``: settings, the suite's
log, the cloud (the embedded one started if chosen), the fault control, the
safety net and the suite -- each chosen once.

Every mistake found here is one line on stderr and exit code 2, before
anything is created (``stop``), and a JUnit file with one failing testcase
named for the check, so CI always has a report to show.

behave hands before_all no list of the features it will run, and its
Context has no public attribute for them: ``context._runner.features`` is
the only way to know, before anything is created, what the selected
scenarios need (their tags).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
from pathlib import Path

from behave.model_core import Status

from acceptance import redaction
from acceptance.cloud import fault_control as faults
from acceptance.cloud.connection import open_cloud
from acceptance.cloud.embedded import EmbeddedCloudError
from acceptance.cloud.nova_settings import cloud_note
from acceptance.safety import net as safety
from acceptance.safety.ledger import LedgerBusy
from acceptance.safety.preflight import PreflightError, fail_cleanly, needs_for, one_line
from acceptance.safety.probes import ProbeError, probe, probes_for
from acceptance.safety.restore import RecoveryError
from acceptance.safety.safe_hosts import ForeignServersError
from acceptance.scenario import leftover_guests
from acceptance.scenario.suite import build, log_to_run_dir
from acceptance.settings import EMBEDDED_RUN_DIR_KEY, SettingsError, resolve, with_embedded_defaults
from acceptance.tags import changes_host
from reports.junit import add_properties, report_files
from reports.junit_skips import add_skip_messages
from reports.junit_stops import write_stopped_run
from reports.request_counts import junit_properties

LOG = logging.getLogger("acceptance.run")


def start(context, say) -> None:
    """Set ``context.safety`` and ``context.suite``, or exit 2 with one line."""
    config, runner = context.config, context._runner
    forget_old_junit_reports(config)
    context.selected = {scenario.name: scenario for scenario in selected(context)}
    try:
        settings = resolve(config.userdata, os.environ)
    except SettingsError as error:
        stop(config, "settings", redaction.mask_command(str(error)))  # it may quote a command setting
    for command in settings.commands().values():
        redaction.register_command_secrets(command)
    try:
        log_path = log_to_run_dir(settings.run_dir)
    except OSError as error:
        stop(config, "run_dir", f"run_dir {settings.run_dir!r} cannot hold the suite's log and ledger "
                                f"({error.strerror or error}); pass -D run_dir=<a writable directory>")
    try:
        cloud = open_cloud(settings, say)
    except EmbeddedCloudError as error:
        stop(config, "embedded cloud", error)
    except OSError as error:
        # e.g. the command cannot be run
        stop(config, "embedded cloud",
             f"the embedded cloud cannot be started ({error}); pass "
             f"-D {EMBEDDED_RUN_DIR_KEY}=<a writable directory> or name a cloud with -D cloud=NAME")
    if cloud.facts is not None:
        settings = with_embedded_defaults(settings, cloud.facts.settings,
                                          cloud.facts.nova_setting("DEFAULT.report_interval"))
    control = faults.choose(settings)
    try:
        # Preflight, the ledger, SIGINT/SIGTERM handling, and the replay of a
        # ledger an earlier, killed run left against this cloud.
        context.safety = net = safety.begin(
            cloud.factory(), settings, needs_for(runner.features, config),
            start_compute=control.start_compute, undo_fault=control.undo,
            restore_placement_path=(None if control.missing(faults.CUT_PLACEMENT_PATH)
                                    else control.restore_placement_path),
            log=say, runner=runner,
            report_paths=(config.junit_directory, *(output.name for output in config.outputs if output.name)),
        )
    except safety.START_ERRORS as error:
        stop(config, check_of(error), error)
    context.suite = suite = build(settings, cloud, control, net.ledger, net.prefix,
                                  net.preflight.offered, check_host=net.check_host_is_ours)
    hosts = suite.hosts
    if changes_a_host(context):
        try:  # the fault path of each host the run may touch, before anything is created
            probe(probes_for(settings, [h for h in (hosts.target, hosts.other) if h]))
        except ProbeError as error:
            stop(config, "fault commands", error)
    if hosts.target and changes_a_host(context):
        try:
            net.check_host_is_ours(suite.conn, hosts.target)
        except ForeignServersError as error:
            stop(config, "target host", error)
    say(
        f"suite run {suite.prefix}: cloud {cloud.name}, "
        f"target host {hosts.target or '-'}, other host {hosts.other or '-'}, "
        f"fault control {control.name}"
        + (f" ({settings.deployment} preset)" if settings.deployment else "")
        + f"; request log {log_path}"
    )
    for line in settings.preset_notes:  # an explicit command over the preset's, said once
        say(line)
    say(cloud_note(suite.nova_settings))


def stop(config, check: str, message) -> None:
    """End the run in before_all: the JUnit file CI reads (testcase
    ``check``, failed with the one-line message), then one line and exit 2."""
    if config.junit:
        with contextlib.suppress(OSError):  # an unwritable directory must not hide the line
            write_stopped_run(config.junit_directory, check, one_line(message))
    fail_cleanly(str(message))


def check_of(error: BaseException) -> str:
    """The check a start-up error comes from, as its JUnit testcase is named."""
    if isinstance(error, PreflightError):
        return error.check
    if isinstance(error, LedgerBusy):
        return "ledger"
    if isinstance(error, RecoveryError):
        return "earlier run's ledger"
    return "preflight"


def changes_a_host(context) -> bool:
    """Will a selected scenario stop, force down or disable the target host?"""
    return any(changes_host(scenario.effective_tags) for scenario in selected(context))


def selected(context) -> list:
    """The scenarios this run's --tags/--name select (asked before they run:
    behave's own skips change the answer)."""
    return [scenario for feature in context._runner.features
            for scenario in feature.walk_scenarios() if scenario.should_run(context.config)]


def interrupted_reasons(context) -> dict[str, str]:
    """Scenario name -> why it did not run, for the selected scenarios an
    interrupt kept from running (behave reports them as skipped)."""
    signum = context.safety.guard.signum
    if signum is None:
        return {}
    why = f"not run: the run was interrupted ({signal.Signals(signum).name}) before this scenario"
    return {name: why for name, scenario in context.selected.items()
            if scenario.status in (Status.untested, Status.skipped)
            and name not in context.suite.skip_reasons}


def forget_old_junit_reports(config) -> None:
    """A JUnit file left by an earlier run would be read by CI as this run's."""
    if config.junit and Path(config.junit_directory).is_dir():
        for path in report_files(config.junit_directory):
            path.unlink()


def count_requests(suite, scenario) -> None:
    """The scenario's requests, for the reports (and suite.log)."""
    counts = suite.requests.counts()
    scenario.request_counts = counts
    suite.junit_properties[scenario.name] = junit_properties(counts)
    LOG.info("scenario %s: %s, %d requests", scenario.status.name, scenario.name, suite.requests.total())


def finish(context) -> list[str]:
    """From after_all: put back everything still outstanding (flavors
    included; every compute the run touched must send heartbeats again),
    then complete the JUnit files. The problems left, one line each."""
    problems = context.safety.finish()
    suite = context.suite
    for line in leftover_guests.summary(suite.local_deletes, embedded=suite.settings.uses_embedded_cloud):
        # behave captures after_all's output (shown only on failure): the real stderr.
        print(redaction.scrub(line), file=sys.__stderr__, flush=True)
        LOG.info("%s", line)
    # behave writes each feature's JUnit file as the feature ends, so by now
    # every file of this run exists.
    if context.config.junit:
        add_properties(context.config.junit_directory, context.suite.junit_properties)
        add_skip_messages(context.config.junit_directory,
                          {**interrupted_reasons(context), **context.suite.skip_reasons})
    return problems
