"""The suite run as on a cloud it did not start: the embedded cloud known
only by OS_* variables (no clouds.yaml, so no embedded fault control), the
image named, faults through -D command templates that call the embedded
cloud's own CLI, as `systemctl stop devstack@n-cpu` would on a DevStack.

A run with a stop command that does nothing (`true`) must fail as a fault
that did not happen, and leave nothing behind. (The whole suite's green run
on a cloud it did not start is tests/suite/test_suite_installed_alone.py:
from the suite's own package, on a clouds.yaml entry.)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from benchmarks.releases import fault_args
from tests.openstack_kit import IMAGE, os_environment
from tests.suite.behave_run import compute_services, junit_testcases, run_behave, suite_leftovers, usages

# The embedded cloud's command in this virtualenv (other tests build commands on it).
CLI = Path(sys.executable).parent / "embedded-cloud"
HEALTHY = {"status": "enabled", "state": "up", "forced_down": False}


def fault_commands(cloud_dir: Path, stop: str | None = None) -> list[str]:
    """The embedded cloud's own commands, given as -D settings as a real cloud's
    user gives theirs (``stop`` replaces the stop command)."""
    return fault_args(cloud_dir, **({"stop_compute_command": stop} if stop else {}))


def run_as_user(embedded_cloud, project, *args):
    started = time.monotonic()
    run = run_behave(
        project, embedded_cloud.layout.root,
        "-D", f"image={IMAGE}",
        # The embedded cloud's nova reports every second; a real cloud's every 10 s (the default).
        "-D", "report_interval=1",
        *args,
        os_env=os_environment(embedded_cloud.layout.clouds_yaml),
    )  # fmt: skip
    print(f"suite run as a real-cloud user ({' '.join(args[-2:])}): {time.monotonic() - started:.0f} s")
    return run


def assert_nothing_left(conn, usages_before, run):
    assert suite_leftovers(conn) == {"servers": [], "flavors": []}, run.output()
    assert compute_services(conn) == {host: HEALTHY for host in compute_services(conn)}, run.output()
    assert usages(conn) == usages_before, run.output()


@pytest.mark.parametrize("stop", ["true"])
def test_a_stop_command_that_does_nothing_fails_and_leaves_nothing_behind(
        embedded_cloud, admin_conn, tmp_path, stop):
    usages_before = usages(admin_conn)
    run = run_as_user(embedded_cloud, tmp_path, *fault_commands(embedded_cloud.layout.root, stop=stop),
                      "-D", "timeout.service_state=20", "--name", "was stopped frees")
    assert run.returncode == 1, run.output()
    assert "cloud: envvars (from OS_AUTH_URL)" in run.stderr, run.output()
    assert "the stop command exited 0 but nova-compute on compute1 still sends heartbeats" in run.stdout, \
        run.output()
    ran = [(c["name"], c["status"]) for c in junit_testcases(run.junit_dir) if c["status"] != "skipped"]
    assert [status for _, status in ran] == ["failed"], ran
    assert_nothing_left(admin_conn, usages_before, run)
