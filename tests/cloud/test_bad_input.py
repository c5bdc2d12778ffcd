"""Mistakes a user can make, each answered in one line with the fix, and nothing left behind.

No cloud is started here.
"""
from __future__ import annotations

import subprocess
import sys

import pytest
from hamcrest import assert_that, contains_string, equal_to, starts_with

from embedded_cloud.runtime import processes
from embedded_cloud.state import ProcessRecord, State
from embedded_cloud.layout import Layout

from tests.openstack_kit import embedded_cloud_cli as cli


def test_a_missing_debian_package_names_the_install_command(tmp_path):
    run_dir = tmp_path / "cloud"
    result = cli(run_dir, "up", env={"EMBEDDED_CLOUD_SEARCH_PATH": str(tmp_path / "empty")})
    assert_that(result.returncode, equal_to(2))
    lines = result.stderr.strip().splitlines()
    assert_that(len(lines), equal_to(1))
    assert_that(lines[0], contains_string("apt-get install -y rabbitmq-server mariadb-server"))
    assert_that(run_dir.exists(), equal_to(False))


def test_an_unknown_defect_lists_the_known_ones(tmp_path):
    result = cli(tmp_path / "cloud", "up", "--defect", "nova-api=no-such-defect")
    assert_that(result.returncode, equal_to(2))
    assert_that(result.stderr.strip(), starts_with("embedded-cloud: unknown defect 'no-such-defect'"))
    assert_that(len(result.stderr.strip().splitlines()), equal_to(1))


def test_a_truncated_state_file_counts_as_no_cloud(tmp_path):
    layout = Layout.resolve(tmp_path)
    layout.root.mkdir(parents=True, exist_ok=True)
    layout.state_file.write_text('{"version": 1, "ports": {"keyst')
    assert_that(State.load(layout), equal_to(State()))


def test_down_never_signals_a_pid_that_now_belongs_to_somebody_else(tmp_path):
    # A state file naming a live PID with another start time: the kernel gave
    # that PID to a process that is not ours.
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        layout = Layout.resolve(tmp_path)
        state = State(initialized=True, processes={"keystone": ProcessRecord(
            pid=bystander.pid, start_ticks=processes.start_ticks(bystander.pid) - 1, started_at=0.0)})
        state.save(layout)
        result = cli(tmp_path, "down")
        assert_that(result.returncode, equal_to(0), result.stderr)
        assert_that(bystander.poll(), equal_to(None))
    finally:
        bystander.kill()
        bystander.wait()


@pytest.mark.parametrize("option, line", [
    ("reclaim_instance_interval=3600",  # no section
     "embedded-cloud: --nova-option 'reclaim_instance_interval=3600' is not SECTION.KEY=VALUE; "
     "e.g. --nova-option DEFAULT.reclaim_instance_interval=3600"),
    ("DEFAULT.no_such_key=1",  # an option nova does not know
     "embedded-cloud: --nova-option DEFAULT.no_such_key: nova has no option 'no_such_key' in [DEFAULT]; "
     "nova would ignore it. Name an option of nova's configuration reference"),
])
def test_a_bad_nova_option_is_one_line_and_exit_2_before_anything_starts(tmp_path, option, line):
    run_dir = tmp_path / "cloud"
    result = cli(run_dir, "up", "--nova-option", option)
    assert_that(result.returncode, equal_to(2))
    assert_that(result.stderr.strip().splitlines(), equal_to([line]))
    assert_that(run_dir.exists(), equal_to(False))
