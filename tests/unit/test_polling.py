import itertools

import pytest

from acceptance.checks.polling import SYSTEM_CLOCK, PollPolicy
from tests.fake_clock import FakeClock


def first(n, iterator):
    return list(itertools.islice(iterator, n))


def test_default_policy_backs_off_from_a_tenth_of_a_second():
    assert first(4, PollPolicy().intervals()) == pytest.approx([0.1, 0.15, 0.225, 0.3375])


def test_intervals_are_capped_at_max_interval():
    intervals = first(20, PollPolicy().intervals())
    assert max(intervals) == 2.0
    assert intervals[-5:] == [2.0] * 5


def test_intervals_never_decrease():
    intervals = first(30, PollPolicy(first_interval=0.3, factor=2, max_interval=5).intervals())
    assert intervals == sorted(intervals)
    assert intervals[:3] == [0.3, 0.6, 1.2]


def test_factor_one_polls_at_a_constant_pace():
    assert first(3, PollPolicy(first_interval=1, factor=1, max_interval=1).intervals()) == [1, 1, 1]


def test_each_call_starts_a_fresh_backoff():
    policy = PollPolicy()
    first(10, policy.intervals())
    assert next(policy.intervals()) == 0.1


def test_policy_is_immutable():
    with pytest.raises(AttributeError):
        PollPolicy().factor = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    "kwargs, complaint",
    [
        ({"first_interval": 0}, "first_interval must be > 0"),
        ({"factor": 0.5}, "factor must be >= 1"),
        ({"first_interval": 3, "max_interval": 2}, "max_interval (2) must be >= first_interval (3)"),
    ],
)
def test_nonsense_policies_are_refused(kwargs, complaint):
    with pytest.raises(ValueError) as error:
        PollPolicy(**kwargs)
    assert complaint in str(error.value)


def test_fake_clock_moves_only_when_slept_on_or_advanced():
    clock = FakeClock(now=10.0)
    assert clock.monotonic() == 10.0
    clock.sleep(1.5)
    clock.advance(0.5)
    assert clock.monotonic() == 12.0
    assert clock.sleeps == [1.5]


def test_system_clock_is_monotonic():
    before = SYSTEM_CLOCK.monotonic()
    SYSTEM_CLOCK.sleep(0)
    assert SYSTEM_CLOCK.monotonic() >= before
