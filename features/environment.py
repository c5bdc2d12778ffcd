"""behave hooks: build the run once, give each scenario a clean slate, and
put the cloud back as it was after each scenario, whatever happened in it."""

import logging
import sys

from behave.step_registry import registry

from acceptance.safety.restore import CleanupError
from acceptance.scenario import run, step_types
from acceptance.scenario.step_support import attach_timeline, faults_must_hold
from acceptance.scenario.world import World
from acceptance.tags import unmet

LOG = logging.getLogger("acceptance.run")

# The parse types of the step texts ({role:HostRole}, {outage:Outage}),
# registered once: behave loads this file before the step modules.
step_types.register()


def say(line):
    print(line, file=sys.stderr, flush=True)


def say_uncaptured(line):
    """For what must reach the console even while behave captures a hook's
    output (a skip reason is shown only on failure otherwise)."""
    print(line, file=sys.__stderr__, flush=True)


def before_all(context):
    """Build the run once (acceptance.scenario.run): any mistake is one line and exit 2."""
    run.start(context, say)
    faults_must_hold(registry)


def before_scenario(context, scenario):
    context.suite.requests.reset()
    context.suite.services.forget_held_faults()
    LOG.info("scenario: %s", scenario.name)
    context.world = World()
    reason = unmet(context.suite, scenario.effective_tags)
    if reason:
        say_uncaptured(f"\nSKIPPED {scenario.name}: {reason}")
        scenario.skip(reason)
        context.suite.skip_reasons[scenario.name] = reason


def after_scenario(context, scenario):
    attach_timeline(context)
    # The restore's start is the suite's own start too: a compute that came
    # back since the last step fails the scenario (after the restore).
    comeback = context.suite.services.comeback_before_restore()
    # Everything the scenario changed, from the ledger: servers, services.
    problems = context.safety.after_scenario(context.suite.conn)
    run.count_requests(context.suite, scenario)
    if comeback:
        raise comeback
    if problems:
        raise CleanupError(problems)


def after_all(context):
    if getattr(context, "suite", None) is None:
        return  # before_all failed: nothing was created
    problems = run.finish(context)
    if problems:
        raise CleanupError(problems)
