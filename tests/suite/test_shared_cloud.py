"""A shared cloud: someone else boots a server on the other host while the
suite checks that only the host it took down changes. The suite compares
that host's usages less the changes of consumers that are not its own, so
the scenario passes, and the foreign change is reported as a note.

And someone else's server lands on the target host while the suite's own
server is building there: the fault step fails naming it, the fault is not
made, the restore runs."""

from __future__ import annotations

import html
import re
import threading

from openstack import exceptions

from tests.openstack_kit import IMAGE, boot, wait_until
from tests.suite.behave_run import compute_services, junit_testcases, run_behave, suite_leftovers

SCENARIO = "Only the host that went down changes"
FOREIGN = "shared-cloud-test-foreign"  # no run prefix: not the suite's
OTHER_HOST = "compute2"


def booted_when_the_target_is_forced_down(conn, suite_log, flavor_id, booted):
    """Boot the foreign server once the scenario forced its target down:
    after its baseline, before its checks of the other host."""
    def forced_down():
        text = suite_log.read_text() if suite_log.exists() else ""
        after = text.split(f"scenario: {SCENARIO}", 1)
        return len(after) == 2 and "PUT " in after[1] and "/os-services/" in after[1]

    wait_until(forced_down, 300, "the scenario forcing its target host down")
    booted.append(boot(conn, FOREIGN, flavor_id, host=OTHER_HOST))


def test_a_foreign_server_on_the_other_host_is_a_note_not_a_failure(embedded_cloud, admin_conn, tmp_path):
    flavor = admin_conn.compute.create_flavor(name=FOREIGN, vcpus=1, ram=64, disk=1)
    booted = []
    foreign = threading.Thread(target=booted_when_the_target_is_forced_down, daemon=True,
                               args=(admin_conn, tmp_path / "run" / "suite.log", flavor.id, booted))
    foreign.start()
    try:
        run = run_behave(tmp_path, embedded_cloud.layout.root, "--name", SCENARIO)
        foreign.join(timeout=180)
        assert booted, "the foreign server was booted during the scenario\n" + run.output()
        ran = [(c["name"], c["status"]) for c in junit_testcases(run.junit_dir) if c["status"] != "skipped"]
        assert ran == [(SCENARIO, "passed")], run.output()
        assert run.returncode == 0, run.output()

        note = (f"note: usages of {OTHER_HOST} changed by consumers that are not the suite's "
                f"(subtracted, not a failure): {booted[0].id} DISK_GB +1, MEMORY_MB +64, VCPU +1")
        assert note in (tmp_path / "run" / "suite.log").read_text()
        junit = "".join(path.read_text() for path in run.junit_dir.glob("*.xml"))
        assert note in junit
        assert html.escape(note) in run.html_path.read_text()
    finally:
        for server in booted:
            admin_conn.compute.delete_server(server.id)
            wait_until(lambda: _gone(admin_conn, server.id), 120, f"foreign server {server.id} deleted")
        admin_conn.compute.delete_flavor(flavor.id)


def _gone(conn, server_id) -> bool:
    try:
        conn.compute.get_server(server_id)
    except exceptions.NotFoundException:
        return True
    return False


RACE_SCENARIO = "Restarting nova-compute after a clean local delete frees nothing twice"
RACER = "shared-cloud-test-racer"  # the member's: another project, no run prefix
TARGET_HOST = "compute1"
POSTED_A_SERVER = re.compile(r"POST \S+/v2\.1/servers -> 202")


def booted_while_the_suites_server_builds(admin, member, suite_log, flavor_id, booted):
    """Once the scenario has posted its first server (after its Background's
    safe-host check), another project's server goes to the target: the other
    host is disabled for that one boot, so the scheduler has no other choice."""
    def posted():
        text = suite_log.read_text() if suite_log.exists() else ""
        after = text.split(f"scenario: {RACE_SCENARIO}", 1)
        return len(after) == 2 and POSTED_A_SERVER.search(after[1])

    wait_until(posted, 300, "the scenario booting its first server")
    [other] = admin.compute.services(binary="nova-compute", host=OTHER_HOST)
    admin.compute.disable_service(other.id, disabled_reason="test: the racer goes to the target")
    try:
        image = member.image.find_image(IMAGE, ignore_missing=False)
        server = member.compute.create_server(name=RACER, flavor_id=flavor_id, image_id=image.id,
                                              networks="none")
        booted.append(server)
        wait_until(lambda: admin.compute.get_server(server.id).compute_host == TARGET_HOST, 60,
                   "the racer on the target host")
    finally:
        admin.compute.enable_service(other.id)


def test_a_foreign_server_that_lands_on_the_target_while_ours_builds_fails_the_fault_step(
        embedded_cloud, admin_conn, member_conn, tmp_path):
    flavor = admin_conn.compute.create_flavor(name=RACER, vcpus=1, ram=64, disk=1)
    booted = []
    suite_log = tmp_path / "run" / "suite.log"
    racer = threading.Thread(target=booted_while_the_suites_server_builds, daemon=True,
                             args=(admin_conn, member_conn, suite_log, flavor.id, booted))
    racer.start()
    try:
        run = run_behave(tmp_path, embedded_cloud.layout.root, "-D", f"target_host={TARGET_HOST}",
                         "--name", RACE_SCENARIO)
        racer.join(timeout=120)
        assert booted, "the racer was booted during the scenario\n" + run.output()
        server = admin_conn.compute.get_server(booted[0].id)
        named = (f"refusing to force down, disable or stop compute host {TARGET_HOST}: it runs 1 "
                 f"server(s) the suite did not create: {server.id} (project {server.project_id}, {RACER})")
        # A failing step, not a skip: the Background passed, the fault step failed.
        assert run.returncode == 1, run.output()
        [case] = [c for c in junit_testcases(run.junit_dir) if c["name"] == RACE_SCENARIO]
        assert case["status"] in ("failed", "error") and named in case["message"], case
        junit = "".join(path.read_text() for path in run.junit_dir.glob("*.xml"))
        assert "Failing step: When nova-compute on the target host is stopped and its service is forced down" \
            in junit, run.output()
        # The fault was not made: no service change in the scenario; the restore ran.
        scenario_log = suite_log.read_text().split(f"scenario: {RACE_SCENARIO}", 1)[1]
        assert not re.search(r"PUT \S+/os-services/", scenario_log), scenario_log
        assert re.search(r"DELETE \S+/servers/", scenario_log), scenario_log  # the restore
        assert server.status == "ACTIVE" and server.compute_host == TARGET_HOST
        assert suite_leftovers(admin_conn) == {"servers": [], "flavors": []}
        services = compute_services(admin_conn)
        assert services[TARGET_HOST] == {"status": "enabled", "state": "up", "forced_down": False}
    finally:
        for server in booted:
            admin_conn.compute.delete_server(server.id)
            wait_until(lambda: _gone(admin_conn, server.id), 120, f"racer {server.id} deleted")
        admin_conn.compute.delete_flavor(flavor.id)
