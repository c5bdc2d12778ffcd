"""The interrupt guard under a real behave 1.3 run (no cloud): wherever the
signal lands -- a step, a cleanup, a hook, the final restore -- the restore
runs, reports are written and behave exits 130 (SIGINT) or 143 (SIGTERM)."""

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.openstack_kit import wait_for_line

BEHAVE = [sys.executable, "-m", "behave"]

ENVIRONMENT = '''
import os, time
from acceptance.safety import interrupts

MARKER = os.environ["MARKER"]

def note(text):
    with open(MARKER, "a") as file:
        file.write(text + "\\n")

def restore(origin):
    note(f"restore-start {origin}")
    time.sleep(float(os.environ.get("RESTORE_SECONDS", "0.5")))
    note(f"restore-end {origin}")

def before_all(context):
    context.guard = interrupts.install(lambda signum: restore(f"interrupt {signum}"))

def after_scenario(context, scenario):
    if os.environ["WHERE"] == "after_scenario":
        note("ready"); time.sleep(30)

def after_all(context):
    note("after_all")
    with context.guard.shielded():
        if os.environ["WHERE"] == "after_all":
            note("ready")
        restore("after_all")
'''

STEPS = '''
import os, time
from behave import given
from environment import note

@given("a step")
def step(context):
    where = os.environ["WHERE"]
    if where == "step":
        note("ready"); time.sleep(30)
    if where == "cleanup":
        def slow_cleanup():
            note("ready"); time.sleep(30)
        context.add_cleanup(lambda: note("second cleanup"))  # runs after slow_cleanup: skipped by behave
        context.add_cleanup(slow_cleanup)
'''

FEATURE = '''Feature: interrupted
  Scenario: first
    Given a step
  Scenario: second
    Given a step
'''


@pytest.fixture
def project(tmp_path):
    (tmp_path / "features" / "steps").mkdir(parents=True)
    (tmp_path / "features" / "environment.py").write_text(ENVIRONMENT)
    (tmp_path / "features" / "steps" / "steps.py").write_text(
        "import sys, os\nsys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))\n" + STEPS)
    (tmp_path / "features" / "interrupted.feature").write_text(FEATURE)
    return tmp_path


def run(project, where, signum, *, second=None, restore_seconds="0.5"):
    marker = project / "marker"
    child = subprocess.Popen(
        [*BEHAVE, "--junit", "--junit-directory", str(project / "junit"), "-f", "plain",
         "features"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "MARKER": str(marker), "WHERE": where,
             "RESTORE_SECONDS": restore_seconds},
    )
    wait_for_line(marker, "ready", timeout=30)
    child.send_signal(signum)
    if second is not None:
        wait_for_line(marker, "restore-start", timeout=30)
        time.sleep(0.3)  # two signals that arrive together are delivered as one
        child.send_signal(second)
    out, err = child.communicate(timeout=60)
    return child.returncode, marker.read_text().splitlines(), out, err




@pytest.mark.parametrize("where", ["step", "cleanup", "after_scenario"])
@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_anywhere_in_a_scenario_restores_and_exits(project, where, signum, status):
    code, marks, out, err = run(project, where, signum)
    assert code == status, err
    # after_all's own restore, then the exit-time one (idempotent in a real run).
    assert marks == ["ready", "after_all", "restore-start after_all", "restore-end after_all",
                     f"restore-start interrupt {signum}", f"restore-end interrupt {signum}"]
    assert "Traceback" not in err
    assert list((project / "junit").glob("*.xml")), "behave still writes its reports"


def test_a_ctrl_c_during_the_final_restore_lets_it_finish(project):
    code, marks, out, err = run(project, "after_all", signal.SIGINT, second=signal.SIGINT,
                                restore_seconds="2")
    assert code == 130
    assert marks == ["after_all", "ready", "restore-start after_all", "restore-end after_all",
                     "restore-start interrupt 2", "restore-end interrupt 2"]
    assert err.count("restoring, please wait") == 2
