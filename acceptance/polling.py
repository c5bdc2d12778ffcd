"""How often to ask a cloud whether something has happened yet.

A poll loop needs two things it should not hard-wire: the pace of the polls
(``PollPolicy``) and the passing of time (``Clock``). Both are injected so the
loops can be unit-tested instantly with ``FakeClock``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol


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


@dataclass
class FakeClock:
    """Time that only moves when slept on: tests run instantly and exactly."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        """Let time pass without a sleep, e.g. inside a slow probe."""
        self.now += seconds


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
