"""The suite on a cloud where DELETE on a live host is a soft delete
(``reclaim_instance_interval`` > 0, as on many production clouds): its own
embedded cloud started with ``--nova-option DEFAULT.reclaim_instance_interval=3600``.

Local deletes (the host is down) still destroy the server, so those
scenarios pass; the two scenarios whose delete is on a live host
(``@live-host-delete``) are skipped with the reason, which the suite knows
from the settings the embedded cloud publishes (on a cloud that publishes
nothing they fail at once, saying the server is SOFT_DELETED:
tests/unit/test_changes.py); the cleanups force-delete, so nothing is left,
and nothing stays SOFT_DELETED holding allocations.
"""

from __future__ import annotations

import pytest

from tests.conftest import PROJECT
from tests.suite.behave_run import assert_nothing_left, junit_testcases, run_on_nova_options

RUN_DIR = PROJECT / ".run" / "soft-delete-cloud"
RECLAIM = "DEFAULT.reclaim_instance_interval=3600"
DISABLED = "Deleting a server on a disabled host is an ordinary delete"
# The evacuated server lives on the other, live host: its delete is a soft one too.
EVACUATED_DELETE = "Deleting an evacuated server while its source host is down frees both hosts"
SKIP_REASON = ("@live-host-delete: this cloud has reclaim_instance_interval = 3600: a delete on a live "
               "host is a soft delete")


@pytest.fixture(scope="module")
def soft_delete_run(tmp_path_factory):
    return run_on_nova_options(RUN_DIR, (RECLAIM,), tmp_path_factory.mktemp("soft-delete-run"))


def test_the_cloud_runs_with_the_option_in_nova_conf(soft_delete_run):
    assert "reclaim_instance_interval = 3600" in (RUN_DIR / "etc" / "nova" / "nova.conf").read_text()


def test_only_the_deletes_on_a_live_host_are_skipped_with_the_reason_and_the_rest_pass(soft_delete_run):
    run = soft_delete_run["run"]
    cases = {case["name"]: case for case in junit_testcases(run.junit_dir)}
    assert len(cases) >= 9, run.output()
    not_passed = {name: case for name, case in cases.items() if case["status"] != "passed"}
    assert set(not_passed) == {DISABLED, EVACUATED_DELETE}, run.output()
    for case in not_passed.values():
        assert case["status"] == "skipped" and case["skip_message"].startswith(SKIP_REASON), case
    assert run.returncode == 0, run.output()
    assert "reclaim_instance_interval=3600 (a delete on a live host is a soft delete" in run.stdout + run.stderr


def test_nothing_is_left_behind_and_nothing_stays_soft_deleted(soft_delete_run):
    assert_nothing_left(soft_delete_run)
