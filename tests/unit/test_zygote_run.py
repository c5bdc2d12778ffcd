"""The zygote's "run" request (embedded_cloud/runtime/zygote.py), with a tiny command instead of nova:
the caller's files, the exit code, the output captured, the timeout."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from embedded_cloud.runtime import zygote

PROJECT = Path(__file__).resolve().parents[2]
COMMAND = "tests.unit.zygote_command"
# The zygote's serve(), without nova's import; it runs only modules of this package.
SERVER = ("import sys; from pathlib import Path; from embedded_cloud.runtime import zygote; "
          "zygote.PACKAGE = 'tests.unit.'; zygote.serve(Path(sys.argv[1]))")


@pytest.fixture(scope="module")
def socket_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("zygote") / "z.sock"
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(path)], cwd=PROJECT,
                              env={**os.environ, "PYTHONPATH": str(PROJECT)},
                              stdout=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    while not zygote.ready(path):
        assert server.poll() is None and time.monotonic() < deadline, "the zygote did not start"
        time.sleep(0.05)
    yield path
    server.kill()
    server.wait()


def argv(*args):
    return [sys.executable, "-m", COMMAND, *args]


def env(**extra):
    return {**os.environ, "PYTHONPATH": str(PROJECT), **extra}


def test_the_command_gets_its_argv_environment_directory_and_files(socket_path, tmp_path):
    done = zygote.run_captured(socket_path, argv("echo", "3"), env(ZYGOTE_TEST="seen"), tmp_path,
                               timeout=60)
    assert done.returncode == 3
    assert done.stdout == f"argv=['echo', '3'] cwd={tmp_path} env=seen\n"
    assert done.stderr == "stdin=''\n"
    assert done.args == argv("echo", "3")


def test_output_larger_than_a_pipe_is_captured_whole(socket_path, tmp_path):
    done = zygote.run_captured(socket_path, argv("big", "1000000"), env(), tmp_path, timeout=60)
    assert (done.returncode, len(done.stdout)) == (0, 1000000)


def test_files_passed_by_the_caller_are_the_commands_own(socket_path, tmp_path):
    log = tmp_path / "log"
    with open(os.devnull, "rb") as stdin, open(log, "wb") as out:
        code = zygote.run(socket_path, argv("echo", "0"), env(ZYGOTE_TEST="logged"), tmp_path,
                          (stdin.fileno(), out.fileno(), out.fileno()), timeout=60)
    assert code == 0
    assert log.read_text() == f"argv=['echo', '0'] cwd={tmp_path} env=logged\nstdin=''\n"


def test_sys_exit_with_a_message_is_exit_1_and_the_message(socket_path, tmp_path):
    done = zygote.run_captured(socket_path, argv("exit", "no such thing"), env(), tmp_path, timeout=60)
    assert (done.returncode, done.stderr) == (1, "no such thing\n")


def test_on_timeout_the_command_is_killed(socket_path, tmp_path):
    pid_file = tmp_path / "pid"
    with pytest.raises(subprocess.TimeoutExpired):
        zygote.run_captured(socket_path, argv("sleep", str(pid_file)), env(), tmp_path, timeout=2)
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 30
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(f"/proc/{pid}").exists()


def test_a_command_killed_by_a_signal_has_its_negative_number(socket_path, tmp_path):
    pid_file = tmp_path / "pid"
    pid_file.touch()

    def kill_when_started():
        while not pid_file.read_text():
            time.sleep(0.05)
        os.kill(int(pid_file.read_text()), signal.SIGTERM)

    import threading

    killer = threading.Thread(target=kill_when_started)
    killer.start()
    done = zygote.run_captured(socket_path, argv("sleep", str(pid_file)), env(), tmp_path, timeout=60)
    killer.join()
    assert done.returncode == -signal.SIGTERM


def test_a_module_outside_the_package_is_refused(socket_path, tmp_path):
    done = zygote.run_captured(socket_path, [sys.executable, "-m", "os"], env(), tmp_path, timeout=60)
    assert done.returncode == 1 and "not a module of the embedded cloud: os" in done.stderr


def test_without_a_zygote_nothing_runs_and_it_says_so(tmp_path):
    with pytest.raises(zygote.Unavailable):
        zygote.run_captured(tmp_path / "none.sock", argv("echo", "0"), env(), tmp_path, timeout=60)


def test_the_cpu_of_ended_commands_is_read_back_from_the_log():
    log = "\n".join(["zygote: forked pid 7: nova-compute nova.cmd.compute:main",
                     zygote.ENDED.format(pid=8, code=0, cpu=0.5),
                     zygote.ENDED.format(pid=9, code=-9, cpu=1.25), ""])
    assert zygote.commands_cpu(log) == 1.75
