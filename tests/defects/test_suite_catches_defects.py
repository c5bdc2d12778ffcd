"""The acceptance suite (features/) run against each defect: exactly the scenarios about
that defect fail, each with a message naming what went wrong; the clean cloud is green.

The clean run is the whole suite. A defect's run is the features that hold the
scenarios it must fail: every other scenario of those features must pass, so
a defect that breaks its neighbours shows; features where it can catch nothing
are left out, which keeps nine runs of the suite inside CI's time.

Timeouts are scaled down (TIMEOUT_SCALE): a defect makes scenarios wait out
their whole timeout, and on this cloud every change takes seconds, not minutes.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from embedded_cloud.defects.catalog import DEFECTS
from tests.suite.behave_run import junit_testcases, scenarios_by_feature

from .kit import PROJECT

FEATURES = PROJECT / "features"

TIMEOUT_SCALE = "0.34"  # server_deleted 31 s, heal 41 s, service_state 20 s, delete_frees 5.1 s
BEHAVE_TIMEOUT = 900

# Each defect declares the scenarios it must turn red, with a fragment of
# each failure message, and the nova options under which nova takes its path
# (embedded_cloud/defects/<module>.py, DEFECT).
CATCHES = {name: defect.catches for name, defect in DEFECTS.items()}


def as_counted(name: str) -> str:
    """An outline's examples run as "<scenario> -- @1.1 <examples name>" and
    count as their scenario."""
    return name.split(" -- @")[0]


def features_holding(scenarios) -> dict[Path, list[str]]:
    """The feature files that hold `scenarios`, each with all its scenarios' names."""
    holding = {path: [as_counted(s.name) for s in found]
               for path, found in scenarios_by_feature(FEATURES).items()
               if {as_counted(s.name) for s in found} & set(scenarios)}
    assert {name for names in holding.values() for name in names} >= set(scenarios), \
        f"a scenario of CATCHES is in no feature file: {sorted(scenarios)}"
    return holding


def run_suite(cloud, workdir, features=(FEATURES,)) -> tuple[dict[str, tuple[str, str]], str]:
    """behave as QA runs it, in a scratch copy of behave.ini; {scenario: (status, message)}."""
    shutil.copy(PROJECT / "behave.ini", workdir / "behave.ini")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    run = subprocess.run(
        [sys.executable, "-m", "behave", *map(str, features), "-f", "progress",
         "-D", f"embedded_cloud.run_dir={cloud.run_dir}", "-D", f"run_dir={workdir / 'run'}",
         "-D", f"timeout_scale={TIMEOUT_SCALE}"],
        cwd=workdir, env=env, capture_output=True, text=True, timeout=BEHAVE_TIMEOUT)
    results = {case["name"]: (case["status"], case["message"])
               for case in junit_testcases(workdir / "reports-out" / "junit")}
    return results, f"--- stdout\n{run.stdout[-5000:]}\n--- stderr\n{run.stderr[-3000:]}"


def failed(results) -> dict[str, str]:
    """{scenario: message} of those that did not pass, as counted (``as_counted``)."""
    return {as_counted(name): message for name, (status, message) in results.items()
            if status != "passed"}


@pytest.fixture
def clean_cloud(session_cloud):
    session_cloud.ensure({})
    return session_cloud


def test_clean_cloud_is_green(clean_cloud, tmp_path):
    results, output = run_suite(clean_cloud, tmp_path)
    assert len(results) >= 9, output
    assert failed(results) == {}, output


@pytest.mark.parametrize("defect", sorted(CATCHES))
def test_suite_catches(defect, session_cloud, tmp_path):
    session_cloud.ensure({DEFECTS[defect].service: defect}, DEFECTS[defect].nova_options)
    features = features_holding(CATCHES[defect])
    results, output = run_suite(session_cloud, tmp_path, features)
    # Every scenario of those features ran (each example row of an outline too).
    assert sorted(as_counted(name) for name in results) == \
        sorted(name for names in features.values() for name in names), output
    caught = failed(results)
    # Exactly these scenarios (all examples of an outline count as the scenario).
    assert set(caught) == set(CATCHES[defect]), output
    for scenario, fragment in CATCHES[defect].items():
        assert fragment in caught[scenario], f"{scenario}: {caught[scenario]!r}"
    session_cloud.restore()
