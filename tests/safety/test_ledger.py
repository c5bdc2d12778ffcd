"""The ledger: round trips, crash tolerance, what is outstanding, the lock."""

import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from acceptance.safety.ledger import Ledger, LedgerBusy, ledger_path, outstanding_from, read_records

PREFIX = "accept-0badc0de-"
UP = {"forced_down": False, "status": "enabled", "disabled_reason": None}
DISABLED = {"forced_down": False, "status": "disabled", "disabled_reason": "maintenance"}


@pytest.fixture
def ledger(tmp_path):
    with Ledger.open(tmp_path, "http://127.0.0.1:5000/v3#RegionOne", PREFIX) as opened:
        yield opened


def test_records_round_trip_with_their_context(ledger):
    ledger.will_create("server", PREFIX + "a")
    ledger.created("server", PREFIX + "a", "id-a")
    records = ledger.records()
    assert [r["event"] for r in records] == ["will_create", "created"]
    assert records[1]["id"] == "id-a"
    assert records[1]["prefix"] == PREFIX
    assert records[1]["cloud"] == ledger.cloud_key
    assert records[1]["pid"] == os.getpid()


def test_a_created_resource_is_outstanding_until_deleted(ledger):
    ledger.will_create("flavor", PREFIX + "f")
    ledger.created("flavor", PREFIX + "f", "id-f")
    assert [(f.name, f.resource_id) for f in ledger.outstanding().flavors] == [(PREFIX + "f", "id-f")]
    ledger.deleted("flavor", "id-f")
    assert not ledger.outstanding()


def test_a_create_without_its_id_is_outstanding_by_name(ledger):
    ledger.will_create("server", PREFIX + "half")
    [server] = ledger.outstanding().servers
    assert (server.name, server.resource_id) == (PREFIX + "half", None)
    ledger.not_found("server", PREFIX + "half")
    assert not ledger.outstanding()


def test_the_first_original_of_a_service_wins(ledger):
    ledger.will_change_service("svc", "compute1", "nova-compute", UP)
    ledger.will_change_service("svc", "compute1", "nova-compute",
                               {"forced_down": True, "status": "enabled", "disabled_reason": None})
    [change] = ledger.outstanding().services
    assert change.original == UP
    assert change.was_up


def test_after_a_restore_the_next_change_records_a_new_original(ledger):
    ledger.will_change_service("svc", "compute1", "nova-compute", UP)
    ledger.service_restored("svc")
    assert not ledger.outstanding()
    ledger.will_change_service("svc", "compute1", "nova-compute", DISABLED)
    assert ledger.outstanding().services[0].original == DISABLED


def test_a_service_forced_down_before_the_run_was_not_up():
    [change] = outstanding_from([{
        "event": "will_change_service", "service_id": "s", "host": "h", "binary": "nova-compute",
        "original": {"forced_down": True, "status": "enabled", "disabled_reason": None}}]).services
    assert not change.was_up


def test_a_crash_truncated_last_line_is_skipped_and_the_next_record_starts_clean(tmp_path):
    key = "k"
    with Ledger.open(tmp_path, key, PREFIX) as ledger:
        ledger.will_create("server", PREFIX + "a")
        ledger.created("server", PREFIX + "a", "id-a")
    path = ledger_path(tmp_path, key)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) - 20])  # the crash cut the last record
    assert [r["event"] for r in read_records(path)] == ["will_create"]
    with Ledger.open(tmp_path, key, PREFIX) as ledger:
        assert ledger.outstanding().servers[0].resource_id is None
        ledger.not_found("server", PREFIX + "a")
        assert not ledger.outstanding()
    for line in path.read_bytes().splitlines()[2:]:
        json.loads(line)  # every line after the torn one is whole


def test_each_cloud_has_its_own_ledger(tmp_path):
    with Ledger.open(tmp_path, "cloud-a", PREFIX) as a, Ledger.open(tmp_path, "cloud-b", PREFIX) as b:
        a.will_create("flavor", PREFIX + "x")
        assert a.path != b.path
        assert not b.outstanding()


def test_a_second_opener_is_refused_while_the_first_lives(ledger, tmp_path):
    with pytest.raises(LedgerBusy, match=rf"pid {os.getpid()}.*suite-cleanup"):
        Ledger.open(tmp_path, ledger.cloud_key, PREFIX)


def test_the_lock_dies_with_a_killed_holder(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import os, signal
        from acceptance.safety.ledger import Ledger
        ledger = Ledger.open({str(tmp_path)!r}, "k", {PREFIX!r})
        ledger.will_create("server", {PREFIX + "orphan"!r})
        os.kill(os.getpid(), signal.SIGKILL)
    """)])
    assert child.wait(timeout=30) == -signal.SIGKILL
    with Ledger.open(tmp_path, "k", PREFIX) as ledger:
        assert [s.name for s in ledger.outstanding().servers] == [PREFIX + "orphan"]


def test_unknown_kinds_are_refused(ledger):
    with pytest.raises(ValueError, match="unknown resource kind"):
        ledger.will_create("volume", "x")


def test_describe_names_everything(ledger):
    ledger.will_create("server", PREFIX + "s")
    ledger.will_change_service("svc", "compute2", "nova-compute", DISABLED)
    lines = ledger.outstanding().describe()
    assert lines[0] == f"server {PREFIX}s (id unknown)"
    assert "compute2" in lines[1] and "status=disabled" in lines[1] and "maintenance" in lines[1]


def test_a_cut_placement_path_is_outstanding_until_restored(ledger):
    ledger.will_cut_placement_path()
    assert ledger.outstanding().placement_path_cut
    assert ledger.outstanding().describe() == ["nova-api's path to Placement: cut by the suite"]
    ledger.placement_path_restored()
    assert not ledger.outstanding()


def test_a_stopped_compute_is_outstanding_until_started(ledger):
    ledger.will_stop_compute("compute1")
    assert ledger.outstanding().stopped_computes == ["compute1"]
    ledger.compute_started("compute1")
    assert not ledger.outstanding()


def test_each_fault_is_recorded_by_name_and_a_start_ends_them_all(ledger):
    ledger.will_stop_compute("compute1", "freeze")
    ledger.will_stop_compute("compute1", "kill")  # a kill of a frozen compute: thaw, then start
    assert [r["fault"] for r in ledger.records()] == ["freeze", "kill"]
    assert [f.name for f in ledger.outstanding().faults_of("compute1")] == ["freeze", "kill"]
    assert ledger.outstanding().describe() == ["nova-compute on compute1: frozen, then killed by the suite"]
    ledger.compute_started("compute1")
    assert not ledger.outstanding() and ledger.outstanding().faults_of("compute1")[0].name == "stop"


def test_the_services_this_run_changed_are_remembered_after_their_restore(tmp_path):
    with Ledger.open(tmp_path, "k", "accept-00000001-") as earlier:
        earlier.will_change_service("old", "compute2", "nova-compute", UP)
    with Ledger.open(tmp_path, "k", PREFIX) as ledger:
        ledger.will_change_service("svc", "compute1", "nova-compute", UP)
        ledger.will_change_service("svc", "compute1", "nova-compute", DISABLED)
        ledger.service_restored("svc")
        assert [(c.service_id, c.original) for c in ledger.services_changed_by_this_run()] == [("svc", UP)]
