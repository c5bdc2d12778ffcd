"""SIGINT and SIGTERM lead to a restore and exit 130 / 143, and a second
signal never cuts the restore in half -- in a bare process and under behave."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.openstack_kit import wait_for_line

HERE = Path(__file__).parent
CHILD = HERE / "interrupt_child.py"


def start(marker, mode, **env):
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(marker), mode],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, **env},
    )


def wait_ready(child):
    assert child.stdout.readline().strip() == "ready"


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_in_a_step_restores_then_exits_128_plus_signum(tmp_path, signum, status):
    marker = tmp_path / "marker"
    child = start(marker, "step")
    wait_ready(child)
    child.send_signal(signum)
    out, err = child.communicate(timeout=30)
    assert child.returncode == status
    assert marker.read_text().splitlines() == [f"restore-start {signum}", f"restore-end {signum}"]
    assert "Traceback" not in err
    assert "exiting normally" not in out


def test_a_second_ctrl_c_during_the_restore_does_not_abort_it(tmp_path):
    marker = tmp_path / "marker"
    child = start(marker, "step", RESTORE_SECONDS="2")
    wait_ready(child)
    child.send_signal(signal.SIGINT)
    wait_for_line(marker, "restore-start")
    child.send_signal(signal.SIGINT)
    time.sleep(0.3)  # two signals that arrive together are delivered as one
    child.send_signal(signal.SIGTERM)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 130  # the first signal decides
    assert marker.read_text().splitlines() == ["restore-start 2", "restore-end 2"]
    assert err.count("restoring, please wait") == 2
    assert "Traceback" not in err


def test_a_signal_inside_a_shielded_restore_lets_it_finish_then_exits(tmp_path):
    marker = tmp_path / "marker"
    child = start(marker, "shielded")
    wait_ready(child)
    child.send_signal(signal.SIGTERM)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 143
    assert marker.read_text().splitlines() == [
        "shielded-start", "shielded-end", "after shield", "restore-start 15", "restore-end 15"]
    assert "restoring, please wait" in err


def test_without_a_signal_the_exit_status_is_untouched(tmp_path):
    marker = tmp_path / "marker"
    child = start(marker, "shielded", RESTORE_SECONDS="0")
    wait_ready(child)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0
    assert "restore-start" not in marker.read_text()
