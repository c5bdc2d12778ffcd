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

from tests.suite.behave_run import junit_testcases, scenarios_by_feature

from .kit import PROJECT

FEATURES = PROJECT / "features"

TIMEOUT_SCALE = "0.34"  # server_deleted 31 s, heal 41 s, service_state 20 s, delete_frees 5.1 s
BEHAVE_TIMEOUT = 900

LOCAL_DELETE_STOPPED = "A local delete after nova-compute was stopped frees the allocations at once"
LOCAL_DELETE_KILLED = "A local delete after nova-compute was killed (kill -9) frees the allocations at once"
LOCAL_DELETE_FROZEN = "A local delete after nova-compute was frozen (SIGSTOP) frees the allocations at once"
HEAL = "Allocations left behind by a local delete are freed when nova-compute starts again"
NOTHING_TWICE = "Restarting nova-compute after a clean local delete frees nothing twice"
DISABLED = "Deleting a server on a disabled host is an ordinary delete"
EVACUATED_DELETE = "Deleting an evacuated server while its source host is down frees both hosts"
EVACUATED_SOURCE_RESTART = "The source host, started again, removes the evacuated server's allocations there"
SOURCE_UNFORCED = "The source host is un-forced only after it has started and cleaned up"
UNSHELVE_ELSEWHERE = "Unshelving onto the other host while the original host is down claims exactly the flavor there"
SHELVED_HOLDS_NOTHING = "A shelved and offloaded server holds no allocations"

# defect -> {scenario: a fragment of its failure message}
CATCHES = {
    "local-delete-keeps-allocations": {
        LOCAL_DELETE_STOPPED: 'allocations of server "doomed"',
        LOCAL_DELETE_KILLED: 'allocations of server "doomed"',
        LOCAL_DELETE_FROZEN: 'allocations of server "doomed"',
        NOTHING_TWICE: "usages of the target host",
    },
    "no-heal-on-startup": {
        HEAL: "the allocations were still there when the compute reported up",
    },
    "heal-only-periodic": {
        HEAL: "the allocations were still there when the compute reported up",
    },
    "compute-delete-keeps-allocations": {
        DISABLED: 'allocations of server "resident"',
        # The evacuated server lives on the other host, whose nova-compute
        # carries out its delete: the ordinary path again. (The leak of
        # "resident" is freed by the evacuation scenarios' restart of the
        # target host, before the heal feature runs.)
        EVACUATED_DELETE: 'allocations of server "evacuee"',
    },
    "disabled-means-down": {
        DISABLED: "but nova-api deleted it locally",
    },
    "ignore-forced-down": {
        # The delete went to the dead compute: the server hangs in deleting.
        LOCAL_DELETE_STOPPED: "task state deleting",
        LOCAL_DELETE_KILLED: "task state deleting",
        LOCAL_DELETE_FROZEN: "task state deleting",
        HEAL: "to be deleted",
        NOTHING_TWICE: "usages of the target host",
    },
    "evacuate-keeps-source-allocations": {
        EVACUATED_SOURCE_RESTART: 'allocations of server "evacuee"',
        SOURCE_UNFORCED: "usages of the target host",  # the source's usages stay raised
    },
    "unshelve-claims-old-host": {
        UNSHELVE_ELSEWHERE: 'allocations of server "shelved"',
    },
    # On a cloud that keeps shelved servers, where the suite offloads them
    # itself (NOVA_OPTIONS). The unshelve's claim adds to what the offload
    # left; the delete's scenario passes: nova-api's local delete frees all.
    "shelve-offload-keeps-allocations": {
        SHELVED_HOLDS_NOTHING: 'allocations of server "shelved"',
        UNSHELVE_ELSEWHERE: 'allocations of server "shelved"',
    },
}
# The nova options under which a defect's path is taken (default: the embedded cloud's own).
NOVA_OPTIONS = {"shelve-offload-keeps-allocations": ("DEFAULT.shelved_offload_time=-1",)}
SERVICE = {name: "nova-compute" for name in
           ("no-heal-on-startup", "heal-only-periodic", "compute-delete-keeps-allocations",
            "evacuate-keeps-source-allocations", "unshelve-claims-old-host",
            "shelve-offload-keeps-allocations")}
# the others are nova-api's


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
    session_cloud.ensure({SERVICE.get(defect, "nova-api"): defect}, NOVA_OPTIONS.get(defect, ()))
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
