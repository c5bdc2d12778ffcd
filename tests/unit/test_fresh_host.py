"""bin/fresh-host: the tests' clouds see this host's OpenStack directories as a fresh machine has them.

The first release passed CI on a machine that had /etc/keystone/fernet-keys/
from earlier work, while the README's first command failed everywhere else.
bin/run-tests runs pytest through bin/fresh-host; these tests drive the script
itself on directories of their own, so they change nothing of the host.
"""
from __future__ import annotations

import os
import subprocess

from tests.openstack_kit import PROJECT

FRESH_HOST = str(PROJECT / "bin" / "fresh-host")
IS_ROOT = os.geteuid() == 0


def fresh_host(*argv: str, hide: list[str], ci: bool = False) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "FRESH_HOST_ACTIVE"}
    env.update(FRESH_HOST_HIDE=":".join(hide), CI="true" if ci else "")
    return subprocess.run([FRESH_HOST, *argv], capture_output=True, text=True, env=env, timeout=30)


def test_a_leftover_directory_is_empty_for_the_command_and_untouched_outside(tmp_path):
    leftover = tmp_path / "etc-keystone"
    (leftover / "fernet-keys").mkdir(parents=True)
    absent = tmp_path / "var-lib-nova"

    seen = fresh_host("ls", "-A", str(leftover), hide=[str(leftover), str(absent)])

    assert seen.returncode == 0, seen.stderr
    if IS_ROOT:
        assert seen.stdout == ""
        assert f"hidden from the command (empty here): {leftover}" in seen.stderr
    else:
        # Without root there is no mount namespace: the command runs as it is, and says so.
        assert seen.stdout == "fernet-keys\n"
        assert "not root" in seen.stderr
    # Nothing is created where nothing was, and nothing outside changes.
    assert not absent.exists()
    assert sorted(p.name for p in leftover.iterdir()) == ["fernet-keys"]


def test_the_command_runs_with_its_arguments_and_exit_status(tmp_path):
    seen = fresh_host("sh", "-c", 'echo "$1 $FRESH_HOST_ACTIVE"; exit 7', "sh", "two words",
                      hide=[str(tmp_path)])
    assert seen.returncode == 7
    assert seen.stdout == ("two words 1\n" if IS_ROOT else "two words \n")


def test_no_command_is_one_line_and_exit_2():
    seen = fresh_host(hide=[])
    assert seen.returncode == 2
    assert seen.stderr.strip().splitlines() == [
        "fresh-host: no command given; usage: bin/fresh-host COMMAND [ARG ...]"]


def test_the_default_list_covers_openstack_client_config_under_home(tmp_path):
    """Without FRESH_HOST_HIDE the default list applies; ~/.config/openstack is on it."""
    clouds = tmp_path / ".config" / "openstack"
    clouds.mkdir(parents=True)
    (clouds / "clouds.yaml").write_text("clouds: {}\n")
    env = {key: value for key, value in os.environ.items()
           if key not in ("FRESH_HOST_ACTIVE", "FRESH_HOST_HIDE")}
    env.update(HOME=str(tmp_path), CI="")
    seen = subprocess.run([FRESH_HOST, "ls", "-A", str(clouds)], capture_output=True, text=True,
                          env=env, timeout=30)
    assert seen.returncode == 0, seen.stderr
    assert seen.stdout == ("" if IS_ROOT else "clouds.yaml\n")
