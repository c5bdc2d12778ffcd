"""Wait for a cloud to reach a state, and say clearly what it did instead.

``wait_for`` is the one poll loop of the suite: every "wait until" step and
the ``eventually`` matcher go through it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from hamcrest.core.helpers.wrap_matcher import wrap_matcher
from hamcrest.core.matcher import Matcher
from hamcrest.core.string_description import StringDescription

from acceptance.polling import SYSTEM_CLOCK, Clock, PollPolicy

T = TypeVar("T")

_TOLERANCE = 1e-6  # seconds


def describe_wait(elapsed: float, polls: int) -> str:
    """'30.0 s (12 polls)': how long a wait lasted and how often it looked."""
    return f"{elapsed:.1f} s ({polls} {'poll' if polls == 1 else 'polls'})"


class WaitTimeout(AssertionError):
    """The cloud did not reach the expected state in time.

    An AssertionError, so behave reports the step as failed (the cloud
    misbehaved or was slow), not as errored (the suite broke).
    """

    def __init__(
        self,
        *,
        what: str,
        expected: str,
        mismatch: str,
        elapsed: float,
        polls: int,
        last_value: Any = None,
        last_error: BaseException | None = None,
    ) -> None:
        self.what = what
        self.expected = expected
        self.mismatch = mismatch
        self.elapsed = elapsed
        self.polls = polls
        self.last_value = last_value  # of the last poll that returned one
        self.last_error = last_error  # set when the very last poll raised
        super().__init__(
            f"Timed out after {self.waited} waiting for {what}: "
            f"expected {expected}, but {mismatch}"
        )

    @property
    def waited(self) -> str:
        return describe_wait(self.elapsed, self.polls)


def wait_for(
    probe: Callable[[], T],
    matcher: Matcher[T] | T,
    *,
    timeout: float,
    what: str,
    policy: PollPolicy = PollPolicy(),
    clock: Clock = SYSTEM_CLOCK,
    retry_on: tuple[type[BaseException], ...] = (),
) -> T:
    """Call ``probe`` until its result satisfies ``matcher``; return that result.

    ``matcher`` may be a plain value, meaning "equal to" (as in hamcrest).
    The probe is called at least once, and once more at the deadline, so a
    zero timeout means "check now". Exceptions from ``probe`` propagate at
    once -- a broken API call must not be dressed up as a slow cloud -- except
    those in ``retry_on`` (e.g. a 404 while a resource is being created),
    which count as a failed poll.
    """
    if timeout < 0:
        raise ValueError(f"timeout must be >= 0 seconds, got {timeout}")
    matcher = wrap_matcher(matcher)
    start = clock.monotonic()
    deadline = start + timeout
    intervals = policy.intervals()
    polls = 0
    last_value: Any = None
    last_error: BaseException | None = None
    while True:
        polls += 1
        try:
            value = probe()
        except retry_on as error:
            last_error = error
        else:
            last_value, last_error = value, None
            if matcher.matches(value):
                return value
        remaining = deadline - clock.monotonic()
        # The tolerance stops float rounding from adding a poll a hair
        # before the deadline.
        if remaining <= _TOLERANCE:
            break
        # Never sleep past the deadline: the last poll happens right at it.
        clock.sleep(min(next(intervals), remaining))

    if last_error is not None:
        mismatch = f"the last poll raised {type(last_error).__name__}: {last_error}"
    else:
        description = StringDescription()
        matcher.describe_mismatch(last_value, description)
        mismatch = str(description)
    raise WaitTimeout(
        what=what,
        expected=str(StringDescription().append_description_of(matcher)),
        mismatch=mismatch,
        elapsed=clock.monotonic() - start,
        polls=polls,
        last_value=last_value,
        last_error=last_error,
    ) from last_error
