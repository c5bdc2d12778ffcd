"""The embedded cloud's one heartbeat check, on a canned cell database row (no cloud)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hamcrest import assert_that, equal_to

from embedded_cloud.services import nova


class FakeConnection:
    """Answers nova's services query with one MAX(updated_at), and keeps what was asked."""

    def __init__(self, beat):
        self.beat, self.queries = beat, []

    def cursor(self):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, query, args):
        self.queries.append((query, list(args)))

    def fetchone(self):
        return (self.beat,)

    def close(self):
        pass


SINCE = datetime(2026, 1, 1, 12, 0, 0, 400_000, tzinfo=timezone.utc)


@pytest.mark.parametrize("beat, counts", [
    (None, False),                               # never beat
    (datetime(2026, 1, 1, 11, 59, 59), False),   # before the start
    (datetime(2026, 1, 1, 12, 0, 0), False),     # the same second: may be from before
    (datetime(2026, 1, 1, 12, 0, 1), True),
])
def test_a_beat_counts_only_from_the_second_after_the_start(monkeypatch, beat, counts):
    connection = FakeConnection(beat)
    monkeypatch.setattr(nova.mariadb, "connect", lambda ctx: connection)
    assert_that(nova.reported_since(None, "nova-compute", "compute1", SINCE), equal_to(counts))
    assert_that(connection.queries[0][1], equal_to(["nova-compute", "compute1"]))


def test_without_a_host_any_host_of_the_binary_counts(monkeypatch):
    connection = FakeConnection(datetime(2026, 1, 1, 12, 0, 5))
    monkeypatch.setattr(nova.mariadb, "connect", lambda ctx: connection)
    assert nova.reported_since(None, "nova-conductor", None, SINCE)
    assert_that(connection.queries[0][1], equal_to(["nova-conductor"]))


@pytest.mark.parametrize("last, new, counts", [
    (datetime(2026, 1, 1, 12, 0, 0), datetime(2026, 1, 1, 12, 0, 0), False),  # no beat since
    (datetime(2026, 1, 1, 12, 0, 0), datetime(2026, 1, 1, 12, 0, 1), True),
    (None, datetime(2026, 1, 1, 12, 0, 0), True),  # a new service: its first beat
])
def test_a_restart_counts_any_beat_after_the_last_one_before_it(monkeypatch, last, new, counts):
    # Read while no instance runs: a restarted service's first beat in the
    # same second as its start counts, unless the old one beat in that second.
    monkeypatch.setattr(nova.mariadb, "connect", lambda ctx: FakeConnection(last))
    since = nova.last_beat_before_start("nova-compute", "compute1")(None)
    monkeypatch.setattr(nova.mariadb, "connect", lambda ctx: FakeConnection(new))
    assert_that(nova.reported_since(None, "nova-compute", "compute1", since), equal_to(counts))
