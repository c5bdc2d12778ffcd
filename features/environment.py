"""behave hooks: connect once, give each scenario a clean slate, and put the
cloud back as it was after each scenario, whatever happened in it."""

import logging
import os
import sys
from pathlib import Path

from acceptance.cleanups import CleanupError, CleanupStack
from acceptance.junit_skips import add_skip_messages
from acceptance.requirements import unmet
from acceptance.settings import resolve
from acceptance.suite import build, log_to_run_dir
from acceptance.world import World
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
    context.ledger = None  # wired by the ledger work
    settings = resolve(context.config.userdata, os.environ)
    log_path = log_to_run_dir(settings.run_dir)
    forget_old_junit_reports(context.config)
    context.suite = suite = build(settings, context.config.userdata, ledger=context.ledger, progress=say)
    hosts = suite.hosts
    say(
        f"suite run {suite.prefix}: cloud {suite.cloud.name}, "
        f"target host {hosts.target or '-'}, other host {hosts.other or '-'}, "
        f"fault control {suite.fault_control.name}; request log {log_path}"
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
    failures = world.cleanups.run_all()
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
    failures = suite.run_cleanups.run_all()
    # behave writes each feature's JUnit file as the feature ends, so by now
    # every file of this run exists.
    if context.config.junit:
        add_properties(context.config.junit_directory, suite.junit_properties)
        add_skip_messages(context.config.junit_directory, suite.skip_reasons)
    if failures:
        raise CleanupError(failures)


def forget_old_junit_reports(config):
    """A JUnit file left by an earlier run would be read by CI as this run's."""
    if config.junit and Path(config.junit_directory).is_dir():
        for path in report_files(config.junit_directory):
            path.unlink()
