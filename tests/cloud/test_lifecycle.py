"""up, status and down: idempotent, recovering, and leaving nothing behind.

These run on the session's cloud and leave it up and clean for later tests.
"""
from __future__ import annotations

import os
import signal
import socket

from hamcrest import assert_that, contains_string, equal_to, is_not, starts_with

from embedded_cloud.runtime import processes
from embedded_cloud.service_table import PROCESS_ORDER
from embedded_cloud.runtime.ports import accepts_connections
from embedded_cloud.state import State

from tests.openstack_kit import embedded_cloud_cli as cli


def _recorded(cloud) -> dict[str, processes.Started]:
    state = State.load(cloud.layout)
    return {name: processes.Started(r.pid, r.start_ticks) for name, r in state.processes.items()}


def test_a_second_up_finds_the_running_cloud(embedded_cloud):
    before = _recorded(embedded_cloud)
    result = cli(embedded_cloud.layout.root, "up")
    assert_that(result.returncode, equal_to(0))
    assert_that(result.stdout, contains_string("already running"))
    assert_that(_recorded(embedded_cloud), equal_to(before))


def test_a_dead_service_is_reported_with_its_log_and_up_brings_it_back(embedded_cloud):
    scheduler = _recorded(embedded_cloud)["nova-scheduler"]
    os.kill(scheduler.pid, signal.SIGKILL)  # ours: recorded by the cloud we started
    processes.wait_gone(scheduler, 10)

    status = cli(embedded_cloud.layout.root, "status")
    assert_that(status.returncode, equal_to(1))
    dead_line = next(line for line in status.stdout.splitlines() if line.startswith("nova-scheduler"))
    assert_that(dead_line, contains_string("DEAD"))
    assert_that(status.stdout, contains_string("    "))  # the log's tail, indented below it

    result = cli(embedded_cloud.layout.root, "up")
    assert_that(result.returncode, equal_to(0), result.stderr)
    assert_that(_recorded(embedded_cloud)["nova-scheduler"].pid, is_not(equal_to(scheduler.pid)))
    assert_that(embedded_cloud.dead_processes(), equal_to([]))


def test_down_stops_every_process_and_port_and_a_taken_port_moves_on_the_next_up(embedded_cloud):
    root = embedded_cloud.layout.root
    before = _recorded(embedded_cloud)
    ports = dict(State.load(embedded_cloud.layout).ports)

    assert_that(cli(root, "down").returncode, equal_to(0))
    assert_that([name for name, p in before.items() if processes.is_alive(p)], equal_to([]))
    assert_that([name for name, port in ports.items() if accepts_connections(port)], equal_to([]))
    # A cloud stopped by `down` is stopped, not dead.
    status = cli(root, "status")
    assert_that((status.returncode, [line.split()[1] for line in status.stdout.splitlines()
                                     if line.split()[0] in PROCESS_ORDER]),
                equal_to((0, ["stopped"] * len(PROCESS_ORDER))))

    # Somebody else takes Keystone's port while the cloud is down.
    squatter = socket.socket()
    squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    squatter.bind(("127.0.0.1", ports["keystone"]))
    squatter.listen()
    try:
        result = cli(root, "up")
        assert_that(result.returncode, equal_to(0), result.stderr)
        assert_that(result.stdout, contains_string(f"port {ports['keystone']} is taken now"))
        moved = State.load(embedded_cloud.layout).ports["keystone"]
        assert_that(moved, is_not(equal_to(ports["keystone"])))
        assert_that(embedded_cloud.layout.clouds_yaml.read_text(),
                    contains_string(f"http://127.0.0.1:{moved}/v3"))
    finally:
        squatter.close()
    embedded_cloud.state = State.load(embedded_cloud.layout)


def test_a_run_dir_left_by_a_killed_cloud_is_recovered(embedded_cloud):
    # kill -9 every process, as a crashed session would leave them: the
    # state file still names PIDs that are gone.
    for started in _recorded(embedded_cloud).values():
        if processes.is_alive(started):
            processes.kill(started)
    result = cli(embedded_cloud.layout.root, "up")
    assert_that(result.returncode, equal_to(0), result.stderr)
    assert_that(result.stdout, contains_string("warm start"))
    state = State.load(embedded_cloud.layout)
    assert_that(sorted(n for n in PROCESS_ORDER if not processes.is_alive(
        processes.Started(state.processes[n].pid, state.processes[n].start_ticks))), equal_to([]))
    embedded_cloud.state = state


def test_an_unknown_compute_host_is_one_line(embedded_cloud):
    result = cli(embedded_cloud.layout.root, "compute", "stop", "compute9")
    assert_that(result.returncode, equal_to(2))
    assert_that(result.stderr.strip(), starts_with("embedded-cloud: no compute host 'compute9'"))
    assert_that(len(result.stderr.strip().splitlines()), equal_to(1))
