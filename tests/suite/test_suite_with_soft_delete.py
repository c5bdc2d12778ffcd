"""The suite on a cloud where DELETE on a live host is a soft delete
(``reclaim_instance_interval`` > 0, as on many production clouds): its own
embedded cloud started with ``--nova-option DEFAULT.reclaim_instance_interval=3600``.

Local deletes (the host is down) still destroy the server, so those
scenarios pass; the one scenario that deletes on a live host fails at once
with what the cloud did; the cleanups force-delete, so nothing is left, and
nothing stays SOFT_DELETED holding allocations.
"""

from __future__ import annotations

import pytest

from tests.conftest import PROJECT
from tests.suite.behave_run import assert_nothing_left, outcomes, run_on_nova_options

RUN_DIR = PROJECT / ".run" / "soft-delete-cloud"
RECLAIM = "DEFAULT.reclaim_instance_interval=3600"
DISABLED = "Deleting a server on a disabled host is an ordinary delete"
# The evacuated server lives on the other, live host: its delete is a soft one too.
EVACUATED_DELETE = "Deleting an evacuated server while its source host is down frees both hosts"
SOFT_DELETE_MESSAGE = "is SOFT_DELETED: this cloud has reclaim_instance_interval > 0"


@pytest.fixture(scope="module")
def soft_delete_run(tmp_path_factory):
    return run_on_nova_options(RUN_DIR, (RECLAIM,), tmp_path_factory.mktemp("soft-delete-run"))


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
    assert_nothing_left(soft_delete_run)
