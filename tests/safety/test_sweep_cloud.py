"""`suite-cleanup --sweep`, with no ledger at all, as after a CI container
died with its run dir: it finds what the suite marks, puts back what it can
know, lists the rest for a person, never touches a server without the
prefix, and refuses a user who is not admin in one line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from acceptance.safety.prefix import marked_reason, new_run_prefix
from tests.safety import cloud_kit as kit

PROJECT = kit.__file__.rsplit("/tests/", 1)[0]


def sweep(cloud, *args, cloud_name=None):
    command = [sys.executable, "-m", "acceptance.cleanup", "--sweep", "--timeout", "60", *args]
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    if cloud_name:
        command += ["--cloud", cloud_name]
        env["OS_CLIENT_CONFIG_FILE"] = str(cloud.layout.clouds_yaml)
    else:
        command += ["--embedded-dir", str(cloud.layout.root)]
    return subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def leftovers(safety_cloud, conn):
    """What a dead run left: a prefixed flavor and server, compute1 disabled
    with the suite's mark and forced down while it runs, compute2 stopped and
    forced down; and a member's server and an admin's server without the prefix."""
    member = kit.member(safety_cloud)
    prefix = new_run_prefix()
    public = kit.make_flavor(conn, f"sweep-test-{prefix}public")
    ours_flavor = kit.make_flavor(conn, prefix + "flavor", is_public=False)
    ours = kit.boot(conn, prefix + "server", public.id, host="compute1")
    theirs = kit.boot(member, "someone-elses-server", public.id)
    unprefixed = kit.boot(conn, "accept-notours-server", public.id)
    services = kit.services(conn)
    conn.compute.disable_service(services["compute1"].id,
                                 disabled_reason=marked_reason("acceptance suite: test", prefix))
    conn.compute.update_service_forced_down(services["compute1"].id, forced=True)
    safety_cloud.stop_compute("compute2")
    conn.compute.update_service_forced_down(services["compute2"].id, forced=True)
    try:
        yield prefix, ours, ours_flavor, [theirs, unprefixed]
    finally:
        kit.put_every_compute_back(safety_cloud, conn)
        for server in (ours, theirs, unprefixed):
            conn.compute.delete_server(server.id, ignore_missing=True)
        for server in (ours, theirs, unprefixed):
            conn.compute.wait_for_delete(server, wait=120)
        for flavor in (public, ours_flavor):
            conn.compute.delete_flavor(flavor.id, ignore_missing=True)


def test_a_sweep_puts_back_what_it_can_know_and_lists_the_rest(safety_cloud, conn, leftovers):
    prefix, ours, ours_flavor, not_ours = leftovers

    dry = sweep(safety_cloud, "--dry-run")
    assert dry.returncode == 1, dry.stdout + dry.stderr
    assert f"cleanup: would delete server {prefix}server ({ours.id})" in dry.stdout
    assert f"cleanup: would delete flavor {prefix}flavor ({ours_flavor.id})" in dry.stdout
    assert "cleanup: would un-force and enable compute service on compute1" in dry.stdout
    assert "compute2" not in " ".join(line for line in dry.stdout.splitlines() if "would" in line)
    for server in not_ours:
        assert server.id not in dry.stdout
    assert conn.compute.get_server(ours.id).status == "ACTIVE"  # the dry run changed nothing
    assert kit.services(conn)["compute1"].is_forced_down

    done = sweep(safety_cloud)
    assert done.returncode == 1, done.stdout + done.stderr  # compute2 is left for a person
    assert done.stderr == "", done.stderr
    people = [line for line in done.stdout.splitlines() if "for a person to decide" in line]
    assert any("compute2" in line and "forced down and sent no heartbeat" in line for line in people), people
    assert any("compute1" in line and "force it down again" in line for line in people), people

    assert conn.compute.find_server(ours.id, ignore_missing=True) is None
    assert conn.compute.find_flavor(ours_flavor.id, ignore_missing=True) is None
    for server in not_ours:
        assert conn.compute.get_server(server.id).status == "ACTIVE"
    services = kit.services(conn)
    assert (services["compute1"].status, services["compute1"].disabled_reason,
            services["compute1"].is_forced_down) == ("enabled", None, False)
    assert services["compute2"].is_forced_down  # no heartbeat: left as it was


def test_a_sweep_by_a_user_who_is_not_admin_is_one_line_and_exit_2(safety_cloud):
    result = sweep(safety_cloud, cloud_name="embedded-member")
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "needs admin credentials" in result.stderr
    assert result.stdout == ""
