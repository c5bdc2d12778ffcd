"""acceptance.safety.unforce: the order nova accepts after an evacuation, on a fake compute proxy."""

import pytest
from openstack import exceptions

from acceptance.safety.unforce import refused_for_evacuations, unforce

REFUSAL = ("Unable to force up host compute1 as `done` evacuation migration records remain "
           "associated with the host.")


class FakeCompute:
    """Refuses un-forcing while an evacuation off the host is ``done``; each list
    of migrations is one poll, after which the compute 'completes' one more."""

    def __init__(self, done_polls: int, refusal: str = REFUSAL):
        self.done_polls = done_polls
        self.refusal = refusal
        self.calls = []

    def update_service_forced_down(self, service_id, forced):
        self.calls.append(("put", service_id, forced))
        if self.done_polls:
            raise exceptions.BadRequestException(message="Bad Request", details=self.refusal)

    def migrations(self, **query):
        self.calls.append(("list", query["source_compute"], query["status"]))
        self.done_polls = max(0, self.done_polls - 1)
        return [type("Migration", (), {"server_id": "s1"})()] if self.done_polls else []


class FakeConn:
    def __init__(self, compute):
        self.compute = compute


def test_unforce_waits_for_the_evacuations_then_asks_again():
    compute = FakeCompute(done_polls=2)
    unforce(FakeConn(compute), "svc", "compute1", timeout=5)
    assert compute.calls == [("put", "svc", False), ("list", "compute1", "done"),
                             ("list", "compute1", "done"), ("put", "svc", False)]


def test_unforce_without_evacuations_is_one_request():
    compute = FakeCompute(done_polls=0)
    unforce(FakeConn(compute), "svc", "compute1", timeout=5)
    assert compute.calls == [("put", "svc", False)]


def test_another_refusal_is_not_waited_on():
    compute = FakeCompute(done_polls=1, refusal="Invalid input for field/attribute forced_down.")
    with pytest.raises(exceptions.BadRequestException):
        unforce(FakeConn(compute), "svc", "compute1", timeout=5)
    assert compute.calls == [("put", "svc", False)]


def test_refused_for_evacuations_reads_nova_s_words():
    assert refused_for_evacuations(exceptions.BadRequestException(message="Bad Request", details=REFUSAL))
    assert not refused_for_evacuations(exceptions.ConflictException(message="x", details=REFUSAL))
