"""One place that builds a run, from ``before_all``: settings, the suite's
log, the cloud (the embedded one started if chosen), the fault control, the
safety net and the suite -- each chosen once.

Every mistake found here is one line on stderr and exit code 2, before
anything is created (``fail_cleanly``).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from acceptance.cloud import fault_control as faults
from acceptance.cloud.connection import open_cloud
from acceptance.safety import net as safety
from acceptance.safety.preflight import fail_cleanly, needs_for
from acceptance.safety.safe_hosts import ForeignServersError
from acceptance.scenario.suite import build, log_to_run_dir
from acceptance.settings import EMBEDDED_RUN_DIR_KEY, SettingsError, resolve
from acceptance.tags import changes_host
from embedded_cloud.errors import CloudError
from embedded_cloud.services.nova import SERVICE_DOWN_TIME, UPDATE_RESOURCES_INTERVAL
from reports.junit import add_properties, report_files
from reports.junit_skips import add_skip_messages
from reports.request_counts import junit_properties

LOG = logging.getLogger("acceptance.run")


def start(context, say) -> None:
    """Set ``context.safety`` and ``context.suite``, or exit 2 with one line."""
    config, runner = context.config, context._runner
    try:
        settings = resolve(config.userdata, os.environ)
    except SettingsError as error:
        fail_cleanly(str(error))
    try:
        log_path = log_to_run_dir(settings.run_dir)
    except OSError as error:
        fail_cleanly(f"run_dir {settings.run_dir!r} cannot hold the suite's log and ledger "
                     f"({error.strerror or error}); pass -D run_dir=<a writable directory>")
    forget_old_junit_reports(config)
    try:
        cloud = open_cloud(settings, say)
    except CloudError as error:
        fail_cleanly(f"the embedded cloud did not start: {error}")
    except OSError as error:
        # e.g. the run directory is a file or not writable
        fail_cleanly(f"the embedded cloud cannot use its run directory ({error}); pass "
                     f"-D {EMBEDDED_RUN_DIR_KEY}=<a writable directory> or set EMBEDDED_CLOUD_DIR")
    control = faults.choose(settings, cloud.embedded)
    try:
        # Preflight, the ledger, SIGINT/SIGTERM handling, and the replay of a
        # ledger an earlier, killed run left against this cloud.
        context.safety = net = safety.begin(
            cloud.factory(), settings, needs_for(runner.features, config),
            start_compute=control.start_compute,
            restore_placement_path=(None if control.missing(faults.CUT_PLACEMENT_PATH)
                                    else control.restore_placement_path),
            log=say, runner=runner,
            report_paths=(config.junit_directory, *(output.name for output in config.outputs if output.name)),
        )
    except safety.StartError as error:
        fail_cleanly(str(error))
    context.suite = suite = build(settings, cloud, control, net.ledger, net.prefix,
                                  net.preflight.offered)
    hosts = suite.hosts
    if hosts.target and changes_a_host(context):
        try:
            net.check_host_is_ours(suite.conn, hosts.target)
        except ForeignServersError as error:
            fail_cleanly(str(error))
    say(
        f"suite run {suite.prefix}: cloud {cloud.name}, "
        f"target host {hosts.target or '-'}, other host {hosts.other or '-'}, "
        f"fault control {control.name}; request log {log_path}"
    )
    say(cloud_note(settings))


def cloud_note(settings) -> str:
    """What the cloud's own clean-ups could do to the checks (the report's cloud note)."""
    if settings.uses_embedded_cloud:
        return (f"cloud note: the embedded nova runs its periodic resource update every "
                f"{UPDATE_RESOURCES_INTERVAL} s and has service_down_time {SERVICE_DOWN_TIME} s: "
                "what a check sees freed, the operation freed; only forced_down takes a compute down")
    return ("cloud note: nova's periodic resource update (update_available_resource, 60 s by default) "
            "also frees allocations of deleted servers; a step that had to wait for them says so")


def changes_a_host(context) -> bool:
    """Will a selected scenario stop, force down or disable the target host?"""
    return any(
        changes_host(scenario.effective_tags)
        for feature in context._runner.features
        for scenario in feature.walk_scenarios()
        if scenario.should_run(context.config)
    )


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
    # behave writes each feature's JUnit file as the feature ends, so by now
    # every file of this run exists.
    if context.config.junit:
        add_properties(context.config.junit_directory, context.suite.junit_properties)
        add_skip_messages(context.config.junit_directory, context.suite.skip_reasons)
    return problems
