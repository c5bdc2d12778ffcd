"""The adminPass nova returns for a server the suite boots never reaches the
console, the JUnit files, the HTML report or suite.log -- even at DEBUG with
every log record sent straight to the console (--logging-level=DEBUG
--no-logcapture, and a root handler as a user's logging set-up would add),
where keystoneauth logs every response body, the create answer included."""

import os
import shutil
import subprocess
import sys

from tests.conftest import PROJECT

# The suite's own hooks and steps, a console log handler, and a scenario that boots a server.
ENVIRONMENT = ("import logging\nlogging.basicConfig(level=logging.DEBUG)\n"
               "from features.environment import *  # noqa: F401,F403\n")
STEPS = "from features.steps import compute_services, flavors, placement, servers  # noqa: F401\n"
FEATURE = """@admin
Feature: The guest's password at DEBUG
  Scenario: A server is booted while every DEBUG record goes to the console
    Given the Placement usages of every compute host are recorded as the baseline
    When the server "probe" is booted with that flavor
    Then the server "probe" becomes ACTIVE
    And the server "probe" holds exactly its flavor on the provider of its host
"""


def test_the_admin_pass_nova_returned_is_in_no_output_even_at_debug(safety_cloud, tmp_path):
    features = tmp_path / "leak-check"  # not "features": that name must import the project's
    (features / "steps").mkdir(parents=True)
    (features / "environment.py").write_text(ENVIRONMENT)
    (features / "steps" / "suite_steps.py").write_text(STEPS)
    (features / "admin_pass.feature").write_text(FEATURE)
    shutil.copy(PROJECT / "behave.ini", tmp_path / "behave.ini")
    seen = tmp_path / "admin-pass.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(ADMIN_PASS_FILE=str(seen), PYTHONPATH=str(PROJECT))
    run = subprocess.run(
        [sys.executable, str(PROJECT / "tests" / "safety" / "admin_pass_run.py"), str(features),
         "-D", f"embedded_cloud.run_dir={safety_cloud.layout.root}", "-D", f"run_dir={tmp_path / 'run'}",
         "--logging-level=DEBUG", "--no-logcapture"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    console = run.stdout + run.stderr
    assert run.returncode == 0, console[-6000:]

    passwords = [line for line in seen.read_text().splitlines() if line]
    assert len(passwords) == 1, "the boot returned an adminPass"
    # The create answer did reach the console (masked): the test looked
    # where a leak would be.
    assert '"adminPass": "***"' in console, console[-6000:]

    outputs = {"console": console}
    for folder in (tmp_path / "reports-out", tmp_path / "run"):
        outputs.update({str(p): p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file()})
    assert any("junit" in name for name in outputs) and any(name.endswith(".html") for name in outputs)
    assert any(name.endswith("suite.log") for name in outputs)
    leaks = {name for name, text in outputs.items() if passwords[0] in text}
    assert leaks == set()
