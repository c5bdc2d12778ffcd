import pytest
from hamcrest import assert_that, equal_to, greater_than
from hamcrest.core.string_description import StringDescription

from acceptance.checks.eventually import eventually
from acceptance.checks.polling import PollPolicy
from tests.fake_clock import FakeClock

STEADY = PollPolicy(first_interval=1, factor=1, max_interval=1)


class Counter:
    """A probe returning 1, 2, 3, ... and counting its calls."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.calls


def describe(matcher):
    return str(StringDescription().append_description_of(matcher))


def mismatch(matcher, item):
    description = StringDescription()
    matcher.describe_mismatch(item, description)
    return str(description)


def test_matches_once_the_probe_result_matches():
    probe, clock = Counter(), FakeClock()
    assert eventually(greater_than(2), within=10, clock=clock, policy=STEADY).matches(probe)
    assert probe.calls == 3
    assert clock.now == 2


def test_fails_when_the_probe_never_matches_within_the_limit():
    probe, clock = Counter(), FakeClock()
    assert not eventually(greater_than(100), within=5, clock=clock, policy=STEADY).matches(probe)
    assert clock.now == 5
    assert probe.calls == 6


def test_description_names_the_limit_and_the_inner_matcher():
    assert describe(eventually(equal_to(0), within=60)) == "eventually (within 60 s) <0>"
    assert describe(eventually(0, within=0.5)) == "eventually (within 0.5 s) <0>"


def test_description_starts_with_what_when_given():
    matcher = eventually(equal_to(0), within=60, what="VCPU usage of compute1")
    assert describe(matcher) == "VCPU usage of compute1: eventually (within 60 s) <0>"


def test_mismatch_tells_how_long_it_polled_and_the_last_inner_mismatch():
    probe, clock = Counter(), FakeClock()
    matcher = eventually(equal_to(0), within=3, clock=clock, policy=STEADY)
    assert not matcher.matches(probe)
    assert mismatch(matcher, probe) == "after 3.0 s (4 polls) was <4>"


def test_mismatch_after_a_failed_match_does_not_poll_again():
    probe, clock = Counter(), FakeClock()
    matcher = eventually(equal_to(0), within=3, clock=clock, policy=STEADY)
    matcher.matches(probe)
    calls, now = probe.calls, clock.now
    mismatch(matcher, probe)
    assert (probe.calls, clock.now) == (calls, now)


def test_mismatch_of_an_item_not_yet_polled_polls_it():
    probe = Counter()
    matcher = eventually(equal_to(0), within=1, clock=FakeClock(), policy=STEADY)
    assert mismatch(matcher, probe) == "after 1.0 s (2 polls) was <2>"
    assert probe.calls == 2


def test_mismatch_of_a_matching_item_says_so():
    matcher = eventually(equal_to(1), within=7, clock=FakeClock())
    assert mismatch(matcher, Counter()) == "matched within 7 s"


def test_assert_that_reports_expected_and_actual_as_sentences():
    clock = FakeClock()
    with pytest.raises(AssertionError) as error:
        assert_that(Counter(), eventually(equal_to(0), within=2, what="leaked VCPUs", clock=clock, policy=STEADY))
    assert str(error.value) == (
        "\nExpected: leaked VCPUs: eventually (within 2 s) <0>\n"
        "     but: after 2.0 s (3 polls) was <3>\n"
    )


def test_a_non_callable_item_is_a_mismatch_not_a_crash():
    matcher = eventually(equal_to(0), within=1, clock=FakeClock())
    assert not matcher.matches(0)
    assert mismatch(matcher, 0) == "was <0>, not a zero-argument callable to poll"


def test_probe_errors_propagate():
    def broken():
        raise ConnectionError("placement unreachable")

    with pytest.raises(ConnectionError):
        eventually(equal_to(0), within=10, clock=FakeClock()).matches(broken)


def test_retry_on_errors_are_retried_and_the_last_one_reported():
    def missing():
        raise LookupError("no such provider")

    matcher = eventually(equal_to(0), within=1, clock=FakeClock(), policy=STEADY, retry_on=(LookupError,))
    assert not matcher.matches(missing)
    assert mismatch(matcher, missing) == (
        "after 1.0 s (2 polls) the last poll raised LookupError: no such provider"
    )


def test_negative_within_is_refused():
    with pytest.raises(ValueError, match="within must be >= 0"):
        eventually(0, within=-1)
