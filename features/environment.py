"""behave hooks: connect once, give each scenario a clean slate, and put the
cloud back as it was after each scenario, whatever happened in it."""

import logging
import os
import sys
from pathlib import Path

from acceptance import fault_control as faults
from acceptance import safety
from acceptance.cleanups import CleanupError, CleanupFailure, CleanupStack
from acceptance.cloud import EMBEDDED_RUN_DIR_KEY, start_embedded_cloud
from acceptance.junit_skips import add_skip_messages
from acceptance.preflight import fail_cleanly, needs_for
from acceptance.requirements import unmet
from acceptance.safe_hosts import ForeignServersError
from acceptance.settings import SettingsError, resolve
from acceptance.step_support import attach_timeline
from acceptance.suite import build, log_to_run_dir
from acceptance.world import World
from embedded_cloud.errors import CloudError
from embedded_cloud.services.nova import SERVICE_DOWN_TIME, UPDATE_RESOURCES_INTERVAL
from reports.junit import add_properties, report_files
from reports.request_counts import junit_properties


LOG = logging.getLogger("acceptance.run")


def say(line):
    print(line, file=sys.stderr, flush=True)


def say_uncaptured(line):
    """For what must reach the console even while behave captures a hook's
    output (a skip reason is shown only on failure otherwise)."""
    print(line, file=sys.__stderr__, flush=True)


def before_all(context):
    """Preflight, then the ledger and the interrupt guard, then the suite.

    Every mistake found here is one line on stderr and exit code 2, before
    anything is created (fail_cleanly).
    """
    try:
        settings = resolve(context.config.userdata, os.environ)
    except SettingsError as error:
        fail_cleanly(str(error))
    try:
        log_path = log_to_run_dir(settings.run_dir)
    except OSError as error:
        fail_cleanly(f"run_dir {settings.run_dir!r} cannot hold the suite's log and ledger "
                     f"({error.strerror or error}); pass -D run_dir=<a writable directory>")
    forget_old_junit_reports(context.config)
    embedded = None
    if settings.uses_embedded_cloud:
        run_dir = context.config.userdata.get(EMBEDDED_RUN_DIR_KEY) or None
        try:
            embedded = start_embedded_cloud(run_dir, say)
        except CloudError as error:
            fail_cleanly(f"the embedded cloud did not start: {error}")
        except OSError as error:
            # e.g. the run directory is a file or not writable
            fail_cleanly(f"the embedded cloud cannot use its run directory ({error}); pass "
                         f"-D {EMBEDDED_RUN_DIR_KEY}=<a writable directory> or set EMBEDDED_CLOUD_DIR")
    try:
        # Preflight, the ledger, SIGINT/SIGTERM handling, and the replay of a
        # ledger an earlier, killed run left against this cloud.
        control = faults.choose(settings, embedded)
        context.safety = net = safety.begin(
            safety.connector(settings, embedded), settings,
            needs_for(context._runner.features, context.config),
            start_compute=control.start_compute,
            restore_placement_path=(None if control.missing(faults.CUT_PLACEMENT_PATH)
                                    else control.restore_placement_path),
            log=say, runner=context._runner,
            report_paths=(context.config.junit_directory,
                          *(output.name for output in context.config.outputs if output.name)),
        )
    except safety.StartError as error:
        fail_cleanly(str(error))
    context.suite = suite = build(settings, context.config.userdata, ledger=net.ledger,
                                  progress=say, prefix=net.prefix, embedded=embedded)
    hosts = suite.hosts
    if hosts.target and changes_a_host(context):
        try:
            net.check_host_is_ours(suite.conn, hosts.target)
        except ForeignServersError as error:
            fail_cleanly(str(error))
    say(
        f"suite run {suite.prefix}: cloud {suite.cloud.name}, "
        f"target host {hosts.target or '-'}, other host {hosts.other or '-'}, "
        f"fault control {suite.fault_control.name}; request log {log_path}"
    )
    say(cloud_note(settings))


def cloud_note(settings):
    """What the cloud's own clean-ups could do to the checks (the report's cloud note)."""
    if settings.uses_embedded_cloud:
        return (f"cloud note: the embedded nova runs its periodic resource update every "
                f"{UPDATE_RESOURCES_INTERVAL} s and has service_down_time {SERVICE_DOWN_TIME} s: "
                "what a check sees freed, the operation freed; only forced_down takes a compute down")
    return ("cloud note: nova's periodic resource update (update_available_resource, 60 s by default) "
            "also frees allocations of deleted servers; a step that had to wait for them says so")


def changes_a_host(context):
    """Will a selected scenario stop, force down or disable the target host?"""
    return any(
        "changes-host" in scenario.effective_tags
        for feature in context._runner.features
        for scenario in feature.walk_scenarios()
        if scenario.should_run(context.config)
    )


def before_scenario(context, scenario):
    suite = context.suite
    suite.requests.reset()
    LOG.info("scenario: %s", scenario.name)
    context.world = World(cleanups=CleanupStack(report=say))
    reason = unmet(suite, scenario.effective_tags)
    if reason:
        say_uncaptured(f"\nSKIPPED {scenario.name}: {reason}")
        scenario.skip(reason)
        suite.skip_reasons[scenario.name] = reason


def after_scenario(context, scenario):
    suite, world = context.suite, context.world
    attach_timeline(context)
    # A second Ctrl-C must not cut the cleanups in half.
    with context.safety.shielded():
        failures = world.cleanups.run_all()
    # Whatever the cleanups missed (the ledger knows it): servers, services.
    failures += as_failures(context.safety.after_scenario())
    counts = suite.requests.counts()
    scenario.request_counts = counts
    suite.junit_properties[scenario.name] = junit_properties(counts)
    LOG.info("scenario %s: %s, %d requests", scenario.status.name, scenario.name, suite.requests.total())
    if failures:
        raise CleanupError(failures)


def after_all(context):
    suite = getattr(context, "suite", None)
    if suite is None:
        return  # before_all failed: nothing was created
    net = context.safety
    try:
        with net.shielded():
            failures = suite.run_cleanups.run_all()
    finally:
        # Everything still outstanding, flavors included; then every compute
        # the run touched must be sending heartbeats again.
        failures += as_failures(net.finish())
    # behave writes each feature's JUnit file as the feature ends, so by now
    # every file of this run exists.
    if context.config.junit:
        add_properties(context.config.junit_directory, suite.junit_properties)
        add_skip_messages(context.config.junit_directory, suite.skip_reasons)
    if failures:
        raise CleanupError(failures)


def as_failures(problems):
    """The safety net's one-line problems, reported like failed cleanups."""
    return [CleanupFailure("restore from the ledger", AssertionError(problem)) for problem in problems]


def forget_old_junit_reports(config):
    """A JUnit file left by an earlier run would be read by CI as this run's."""
    if config.junit and Path(config.junit_directory).is_dir():
        for path in report_files(config.junit_directory):
            path.unlink()
