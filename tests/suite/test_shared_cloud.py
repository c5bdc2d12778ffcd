"""A shared cloud: someone else boots a server on the other host while the
suite checks that only the host it took down changes. The suite compares
that host's usages less the changes of consumers that are not its own, so
the scenario passes, and the foreign change is reported as a note."""

from __future__ import annotations

import html
import threading

from openstack import exceptions

from tests.openstack_kit import boot, wait_until
from tests.suite.behave_run import junit_testcases, run_behave

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
