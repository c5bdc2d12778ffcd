"""The suite on a cloud where DELETE on a live host is a soft delete
(``reclaim_instance_interval`` > 0, as on many production clouds): its own
embedded cloud started with ``--nova-option DEFAULT.reclaim_instance_interval=3600``.

Local deletes (the host is down) still destroy the server, so those
scenarios pass; the one scenario that deletes on a live host fails at once
with what the cloud did; the cleanups force-delete, so nothing is left, and
nothing stays SOFT_DELETED holding allocations.
"""

from __future__ import annotations

import shutil
from xml.etree import ElementTree

import pytest

from acceptance.safety.prefix import is_suite_name
from tests.conftest import PROJECT, connect
from tests.openstack_kit import embedded_cloud_cli as cli
from tests.suite.behave_run import compute_services, run_behave, suite_leftovers, usages

RUN_DIR = PROJECT / ".run" / "soft-delete-cloud"
RECLAIM = "DEFAULT.reclaim_instance_interval=3600"
DISABLED = "Deleting a server on a disabled host is an ordinary delete"
# The evacuated server lives on the other, live host: its delete is a soft one too.
EVACUATED_DELETE = "Deleting an evacuated server while its source host is down frees both hosts"
SOFT_DELETE_MESSAGE = "is SOFT_DELETED: this cloud has reclaim_instance_interval > 0"


@pytest.fixture(scope="module")
def soft_delete_run(tmp_path_factory):
    # A fresh cloud: what an earlier, broken run left there would be counted as ours.
    cli(RUN_DIR, "down")
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    up = cli(RUN_DIR, "up", "--nova-option", RECLAIM, timeout=600)
    try:
        assert up.returncode == 0, f"{up.stdout[-3000:]}\n{up.stderr[-3000:]}"
        conn = connect(RUN_DIR / "clouds.yaml", compute_api_version="2.74")
        before = usages(conn)
        run = run_behave(tmp_path_factory.mktemp("soft-delete-run"), RUN_DIR)
        # The ordinary list hides SOFT_DELETED servers; deleted=True shows them (and the deleted).
        soft_deleted = [s.name for s in conn.compute.servers(all_projects=True, deleted=True)
                        if is_suite_name(s.name) and s.status == "SOFT_DELETED"]
        yield {"run": run, "before": before, "after": usages(conn), "services": compute_services(conn),
               "leftovers": suite_leftovers(conn), "soft_deleted": soft_deleted}
    finally:
        cli(RUN_DIR, "down")


def outcomes(junit_dir) -> dict[str, tuple[str, str]]:
    """{scenario: (status, failure message)}; an outline's rows count as their scenario."""
    found = {}
    for path in sorted(junit_dir.glob("*.xml")):
        for case in ElementTree.parse(path).getroot().iter("testcase"):
            problems = [*case.iter("failure"), *case.iter("error")]
            found[case.get("name")] = (case.get("status"), problems[0].get("message", "") if problems else "")
    return found


def test_the_cloud_runs_with_the_option_in_nova_conf(soft_delete_run):
    assert "reclaim_instance_interval = 3600" in (RUN_DIR / "etc" / "nova" / "nova.conf").read_text()


def test_only_the_delete_on_a_live_host_fails_and_says_it_was_a_soft_delete(soft_delete_run):
    run = soft_delete_run["run"]
    results = outcomes(run.junit_dir)
    assert len(results) >= 9, run.output()
    failed = {name: message for name, (status, message) in results.items() if status != "passed"}
    assert set(failed) == {DISABLED, EVACUATED_DELETE}, run.output()
    for name in (DISABLED, EVACUATED_DELETE):
        assert SOFT_DELETE_MESSAGE in failed[name], failed[name]
    assert run.returncode == 1, run.output()


def test_nothing_is_left_behind_and_nothing_stays_soft_deleted(soft_delete_run):
    assert soft_delete_run["leftovers"] == {"servers": [], "flavors": []}
    assert soft_delete_run["soft_deleted"] == []
    assert soft_delete_run["after"] == soft_delete_run["before"]
    for host, service in soft_delete_run["services"].items():
        assert service == {"status": "enabled", "state": "up", "forced_down": False}, host
