"""Each deployment preset's commands, run for real: stand-in ssh, sudo,
systemctl, docker/podman, iptables and lxc tools (tests/deployments/
fake_tools.py) map them onto the embedded cloud's computes, run under the
supervisor policy that deployment tool writes (features/README.md,
"Presets"). Each preset's fault scenarios are green; the naive Kolla recipe
(`docker stop nova_compute` under Restart=always) is red with the message
that nova-compute came back on its own."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from tests.deployments.fake_tools import install
from tests.openstack_kit import IMAGE, os_environment
from tests.suite.behave_run import junit_testcases, run_behave, suite_leftovers
from tests.suite.test_suite_as_a_real_cloud_user import CLI, assert_nothing_left, usages

SSH = "ssh -o BatchMode=yes {host}"
# deployment -> (systemd unit, supervisor policy as its tool writes it, extra settings)
PRESETS = {
    "devstack": ("devstack@n-cpu.service", "none", []),
    "kolla": ("kolla-nova_compute-container.service", "always:11",
              ["-D", "container_engine=podman", "-D", "controller=controller1"]),
    "openstack-ansible": ("nova-compute.service", "on-failure:2", ["-D", "controller=controller1"]),
}
FAULT_FEATURES = "compute.local_delete|compute.heal"


@pytest.fixture
def supervised_cloud(embedded_cloud):
    yield embedded_cloud
    embedded_cloud.supervise_computes("")


def fake_tools_env(tmp_path: Path, cloud_dir: Path, unit: str, engine: str = "docker") -> dict:
    bin_dir = install(tmp_path / "fake-bin")
    return {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "FAKE_EMBEDDED_CLOUD": str(CLI), "EMBEDDED_CLOUD_DIR": str(cloud_dir),
        "FAKE_UNIT": unit, "FAKE_ENGINE": engine, "FAKE_TOOLS_LOG": str(tmp_path / "tools.log"),
    }


def run_preset(cloud, tmp_path, deployment, *args, **env):
    unit, _, extra = PRESETS[deployment]
    engine = "podman" if "container_engine=podman" in extra else "docker"
    started = time.monotonic()
    run = run_behave(
        tmp_path, cloud.layout.root,
        "-D", f"image={IMAGE}", "-D", "report_interval=1",
        "-D", f"deployment={deployment}", "-D", f"ssh={SSH}", *extra, *args,
        os_env=os_environment(cloud.layout.clouds_yaml),
        extra_env={**fake_tools_env(tmp_path, cloud.layout.root, unit, engine), **env},
    )  # fmt: skip
    print(f"{deployment} preset run ({' '.join(args[-2:])}): {time.monotonic() - started:.0f} s")
    return run


@pytest.mark.parametrize("deployment", list(PRESETS))
def test_each_presets_fault_scenarios_are_green_under_its_supervisor(
        supervised_cloud, admin_conn, tmp_path, deployment):
    cloud = supervised_cloud
    cloud.supervise_computes(PRESETS[deployment][1])
    usages_before = usages(admin_conn)
    run = run_preset(cloud, tmp_path, deployment, "--include", FAULT_FEATURES)
    assert run.returncode == 0, run.output()
    assert f"fault control command ({deployment} preset)" in run.stderr, run.output()
    cases = {c["name"]: c for c in junit_testcases(run.junit_dir)}
    heal = next(c for name, c in cases.items() if "freed when nova-compute starts again" in name)
    if deployment == "devstack":  # no safe cut: skipped, saying why
        assert heal["status"] == "skipped", run.output()
        assert heal["skip_message"].startswith("@placement-path: deployment=devstack has no safe Placement cut"), heal
    else:
        assert heal["status"] == "passed", run.output()
    others = [(name, c["status"]) for name, c in cases.items() if c is not heal]
    assert len(others) == 5 and all(status == "passed" for _, status in others), others
    calls = (tmp_path / "tools.log").read_text()
    # the kill was followed by the supervisor's stop, on the compute host, through ssh
    assert f"compute1 systemctl stop {PRESETS[deployment][0]}" in calls, calls
    # the freeze went through the preset's own command, and its thaw came before the start
    unit = PRESETS[deployment][0]
    freeze, thaw = (("podman pause nova_compute", "podman unpause nova_compute") if deployment == "kolla"
                    else (f"systemctl kill -s SIGSTOP {unit}", f"systemctl kill -s SIGCONT {unit}"))
    lines = calls.splitlines()
    frozen = lines.index(f"compute1 {freeze}")
    thawed = lines.index(f"compute1 {thaw}", frozen)
    assert f"compute1 systemctl start {unit}" in lines[thawed + 1:], calls
    assert_nothing_left(admin_conn, usages_before, run)


def test_the_naive_kolla_recipe_under_restart_always_fails_saying_nova_compute_came_back(
        supervised_cloud, admin_conn, tmp_path):
    cloud = supervised_cloud
    # Restart=always as Kolla's units; RestartSec 2 s rather than 11 s, so the
    # comeback falls inside this short scenario (while the suite waits for
    # silence, or in a later step: the same message either way).
    cloud.supervise_computes("always:2")
    usages_before = usages(admin_conn)
    naive = f"{SSH} sudo docker stop nova_compute"
    run = run_preset(cloud, tmp_path, "kolla", "-D", f"stop_compute_command={naive}",
                     "-D", "container_engine=docker", "--name", "was stopped frees",
                     FAKE_ENGINE="docker")
    assert run.returncode == 1, run.output()
    assert "note: -D stop_compute_command is given, so the kolla preset's" in run.stderr, run.output()
    assert run.stderr.count("note: -D stop_compute_command is given") == 1, run.output()
    # A step's failure if a step saw it, the after_scenario check's error if
    # the comeback came after the last step: never a pass either way.
    failed = [c for c in junit_testcases(run.junit_dir) if c["status"] not in ("passed", "skipped")]
    assert len(failed) == 1, run.output()
    message = failed[0]["message"]
    assert "nova-compute on compute1 came back on its own" in message, run.output()
    assert "s after the stop command (heartbeat at " in message, message
    assert "a supervisor restarts it (systemd Restart=, a container restart policy): stop it through " \
           "the supervisor, see the recipes" in message, message
    assert_nothing_left(admin_conn, usages_before, run)


@pytest.mark.parametrize("deployment, env, expected", [
    ("kolla", {"FAKE_SSH_DENY": "compute2"},
     "preflight: the fault command path to compute2 failed: `ssh -o BatchMode=yes compute2 'sudo systemctl "
     "cat kolla-nova_compute-container.service >/dev/null'` exited 255 (compute2: Permission denied (publickey).)"),
    ("openstack-ansible", {"FAKE_UNIT": "nova-compute-legacy.service"},
     "preflight: the fault command path to compute1 failed: `ssh -o BatchMode=yes compute1 'sudo systemctl "
     "cat nova-compute.service >/dev/null'` exited 1 (No files found for nova-compute.service.)"),
])
def test_a_fault_path_that_does_not_work_stops_the_run_before_anything_is_created(
        embedded_cloud, admin_conn, tmp_path, deployment, env, expected):
    started = time.monotonic()
    run = run_preset(embedded_cloud, tmp_path, deployment, "--include", "compute.local_delete", **env)
    took = time.monotonic() - started
    assert run.returncode == 2, run.output()
    lines = run.stderr.strip().splitlines()
    assert lines[-1].startswith(expected), run.output()
    assert [line for line in lines if line.startswith("preflight:")] == [lines[-1]], run.output()
    assert took < 15, f"the run took {took:.1f} s to refuse"
    print(f"refused in {took:.1f} s")
    assert suite_leftovers(admin_conn) == {"servers": [], "flavors": []}
