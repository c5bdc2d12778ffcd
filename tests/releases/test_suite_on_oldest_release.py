"""The whole suite against the oldest release the embedded cloud runs
(2024.1, nova 29, eventlet), as a real-cloud user runs it: from a virtualenv
that holds only the suite's package, on clouds.yaml, command faults, nova's
audit through `embedded-cloud nova-manage`.

The same run as ``python -m benchmarks.releases --release 2024.1`` (one way
to do it). Its first use installs the release's virtualenv (kept between
runs in ~/.cache/embedded-cloud/releases). Every scenario must pass there
as on the newest release: the allocation code under test is the same
(docs/releases.md says where nova differs, and why no cell does).

Before it, on the same cloud just started, the heal scenario alone: a nova-api
that has not used Placement since it started cannot delete locally with its
path to Placement cut on this release (openstacksdk 3.0.0, before 4.11.0's
fix), and the suite must say so, not stop on an HTTP error.
"""

from __future__ import annotations

import subprocess

import pytest
from hamcrest import assert_that, has_entries, starts_with

from benchmarks.releases import _cli, run_release, run_suite, suite_venv
from tests.suite.behave_run import parsed_scenarios

OLDEST = "2024.1"
HEAL = "Allocations left behind by a local delete are freed when nova-compute starts again"


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return tmp_path_factory.mktemp("releases")


@pytest.fixture(scope="module")
def venv(root):
    return suite_venv(root)


@pytest.fixture(scope="module")
def fresh_oldest_cloud(root):
    """The oldest release, just started: its nova-api has not used Placement yet."""
    run_dir = root / OLDEST
    up = subprocess.run(_cli(run_dir, "up", "--release", OLDEST), capture_output=True, text=True)
    assert up.returncode == 0, (up.stdout + up.stderr)[-3000:]
    yield run_dir
    subprocess.run(_cli(run_dir, "down"), capture_output=True, text=True)


@pytest.fixture(scope="module")
def oldest_run(fresh_oldest_cloud, root, venv):
    run = run_release(OLDEST, root, keep=False, venv=venv)  # finds the cloud running, then downs it
    print(f"release {OLDEST}: suite {run.suite_s:.0f} s, RSS {run.rss_mib:.0f} MiB")
    return run


def test_a_fresh_nova_api_that_cannot_delete_with_placement_cut_is_explained(fresh_oldest_cloud, root, venv):
    heal = run_suite(fresh_oldest_cloud, root / "heal-first", venv, "-i", "compute.heal", "-n", HEAL)
    assert_that(heal.results, has_entries({HEAL: starts_with(
        'failed: nova-api answered 500 to the delete of server "doomed" while its path to Placement was cut')}))
    assert "an openstacksdk older than 4.11.0" in heal.results[HEAL], heal.console[-3000:]
    assert heal.exit_code == 1


def test_every_scenario_passes_on_the_oldest_release(oldest_run):
    assert "(cloud)" not in oldest_run.results, oldest_run.up_output[-3000:]
    assert oldest_run.results == {name: "passed" for name in parsed_scenarios()}
    assert oldest_run.exit_code == 0
