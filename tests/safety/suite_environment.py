"""The suite's hooks with the safety layer wired in, for testing the wiring
before features/environment.py carries it: copied as environment.py into a
scratch copy of features/, beside the project's own hooks renamed
project_environment.py. Each hook is the call site the suite itself needs
(see the ``# SAFETY`` lines)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import project_environment as project  # noqa: E402  the suite's own hooks
from project_environment import *  # noqa: E402,F401,F403  before_scenario etc. unchanged

from acceptance import fault_control as faults  # noqa: E402
from acceptance import safety  # noqa: E402
from acceptance.cloud import EMBEDDED_RUN_DIR_KEY, start_embedded_cloud  # noqa: E402
from acceptance.preflight import fail_cleanly, needs_for  # noqa: E402
from acceptance.settings import SettingsError, resolve  # noqa: E402


def before_all(context):
    try:
        settings = resolve(context.config.userdata, os.environ)
    except SettingsError as error:
        fail_cleanly(str(error))
    embedded = None
    if settings.uses_embedded_cloud:
        embedded = start_embedded_cloud(context.config.userdata.get(EMBEDDED_RUN_DIR_KEY) or None, project.say)
    fault_control = faults.choose(settings, embedded)
    try:  # SAFETY: preflight, ledger, interrupt guard, replay of an earlier run
        context.safety = safety.begin(
            safety.connector(settings, embedded), settings,
            needs_for(context._runner.features, context.config),
            start_compute=fault_control.start_compute,
            restore_placement_path=embedded.restore_placement_path if embedded else None,
            log=project.say, runner=context._runner,
            report_paths=(context.config.junit_directory,
                          *(o.name for o in context.config.outputs if o.name)),
        )
    except safety.StartError as error:
        fail_cleanly(str(error))
    project.before_all(context)
    # SAFETY: the suite's creations and service changes tell the ledger.
    suite = context.suite
    suite.creations.ledger = suite.services.ledger = context.safety.ledger


def after_scenario(context, scenario):
    try:
        with context.safety.shielded():  # SAFETY: a second Ctrl-C cannot cut the cleanups in half
            project.after_scenario(context, scenario)
    finally:
        problems = context.safety.after_scenario()  # SAFETY: what the cleanups missed
    if problems:
        raise AssertionError("the cloud could not be put back: " + "; ".join(problems))


def after_all(context):
    net = getattr(context, "safety", None)
    if net is None:
        return project.after_all(context)
    try:
        with net.shielded():
            project.after_all(context)
    finally:
        net.finish()  # SAFETY: everything left, flavors included
