"""Time that only moves when slept on, for the poll loop's tests
(``acceptance.checks.polling.Clock``)."""

from __future__ import annotations

from dataclasses import dataclass, field


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
