"""wsgi/serve.py: one process binds, loads and serves, with no master, and
outlives whoever started it; SIGTERM ends it cleanly."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from hamcrest import assert_that, equal_to

from embedded_cloud.runtime.ports import free_port

APP = '''
def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"served by " + str(__import__("os").getpid()).encode()]
'''


def _get(port: int, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                return answer.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _children(pid: int) -> list[str]:
    tasks = Path(f"/proc/{pid}/task")
    return [child for task in tasks.iterdir() for child in (task / "children").read_text().split()]


def _gone(pid: int, deadline: float) -> bool:
    """Exited: no process, or a zombie its parent (the shell) has not reaped."""
    while time.monotonic() < deadline:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            return True
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def server(tmp_path):
    """serve.py started by a shell, which exits once it serves (as `up` exits while the cloud runs)."""
    (tmp_path / "tiny_app.py").write_text(APP)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    parent = subprocess.Popen(
        ["sh", "-c", f'"{sys.executable}" -m embedded_cloud.wsgi.serve --bind 127.0.0.1:{port} '
                     f'--worker-class gthread --threads 2 --graceful-timeout 5 tiny_app:application '
                     f'> "{tmp_path}/serve.log" 2>&1 < /dev/null & echo $!; read line'],
        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    pid = int(parent.stdout.readline())
    try:
        yield port, pid, parent
    finally:
        parent.kill()
        parent.wait()
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_the_process_we_start_serves_with_no_master_and_outlives_its_parent(server):
    port, pid, parent = server
    assert_that(_get(port, time.monotonic() + 30), equal_to(f"served by {pid}"))
    parent.stdin.close()  # the shell reads end of file and exits
    parent.wait(timeout=10)
    # gunicorn's worker leaves when its parent changes ("Parent changed,
    # shutting down"), which it checks every second.
    time.sleep(2.5)
    assert_that(_get(port, time.monotonic() + 5), equal_to(f"served by {pid}"))
    assert_that(_children(pid), equal_to([]))


def test_sigterm_stops_it(server):
    port, pid, _ = server
    _get(port, time.monotonic() + 30)
    os.kill(pid, signal.SIGTERM)
    assert_that(_gone(pid, time.monotonic() + 15), equal_to(True))
