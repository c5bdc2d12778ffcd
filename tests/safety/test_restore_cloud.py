"""restore() on a real (embedded) cloud after a scenario that stopped half-way."""

from acceptance.faults import FREEZE
from acceptance.safety.ledger import Ledger, cloud_key
from acceptance.safety.prefix import new_run_prefix
from acceptance.safety.restore import restore
from tests.safety import cloud_kit as kit


def _original(service) -> dict:
    return {"forced_down": bool(service.is_forced_down), "status": service.status,
            "disabled_reason": service.disabled_reason, "state": service.state}


def test_restore_after_a_partial_scenario_leaves_the_cloud_as_it_was(safety_cloud, conn, tmp_path):
    before = kit.provider_usages(conn)
    prefix = new_run_prefix()
    ledger = Ledger.open(tmp_path, cloud_key(conn), prefix)

    # A flavor and a server, each recorded around its create call.
    kit.ledgered_server(conn, ledger, prefix, "server", "compute1")
    # A flavor whose create went through but whose id never reached the
    # ledger (the run died in between): found again by its prefixed name.
    ledger.will_create("flavor", prefix + "orphan")
    kit.make_flavor(conn, prefix + "orphan", is_public=False)
    # compute1: stopped and forced down; the ledger heard first.
    service = kit.services(conn)["compute1"]
    ledger.will_change_service(service.id, "compute1", "nova-compute", _original(service))
    safety_cloud.stop_compute("compute1")
    conn.compute.update_service_forced_down(service.id, forced=True)
    # compute2: disabled before the "run", then forced down by it.
    other = kit.services(conn)["compute2"]
    conn.compute.disable_service(other.id, disabled_reason="maintenance window")
    other = kit.services(conn)["compute2"]
    ledger.will_change_service(other.id, "compute2", "nova-compute", _original(other))
    conn.compute.update_service_forced_down(other.id, forced=True)
    assert kit.provider_usages(conn) != before

    lines = []
    problems = restore(conn, ledger, timeout=90, log=lines.append,
                       start_compute=safety_cloud.start_compute)

    assert problems == []
    assert not ledger.outstanding()
    assert not [s for s in conn.compute.servers(all_projects=True) if s.name.startswith(prefix)]
    assert not [f for f in conn.compute.flavors(is_public=None) if f.name.startswith(prefix)]
    after = kit.services(conn)
    assert (after["compute1"].status, after["compute1"].is_forced_down, after["compute1"].state) == (
        "enabled", False, "up")
    assert (after["compute2"].status, after["compute2"].disabled_reason, after["compute2"].is_forced_down,
            after["compute2"].state) == ("disabled", "maintenance window", False, "up")
    assert kit.provider_usages(conn) == before
    assert any("nova-compute runs on compute1" in line for line in lines)

    # Idempotent: nothing left, nothing done.
    again = []
    assert restore(conn, ledger, timeout=30, log=again.append) == []
    assert again == []
    ledger.close()


def test_a_create_that_never_happened_is_let_go(conn, tmp_path):
    prefix = new_run_prefix()
    with Ledger.open(tmp_path, cloud_key(conn), prefix) as ledger:
        ledger.will_create("server", prefix + "never")
        lines = []
        assert restore(conn, ledger, timeout=10, log=lines.append) == []
        assert not ledger.outstanding()
        assert f"restore: server {prefix}never was never created" in lines


def test_a_stopped_compute_nothing_can_start_is_reported_in_one_line(safety_cloud, conn, tmp_path):
    service = kit.services(conn)["compute2"]
    with Ledger.open(tmp_path, cloud_key(conn), new_run_prefix()) as ledger:
        ledger.will_change_service(service.id, "compute2", "nova-compute", _original(service))
        safety_cloud.stop_compute("compute2")
        conn.compute.update_service_forced_down(service.id, forced=True)
        problems = restore(conn, ledger, timeout=15, log=lambda line: None)  # no start_compute
        assert len(problems) == 1 and "\n" not in problems[0]
        assert "compute2" in problems[0] and "nova-compute" in problems[0]
        # Still outstanding: a later restore that can start it finishes the job.
        assert ledger.outstanding().services
        assert restore(conn, ledger, timeout=60, log=lambda line: None,
                       start_compute=safety_cloud.start_compute) == []
        assert kit.services(conn)["compute2"].state == "up"


def test_a_freeze_a_killed_run_left_is_thawed_before_the_start_on_replay(safety_cloud, conn, tmp_path):
    """The ledger named the freeze before it was made: the next run's replay
    thaws nova-compute (SIGCONT) and only then starts it -- a start alone
    finds it running and waits for a heartbeat that never comes."""
    service = kit.services(conn)["compute2"]
    with Ledger.open(tmp_path, cloud_key(conn), new_run_prefix()) as killed_run:
        killed_run.will_change_service(service.id, "compute2", "nova-compute", _original(service))
        killed_run.will_stop_compute("compute2", FREEZE.name)
        safety_cloud.freeze_compute("compute2")
        conn.compute.update_service_forced_down(service.id, forced=True)
    thawed = []

    def thaw(fault, host):
        thawed.append((fault.name, host))
        safety_cloud.thaw_compute(host)

    with Ledger.open(tmp_path, cloud_key(conn), new_run_prefix()) as next_run:
        assert next_run.outstanding().describe()[-1] == "nova-compute on compute2: frozen by the suite"
        lines = []
        assert restore(conn, next_run, timeout=60, log=lines.append,
                       start_compute=safety_cloud.start_compute, undo_fault=thaw) == []
        assert not next_run.outstanding()
    assert thawed == [("freeze", "compute2")]
    assert lines.index("restore: thaw nova-compute on compute2 first (it was frozen)") < next(
        i for i, line in enumerate(lines) if "forced_down set back" in line)
    after = kit.services(conn)["compute2"]
    assert (after.state, after.is_forced_down) == ("up", False)
