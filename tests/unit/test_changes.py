"""What the ledger hears of each change ServiceChanges and Creations make, and
the order the one restorer puts a compute service back in, on a stand-in compute proxy."""

from types import SimpleNamespace

import pytest
from openstack import exceptions

from acceptance.faults import FREEZE, KILL, STOP

from acceptance.cloud.changes import Creations, ServiceChanges
from acceptance.cloud.waiters import StillBeating
from acceptance.safety.ledger import Ledger as RealLedger
from acceptance.safety.prefix import new_run_prefix
from acceptance.safety.restore import restore
from acceptance.settings import Timeouts
from tests.fake_clock import FakeClock

FAST = Timeouts(server_active=1, server_deleted=1, service_state=1, delete_frees=1, heal=1)


class FakeCompute:
    """Just enough of conn.compute for one nova-compute service, recording calls."""

    def __init__(self, calls, status="enabled", disabled_reason=None, forced_down=False):
        self.calls = calls
        self.service = SimpleNamespace(
            id="svc-1", host="compute1", binary="nova-compute", status=status,
            disabled_reason=disabled_reason, is_forced_down=forced_down, state="up",
            updated_at="t0", running=True,
        )
        self.servers = {}
        self.flavors = {}
        self.beats = 0

    def services(self, **query):
        if self.service.running:  # a live compute has reported since the last look
            self.beats += 1
            self.service.updated_at = f"beat{self.beats}"
        return [self.service]

    def _refresh_state(self):
        s = self.service
        s.state = "up" if s.running and not s.is_forced_down else "down"

    def update_service_forced_down(self, service_id, forced):
        self.calls.append(("forced_down", forced))
        self.service.is_forced_down = forced
        self._refresh_state()

    def disable_service(self, service_id, disabled_reason=None):
        self.calls.append(("disable", disabled_reason))
        self.service.status, self.service.disabled_reason = "disabled", disabled_reason

    def enable_service(self, service_id):
        self.calls.append(("enable",))
        self.service.status, self.service.disabled_reason = "enabled", None

    def update_service(self, service_id, status, disabled_reason=None):
        if status == "enabled":
            self.enable_service(service_id)
        else:
            self.disable_service(service_id, disabled_reason)

    def create_server(self, **attrs):
        server = SimpleNamespace(id=f"id-{attrs['name']}", status="BUILD", **attrs)
        self.servers[server.id] = server
        return server

    def delete_server(self, server_id, ignore_missing=True):
        self.calls.append(("delete server", server_id))
        self.servers.pop(server_id, None)

    def get_server(self, server_id):
        if server_id not in self.servers:
            raise exceptions.NotFoundException("gone")
        return self.servers[server_id]

    def create_flavor(self, **attrs):
        flavor = SimpleNamespace(id=f"id-{attrs['name']}", **attrs)
        self.flavors[flavor.id] = flavor
        return flavor

    def delete_flavor(self, flavor_id, ignore_missing=True):
        self.flavors.pop(flavor_id, None)

    def flavor_add_tenant_access(self, flavor, tenant):
        self.calls.append(("flavor access", flavor.id, tenant))

    def get_flavor(self, flavor_id):
        if flavor_id not in self.flavors:
            raise exceptions.NotFoundException("gone")
        return self.flavors[flavor_id]


class FakeFaults:
    name = "fake"

    def __init__(self, calls, compute):
        self.calls, self.compute = calls, compute

    def apply(self, fault, host):
        self.calls.append((fault.name, host))
        self.compute.service.running = False
        self.compute._refresh_state()

    def undo(self, fault, host):
        if fault.undo is not None:
            self.calls.append((fault.undo.verb, host))
            self.compute.service.running = True
            self.compute._refresh_state()

    def start_compute(self, host):
        self.calls.append(("start", host))
        self.compute.service.running = True
        self.compute.service.updated_at = "t1"
        self.compute._refresh_state()


class Ledger:
    """Records what it hears; knows which services are outstanding."""

    def __init__(self, calls):
        self.calls = calls
        self.changed = {}

    def will_change_service(self, service_id, host, binary, original):
        self.calls.append(("ledger.will_change_service", service_id, host, binary, original))
        self.changed[service_id] = SimpleNamespace(host=host)

    def outstanding(self):
        return SimpleNamespace(services=list(self.changed.values()))

    def __getattr__(self, name):
        return lambda *args: self.calls.append(("ledger." + name, *args))


def service_changes(**service):
    calls = []
    compute = FakeCompute(calls, **service)
    changes = ServiceChanges(SimpleNamespace(compute=compute), FakeFaults(calls, compute), FAST,
                             Ledger(calls), report_interval=1, clock=FakeClock())
    return changes, compute, calls


@pytest.mark.parametrize("fault", ["stop", "kill", "force_down", "disable"])
def test_a_host_found_unsafe_right_before_a_fault_is_not_faulted_and_nothing_is_recorded(fault):
    changes, compute, calls = service_changes()
    checked = []

    def check_host(conn, host):
        checked.append(host)
        raise AssertionError(f"refusing {host}: server s-1 (project p-2)")

    changes.check_host = check_host
    act = {"stop": lambda: changes.take_down("compute1"), "kill": lambda: changes.take_down("compute1", KILL),
           "force_down": lambda: changes.force_down("compute1"),
           "disable": lambda: changes.disable("compute1", "why")}[fault]
    with pytest.raises(AssertionError, match=r"server s-1 \(project p-2\)"):
        act()
    assert checked == ["compute1"]
    assert calls == []  # no ledger record, no command, no API change
    assert compute.service.running and not compute.service.is_forced_down


def test_a_safe_host_is_checked_before_each_fault_and_then_faulted():
    changes, compute, calls = service_changes()
    changes.check_host = lambda conn, host: calls.append(("check", host))
    changes.take_down("compute1")
    changes.force_down("compute1")
    assert [c[0] for c in calls if c[0] in ("check", "stop")] == ["check", "stop", "check"]


def with_real_ledger(tmp_path, changes):
    """The same changes, written to a real ledger, for the one restorer."""
    changes.ledger = RealLedger.open(tmp_path, "k", "accept-0000abcd-")
    return changes.ledger


def restore_all(changes, ledger):
    return restore(changes.conn, ledger, timeout=1, listen=0.5, log=lambda line: None,
                   start_compute=changes.fault_control.start_compute, undo_fault=changes.fault_control.undo)


def test_a_stop_is_believed_once_the_heartbeats_stood_still_for_the_quiet_period():
    changes, compute, _ = service_changes()
    changes.take_down("compute1")
    assert compute.service.running is False
    # 2 report intervals + 1 s of rounding, on the suite's clock, and the
    # first of the even polls after it (not a backoff's overshoot)
    assert changes.clock.now > 3
    assert changes.clock.now <= 3.4 + 1e-9


@pytest.mark.parametrize("fault_control, kill, stopped_by", [
    ("command", False, "the stop command exited 0"),
    ("command", True, "the kill command exited 0"),
    ("embedded", False, "the stop of nova-compute (embedded fault control) returned"),
])
def test_a_stop_that_did_nothing_fails_and_the_restore_still_starts_it(
        tmp_path, fault_control, kill, stopped_by):
    changes, compute, calls = service_changes()
    ledger = with_real_ledger(tmp_path, changes)
    faults = changes.fault_control
    faults.name = fault_control
    faults.apply = lambda fault, host: calls.append(("did nothing", host))
    with pytest.raises(StillBeating) as error:
        changes.take_down("compute1", KILL if kill else STOP)
    assert str(error.value).startswith(f"{stopped_by} but nova-compute on compute1 still sends heartbeats")
    assert "-D report_interval=1" in str(error.value)
    calls.clear()
    assert restore_all(changes, ledger) == []
    assert [c for c in calls if c[0] == "start"] == [("start", "compute1")]
    assert not ledger.outstanding()


def test_restore_starts_then_unforces_then_reenables(tmp_path):
    changes, compute, calls = service_changes()
    ledger = with_real_ledger(tmp_path, changes)
    changes.disable("compute1", "testing")
    changes.take_down("compute1")
    changes.force_down("compute1")
    # one record per service, however many changes
    assert [r["event"] for r in ledger.records()].count("will_change_service") == 1
    calls.clear()
    assert restore_all(changes, ledger) == []
    assert calls == [("start", "compute1"), ("forced_down", False), ("enable",)]
    s = compute.service
    assert (s.status, s.state, s.is_forced_down, s.disabled_reason) == ("enabled", "up", False, None)
    assert not ledger.outstanding()


def test_the_ledger_hears_the_original_state_before_the_first_change():
    changes, _, calls = service_changes()
    changes.take_down("compute1", KILL)
    assert calls[:2] == [
        ("ledger.will_change_service", "svc-1", "compute1", "nova-compute",
         {"forced_down": False, "status": "enabled", "disabled_reason": None, "state": "up"}),
        ("ledger.will_stop_compute", "compute1", "kill"),
    ]  # fmt: skip
    assert calls[2] == ("kill", "compute1")


def test_a_service_disabled_before_the_suite_stays_disabled_with_its_reason(tmp_path):
    changes, compute, calls = service_changes(status="disabled", disabled_reason="maintenance")
    ledger = with_real_ledger(tmp_path, changes)
    changes.disable("compute1", "acceptance")
    assert restore_all(changes, ledger) == []
    assert (compute.service.status, compute.service.disabled_reason) == ("disabled", "maintenance")


def test_what_the_scenario_already_put_back_is_not_done_again(tmp_path):
    changes, _, calls = service_changes()
    ledger = with_real_ledger(tmp_path, changes)
    changes.take_down("compute1")
    changes.force_down("compute1")
    changes.start("compute1")
    changes.unforce("compute1")
    calls.clear()
    assert restore_all(changes, ledger) == []
    assert calls == [] and not ledger.outstanding()


def test_a_failed_restore_is_one_line_and_stays_in_the_ledger(tmp_path):
    changes, compute, calls = service_changes()
    ledger = with_real_ledger(tmp_path, changes)
    changes.take_down("compute1")

    def broken_start(host):
        raise RuntimeError("compute1 will not start")

    changes.fault_control.start_compute = broken_start
    assert restore_all(changes, ledger) == [
        "could not put back compute service on compute1 (svc-1): compute1 will not start"]
    assert ledger.outstanding().stopped_computes == ["compute1"]


def test_a_compute_that_stays_silent_is_not_unforced(tmp_path):
    changes, compute, calls = service_changes()
    ledger = with_real_ledger(tmp_path, changes)
    changes.take_down("compute1")
    changes.force_down("compute1")
    changes.fault_control.start_compute = lambda host: calls.append(("start did nothing", host))
    [problem] = restore_all(changes, ledger)
    assert "sent no heartbeat in 1 s, so it is left forced_down=True" in problem
    assert compute.service.is_forced_down is True


def creations():
    calls = []
    compute = FakeCompute(calls)
    conn = SimpleNamespace(compute=compute, current_project_id="suite-project")
    return Creations(conn, "accept-0000abcd-", FAST, Ledger(calls)), calls


def test_a_flavor_is_private_to_the_suites_project_and_in_the_ledger_before_its_access():
    made, calls = creations()
    flavor = made.create_flavor("small", vcpus=1, ram=512, disk=1)
    assert flavor.is_public is False
    assert calls == [
        ("ledger.will_create", "flavor", "accept-0000abcd-small"),
        ("ledger.created", "flavor", "accept-0000abcd-small", "id-accept-0000abcd-small"),
        ("flavor access", "id-accept-0000abcd-small", "suite-project"),
    ]


def test_a_server_is_announced_to_the_ledger_around_its_create_and_confirmed_gone_once():
    made, calls = creations()
    server = made.boot_server("doomed", flavor=SimpleNamespace(id="f1"), image_id="i1")
    assert server.name == "accept-0000abcd-doomed" and server.networks == "none"
    made.delete_server(server.id)
    made.wait_until_server_gone(server.id)
    made.wait_until_server_gone(server.id)  # confirmed once
    assert calls == [
        ("ledger.will_create", "server", "accept-0000abcd-doomed"),
        ("ledger.created", "server", "accept-0000abcd-doomed", "id-accept-0000abcd-doomed"),
        ("delete server", "id-accept-0000abcd-doomed"),
        ("ledger.deleted", "server", "id-accept-0000abcd-doomed"),
    ]


@pytest.mark.parametrize("run", range(3))
def test_run_prefixes_are_accept_and_eight_hex_digits(run):
    prefix = new_run_prefix()
    assert prefix.startswith("accept-") and prefix.endswith("-")
    int(prefix[len("accept-"):-1], 16)
    assert len(prefix) == len("accept-12345678-")


@pytest.mark.parametrize(
    ("error", "forgotten"),
    [
        (exceptions.HttpException("quota", http_status=403), True),
        (exceptions.HttpException("boom", http_status=500), False),
        (exceptions.SDKException("timed out"), False),
    ],
)
def test_only_a_create_the_cloud_refused_is_reported_as_not_found(error, forgotten):
    made, calls = creations()

    def refuse(**attrs):
        raise error

    made.conn.compute.create_flavor = refuse
    with pytest.raises(type(error)):
        made.create_flavor("small", vcpus=1, ram=512, disk=1)
    expected = [("ledger.will_create", "flavor", "accept-0000abcd-small")]
    if forgotten:
        expected.append(("ledger.not_found", "flavor", "accept-0000abcd-small"))
    assert calls == expected


class SoftDeletingCompute(FakeCompute):
    """A cloud with reclaim_instance_interval > 0: DELETE only soft-deletes a
    server; a force delete removes it."""

    def delete_server(self, server, ignore_missing=True, force=False):
        if force:
            self.calls.append(("force delete server", server.id))
            self.servers.pop(server.id, None)
            return
        self.calls.append(("delete server", server))
        if server in self.servers:
            self.servers[server].status = "SOFT_DELETED"


def soft_deleting_creations():
    calls = []
    compute = SoftDeletingCompute(calls)
    made = Creations(SimpleNamespace(compute=compute), "accept-0000abcd-", FAST, Ledger(calls))
    server = made.boot_server("resident", flavor=SimpleNamespace(id="f1"), image_id="i1")
    server.task_state = None
    return made, server, calls


def test_a_soft_delete_fails_the_wait_at_once_and_says_what_the_cloud_did():
    from acceptance.cloud.waiters import ServerSoftDeleted

    made, server, calls = soft_deleting_creations()
    made.delete_server(server.id)
    with pytest.raises(ServerSoftDeleted) as raised:
        made.wait_until_server_gone(server.id)
    assert str(raised.value).startswith(
        "server accept-0000abcd-resident (id-accept-0000abcd-resident) is SOFT_DELETED: this cloud "
        "has reclaim_instance_interval > 0")
    assert ("force delete server", server.id) not in calls  # a step only looks


# ------------------------------------------------ a fault with an undo (freeze)
def test_the_restore_thaws_a_frozen_compute_before_it_starts_it(tmp_path):
    changes, compute, calls = service_changes()
    ledger = with_real_ledger(tmp_path, changes)
    changes.take_down("compute1", FREEZE)
    changes.force_down("compute1")
    assert [r.get("fault") for r in ledger.records() if r["event"] == "will_stop_compute"] == ["freeze"]
    assert "nova-compute on compute1: frozen by the suite" in ledger.outstanding().describe()
    calls.clear()
    assert restore_all(changes, ledger) == []
    assert calls[:3] == [("thaw", "compute1"), ("start", "compute1"), ("forced_down", False)]
    assert not ledger.outstanding()


def test_the_start_step_thaws_a_frozen_compute_first(tmp_path):
    changes, compute, calls = service_changes()
    ledger = with_real_ledger(tmp_path, changes)
    changes.take_down("compute1", FREEZE)
    calls.clear()
    changes.start("compute1")
    assert calls[:2] == [("thaw", "compute1"), ("start", "compute1")]
    assert not ledger.outstanding().stopped_computes


def test_a_freeze_with_nothing_to_thaw_it_is_one_line_and_stays_in_the_ledger(tmp_path):
    changes, compute, calls = service_changes()
    ledger = with_real_ledger(tmp_path, changes)
    changes.take_down("compute1", FREEZE)
    [problem] = restore(changes.conn, ledger, timeout=1, listen=0.5, log=lambda line: None,
                        start_compute=changes.fault_control.start_compute)  # no undo_fault
    assert "was frozen by the suite and nothing here can undo it (-D thaw_compute_command)" in problem
    assert ("start", "compute1") not in calls  # a start before the thaw would find it running
    assert ledger.outstanding().stopped_computes == ["compute1"]
