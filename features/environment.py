"""behave hooks: connect once, give each scenario a clean slate, and put the
cloud back as it was after each scenario, whatever happened in it."""

import os
import sys
from pathlib import Path

from acceptance.cleanups import CleanupError, CleanupStack
from acceptance.requirements import unmet
from acceptance.settings import resolve
from acceptance.suite import build, log_to_run_dir
from acceptance.world import World
from reports.junit import add_properties, report_files
from reports.request_counts import junit_properties


def say(line):
    print(line, file=sys.stderr, flush=True)


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
    context.world = World(cleanups=CleanupStack(report=say))
    reason = unmet(suite, scenario.effective_tags)
    if reason:
        say(f"SKIPPED {scenario.name}: {reason}")
        scenario.skip(reason)
        context.world.skip_reason = reason


def after_scenario(context, scenario):
    suite, world = context.suite, context.world
    failures = world.cleanups.run_all()
    counts = suite.requests.counts()
    scenario.request_counts = counts
    properties = junit_properties(counts)
    if getattr(world, "skip_reason", None):
        properties.append(("skipped.reason", world.skip_reason))
    suite.junit_properties[scenario.name] = properties
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
    if failures:
        raise CleanupError(failures)


def forget_old_junit_reports(config):
    """A JUnit file left by an earlier run would be read by CI as this run's."""
    if config.junit and Path(config.junit_directory).is_dir():
        for path in report_files(config.junit_directory):
            path.unlink()
