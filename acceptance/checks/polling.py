"""The one poll loop of the suite: ``wait_for`` asks until a matcher
matches, and says clearly what the cloud did instead.

Every "wait until" step, the cloud waiters (``acceptance.cloud.waiters``),
the restore and the ``eventually`` matcher go through it. A poll loop needs
two things it should not hard-wire: the pace of the polls (``PollPolicy``)
and the passing of time (``Clock``). Both are injected so the loops can be
unit-tested instantly with a fake clock (``tests/fake_clock.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from hamcrest.core.helpers.wrap_matcher import wrap_matcher
from hamcrest.core.matcher import Matcher
from hamcrest.core.string_description import StringDescription


class Clock(Protocol):
    """The two things a poll loop needs to know about time."""

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """Real time. Monotonic, so a wall-clock jump cannot end a wait early."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


SYSTEM_CLOCK: Clock = SystemClock()


@dataclass(frozen=True)
class PollPolicy:
    """Exponential backoff between polls.

    Short first intervals notice a quick change (a server going ACTIVE in a
    second); the growth and the cap keep a long wait from hammering the API.
    """

    first_interval: float = 0.1
    factor: float = 1.5
    max_interval: float = 2.0

    def __post_init__(self) -> None:
        if self.first_interval <= 0:
            raise ValueError(f"first_interval must be > 0, got {self.first_interval}")
        if self.factor < 1:
            raise ValueError(f"factor must be >= 1, got {self.factor}")
        if self.max_interval < self.first_interval:
            raise ValueError(
                f"max_interval ({self.max_interval}) must be >= "
                f"first_interval ({self.first_interval})"
            )

    def intervals(self) -> Iterator[float]:
        """Yield the sleep before each next poll, forever."""
        interval = self.first_interval
        while True:
            yield interval
            interval = min(interval * self.factor, self.max_interval)


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
