"""The embedded cloud's computes under a supervisor modelled on systemd's
Restart= (embedded_cloud/runtime/supervisor.py, run by embedded_cloud/compute_supervisor.py): what each policy restarts, and
what it leaves down."""
from __future__ import annotations

import time

import pytest
from hamcrest import assert_that, contains_string, equal_to, starts_with

from embedded_cloud.runtime import processes, supervisor
from embedded_cloud.services import nova
from tests.openstack_kit import embedded_cloud_cli as cli

HOST = nova.COMPUTE_HOSTS[0]
NAME = nova.compute_process(HOST)
DELAY = 1  # RestartSec in these tests: short, the semantics are what is tested


def running_within(cloud, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        cloud.reload()
        if cloud.is_running(NAME):
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def supervised(embedded_cloud):
    yield embedded_cloud
    embedded_cloud.supervise_computes("")
    embedded_cloud.thaw_compute(HOST)  # a frozen compute takes no start: it is running
    embedded_cloud.start_compute(HOST)


@pytest.mark.parametrize("policy, restarted", [
    ("always", {"kill": True, "terminate": True, "stop": False}),
    ("on-failure", {"kill": True, "terminate": False, "stop": False}),
])
def test_each_policy_restarts_what_systemd_would(supervised, policy, restarted):
    cloud = supervised
    cloud.supervise_computes(f"{policy}:{DELAY}")
    assert_that(cloud.is_running(supervisor.SUPERVISOR), equal_to(True))
    faults = {"kill": cloud.kill_compute, "terminate": cloud.terminate_compute, "stop": cloud.stop_compute}
    for fault, expected in restarted.items():
        cloud.start_compute(HOST)
        faults[fault](HOST)
        # Restarted: within RestartSec and a start; held: still down well after RestartSec.
        assert_that(running_within(cloud, DELAY + 15 if expected else DELAY + 3), equal_to(expected),
                    f"{fault} under Restart={policy}")


def test_a_frozen_compute_is_alive_so_no_policy_restarts_it_and_a_thaw_resumes_it(supervised):
    cloud = supervised
    cloud.supervise_computes(f"always:{DELAY}")
    cloud.start_compute(HOST)
    before = cloud.state.processes[NAME]
    assert_that(cli(cloud.layout.root, "compute", "freeze", HOST).returncode, equal_to(0))
    time.sleep(DELAY + 3)  # well past RestartSec
    cloud.reload()
    assert_that(cloud.state.processes[NAME], equal_to(before))  # the same process: not restarted
    assert_that(processes.is_frozen(processes.Started(before.pid, before.start_ticks)), equal_to(True))
    assert_that(cli(cloud.layout.root, "status").stdout, contains_string(f"{NAME:<24} frozen (SIGSTOP)"))
    assert_that(cli(cloud.layout.root, "compute", "thaw", HOST).returncode, equal_to(0))
    assert_that(processes.is_frozen(processes.Started(before.pid, before.start_ticks)), equal_to(False))
    assert_that(cli(cloud.layout.root, "status").stdout, contains_string(f"{NAME:<24} running"))


def test_a_compute_that_does_not_run_cannot_be_frozen(supervised):
    cloud = supervised
    cloud.stop_compute(HOST)
    result = cli(cloud.layout.root, "compute", "freeze", HOST)
    assert_that(result.returncode, equal_to(2))
    assert_that(result.stderr.strip(), equal_to(
        f"embedded-cloud: {NAME} is not running: there is nothing to freeze; "
        f"start it with `embedded-cloud compute start {HOST}`"))


def test_status_shows_the_supervisor_and_down_stops_it_first(supervised):
    cloud = supervised
    cloud.supervise_computes("on-failure:2")
    status = cli(cloud.layout.root, "status")
    assert_that(status.stdout, contains_string("compute supervisor: Restart=on-failure, RestartSec=2 s"))
    assert_that(status.stdout, contains_string(f"{supervisor.SUPERVISOR:<24} running"))
    cloud.supervise_computes("")
    assert_that(cloud.is_running(supervisor.SUPERVISOR), equal_to(False))
    assert_that(cli(cloud.layout.root, "status").stdout, contains_string("compute supervisor: none"))


@pytest.mark.parametrize("policy", ["sometimes:3", "always:", "always:-1", "on-failure:soon"])
def test_an_unknown_supervisor_policy_is_one_line_naming_the_valid_ones(tmp_path, policy):
    result = cli(tmp_path / "cloud", "up", "--compute-supervisor", policy)
    assert_that(result.returncode, equal_to(2))
    assert_that(result.stderr.strip(), starts_with(f"embedded-cloud: --compute-supervisor {policy!r} is not"))
    assert_that(result.stderr, contains_string("always, on-failure"))
    assert_that(len(result.stderr.strip().splitlines()), equal_to(1))
    assert_that((tmp_path / "cloud").exists(), equal_to(False))
