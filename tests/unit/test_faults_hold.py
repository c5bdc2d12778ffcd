"""A fault holds until the suite's own start, or the scenario fails with
what brought nova-compute back (acceptance.cloud.changes.check_faults_hold)."""

import re
from types import SimpleNamespace

import pytest


from acceptance.cloud.changes import FaultDidNotHold
from acceptance.faults import KILL, STOP
from acceptance.scenario.step_support import faults_must_hold
from tests.unit.test_changes import FakeCompute as FakeServices
from tests.unit.test_changes import restore_all, service_changes, with_real_ledger


class CountingCompute:
    """Counts the service reads the check makes."""

    def __init__(self, compute):
        self.inner, self.reads = compute, 0

    def services(self, **query):
        self.reads += 1
        return self.inner.services(**query)


def supervisor_restarts(compute, clock, after: float):
    """What systemd's Restart= does: the process is back ``after`` seconds later."""
    clock.advance(after)
    compute.service.running = True


def test_a_fault_that_holds_costs_one_service_read_per_check_and_none_when_nothing_is_down():
    changes, compute, _ = service_changes()
    counting = CountingCompute(compute)
    changes.compute.compute = counting
    changes.check_faults_hold()
    assert counting.reads == 0
    changes.take_down("compute1")
    counting.reads = 0
    changes.check_faults_hold()
    changes.check_faults_hold()
    assert counting.reads == 2
    changes.start("compute1")  # its own read checks once more, and the hold ends there
    counting.reads = 0
    changes.check_faults_hold()
    assert counting.reads == 0


@pytest.mark.parametrize("kill", [False, True])
def test_a_compute_a_supervisor_brought_back_fails_the_next_check_with_the_reason(kill):
    changes, compute, _ = service_changes()
    changes.take_down("compute1", KILL if kill else STOP)
    changes.check_faults_hold()  # still silent
    supervisor_restarts(compute, changes.clock, after=11)
    with pytest.raises(FaultDidNotHold) as error:
        changes.check_faults_hold()
    message = str(error.value)
    action = "kill" if kill else "stop"
    # seen at the first check after the comeback: the silence (3.4 s on the fake clock) and 11 s
    assert re.match(rf"nova-compute on compute1 came back on its own 14\.\d s after the {action} command", message)
    assert "(heartbeat at beat" in message
    assert "a supervisor restarts it (systemd Restart=, a container restart policy): stop it " \
           "through the supervisor, see the recipes" in message


def test_the_start_checks_once_more_and_the_restore_still_puts_everything_back(tmp_path):
    changes, compute, calls = service_changes()
    ledger = with_real_ledger(tmp_path, changes)
    changes.take_down("compute1")
    changes.force_down("compute1")
    supervisor_restarts(compute, changes.clock, after=2)
    with pytest.raises(FaultDidNotHold):
        changes.start("compute1")
    assert ("start", "compute1") not in calls  # never a pass: the suite did not start it
    assert restore_all(changes, ledger) == []
    assert compute.service.state == "up" and not compute.service.is_forced_down
    assert not ledger.outstanding()


def test_every_step_ends_with_the_check_and_a_failed_step_reports_the_comeback_instead():
    checks = []

    def check():
        checks.append("check")
        if len(checks) == 2:
            raise FaultDidNotHold("nova-compute on compute1 came back on its own")

    def passing(context):
        pass

    def failing(context):
        raise AssertionError("usages healed")

    registry = SimpleNamespace(steps={"when": [SimpleNamespace(func=passing)],
                                      "then": [SimpleNamespace(func=failing)]})
    faults_must_hold(registry)
    faults_must_hold(registry)  # wrapped once, however often called
    context = SimpleNamespace(suite=SimpleNamespace(services=SimpleNamespace(check_faults_hold=check)))
    registry.steps["when"][0].func(context)
    with pytest.raises(FaultDidNotHold) as error:
        registry.steps["then"][0].func(context)
    assert isinstance(error.value.__context__, AssertionError)
    assert checks == ["check", "check"]


def test_the_suites_own_changes_to_the_service_record_are_not_a_comeback():
    """nova stamps updated_at on a PUT too (force down, disable): the held
    heartbeat moves to that stamp, read back (nova's answer has microseconds
    the database drops)."""
    changes, compute, _ = service_changes()
    changes.take_down("compute1")
    put = compute.update_service_forced_down

    def stamping(service_id, forced):
        put(service_id, forced)
        compute.service.updated_at = f"put {forced}"
        return SimpleNamespace(updated_at=f"put {forced}.033134")

    compute.update_service_forced_down = stamping
    changes.force_down("compute1")
    changes.check_faults_hold()
    supervisor_restarts(compute, changes.clock, after=1)
    with pytest.raises(FaultDidNotHold):
        changes.check_faults_hold()


def test_a_restart_while_the_suite_waits_for_silence_is_a_comeback_not_a_stop_that_did_nothing():
    changes, compute, calls = service_changes()
    faults = changes.fault_control
    apply = faults.apply

    def stop_then_restart_soon(fault, host):
        apply(fault, host)
        restarted_at = changes.clock.now + 2.6  # after one late heartbeat could explain

        def services(**query):
            compute.service.running = changes.clock.now >= restarted_at
            return FakeServices.services(compute, **query)

        compute.services = services

    faults.apply = stop_then_restart_soon
    with pytest.raises(FaultDidNotHold) as error:
        changes.take_down("compute1")
    assert re.match(r"nova-compute on compute1 came back on its own 2\.\d s after the stop command "
                    r"\(heartbeat at beat\d+, while the suite waited for silence\)", str(error.value))
