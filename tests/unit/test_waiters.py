import pytest
from hamcrest import equal_to, greater_than

from acceptance.checks.polling import PollPolicy, WaitTimeout, describe_wait, wait_for
from tests.fake_clock import FakeClock

STEADY = PollPolicy(first_interval=1, factor=1, max_interval=1)


class Script:
    """A probe that returns (or raises) the given outcomes, then repeats the last."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.calls = 0

    def __call__(self):
        outcome = self.outcomes[min(self.calls, len(self.outcomes) - 1)]
        self.calls += 1
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


def test_returns_the_first_matching_value_without_sleeping():
    clock = FakeClock()
    assert wait_for(Script(5), greater_than(3), timeout=10, what="x", clock=clock) == 5
    assert clock.sleeps == []


def test_polls_until_the_value_matches_and_returns_it():
    clock = FakeClock()
    probe = Script("BUILD", "BUILD", "ACTIVE")
    assert wait_for(probe, equal_to("ACTIVE"), timeout=10, what="x", clock=clock, policy=STEADY) == "ACTIVE"
    assert probe.calls == 3
    assert clock.sleeps == [1, 1]


def test_a_plain_value_means_equal_to():
    assert wait_for(Script("ACTIVE"), "ACTIVE", timeout=0, what="x", clock=FakeClock()) == "ACTIVE"


def test_sleeps_follow_the_policy_backoff():
    clock = FakeClock()
    with pytest.raises(WaitTimeout):
        wait_for(Script(0), 1, timeout=1, what="x", clock=clock)
    assert clock.sleeps[:3] == pytest.approx([0.1, 0.15, 0.225])


def test_last_sleep_is_trimmed_so_the_last_poll_is_at_the_deadline():
    clock = FakeClock()
    probe = Script(0)
    with pytest.raises(WaitTimeout) as error:
        wait_for(probe, 1, timeout=2.5, what="x", clock=clock, policy=STEADY)
    assert clock.sleeps == [1, 1, 0.5]
    assert probe.calls == 4
    assert error.value.polls == 4
    assert error.value.elapsed == 2.5


def test_zero_timeout_polls_exactly_once():
    probe = Script(0)
    with pytest.raises(WaitTimeout) as error:
        wait_for(probe, 1, timeout=0, what="x", clock=FakeClock())
    assert probe.calls == 1
    assert error.value.polls == 1


def test_negative_timeout_is_refused():
    with pytest.raises(ValueError, match="timeout must be >= 0"):
        wait_for(Script(0), 0, timeout=-1, what="x", clock=FakeClock())


def test_timeout_message_is_one_readable_sentence():
    probe = Script("BUILD")
    with pytest.raises(WaitTimeout) as error:
        wait_for(probe, equal_to("ACTIVE"), timeout=3, what="server vm1 to become ACTIVE",
                 clock=FakeClock(), policy=STEADY)
    assert str(error.value) == (
        "Timed out after 3.0 s (4 polls) waiting for server vm1 to become ACTIVE: "
        "expected 'ACTIVE', but was 'BUILD'"
    )


def test_timeout_is_an_assertion_error_carrying_the_details():
    with pytest.raises(AssertionError) as error:
        wait_for(Script(1, 2), greater_than(5), timeout=1, what="count", clock=FakeClock(), policy=STEADY)
    timeout = error.value
    assert isinstance(timeout, WaitTimeout)
    assert (timeout.what, timeout.polls, timeout.last_value) == ("count", 2, 2)
    assert timeout.expected == "a value greater than <5>"
    assert timeout.mismatch == "was <2>"
    assert timeout.waited == "1.0 s (2 polls)"


def test_elapsed_counts_time_spent_inside_slow_probes():
    clock = FakeClock()

    def slow_probe():
        clock.advance(4)
        return 0

    with pytest.raises(WaitTimeout) as error:
        wait_for(slow_probe, 1, timeout=3, what="x", clock=clock)
    assert error.value.polls == 1
    assert error.value.elapsed == 4
    assert "Timed out after 4.0 s (1 poll)" in str(error.value)


def test_probe_errors_propagate_at_once():
    probe = Script(0, ConnectionError("refused"), 1)
    clock = FakeClock()
    with pytest.raises(ConnectionError, match="refused"):
        wait_for(probe, 1, timeout=60, what="x", clock=clock, policy=STEADY)
    assert probe.calls == 2
    assert clock.sleeps == [1]


def test_errors_listed_in_retry_on_count_as_failed_polls():
    probe = Script(LookupError("not yet"), LookupError("not yet"), "there")
    result = wait_for(probe, "there", timeout=60, what="x", clock=FakeClock(), policy=STEADY,
                      retry_on=(LookupError,))
    assert result == "there"
    assert probe.calls == 3


def test_retry_on_does_not_swallow_other_errors():
    probe = Script(LookupError("not yet"), ValueError("bad"))
    with pytest.raises(ValueError, match="bad"):
        wait_for(probe, 1, timeout=60, what="x", clock=FakeClock(), policy=STEADY, retry_on=(LookupError,))


def test_timeout_after_a_retried_error_names_that_error_and_chains_it():
    failure = LookupError("no such server")
    probe = Script("BUILD", failure)
    with pytest.raises(WaitTimeout) as error:
        wait_for(probe, "ACTIVE", timeout=2, what="vm1 ACTIVE", clock=FakeClock(), policy=STEADY,
                 retry_on=(LookupError,))
    assert str(error.value) == (
        "Timed out after 2.0 s (3 polls) waiting for vm1 ACTIVE: expected 'ACTIVE', "
        "but the last poll raised LookupError: no such server"
    )
    assert error.value.__cause__ is failure
    assert error.value.last_error is failure
    assert error.value.last_value == "BUILD"


def test_timeout_after_a_recovered_error_describes_the_last_value():
    probe = Script(LookupError("gone"), "BUILD")
    with pytest.raises(WaitTimeout) as error:
        wait_for(probe, "ACTIVE", timeout=2, what="x", clock=FakeClock(), policy=STEADY, retry_on=(LookupError,))
    assert error.value.mismatch == "was 'BUILD'"
    assert error.value.last_error is None
    assert error.value.__cause__ is None


@pytest.mark.parametrize(
    "elapsed, polls, text",
    [(0, 1, "0.0 s (1 poll)"), (30, 12, "30.0 s (12 polls)"), (1.26, 2, "1.3 s (2 polls)")],
)
def test_describe_wait(elapsed, polls, text):
    assert describe_wait(elapsed, polls) == text


def test_float_rounding_does_not_add_a_poll_just_before_the_deadline():
    # 0.1 added nine times falls short of 0.9 by about 1e-16.
    policy = PollPolicy(first_interval=0.1, factor=1, max_interval=0.1)
    with pytest.raises(WaitTimeout) as error:
        wait_for(Script(0), 1, timeout=0.9, what="x", clock=FakeClock(), policy=policy)
    assert error.value.polls == 10
