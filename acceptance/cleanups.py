"""Undo what a scenario (or the whole run) did, even when a step failed.

Each change to the cloud registers its own undo the moment it is made.
``run_all`` undoes them last-in first-out -- a server booted on a host is
deleted only after that host was put back -- and runs every one even when an
earlier one fails, so one broken cleanup cannot leave the rest of the cloud
dirty. The failures are returned, for the caller to report.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CleanupFailure:
    description: str
    error: BaseException

    def __str__(self) -> str:
        return f"{self.description}: {type(self.error).__name__}: {self.error}"

    @property
    def traceback(self) -> str:
        return "".join(traceback.format_exception(self.error))


class CleanupError(AssertionError):
    """Some cleanups failed; the cloud may not be as the suite found it."""

    def __init__(self, failures: list[CleanupFailure]) -> None:
        self.failures = failures
        lines = "\n".join(f"  - {failure}" for failure in failures)
        count = f"{len(failures)} cleanup{'s' if len(failures) != 1 else ''}"
        super().__init__(f"{count} failed; the cloud may not be as the suite found it:\n{lines}")


class CleanupStack:
    def __init__(self, report: Callable[[str], None] | None = None) -> None:
        self._undo: list[tuple[str, Callable[[], object]]] = []
        self._report = report or (lambda line: None)

    def __len__(self) -> int:
        return len(self._undo)

    def push(self, description: str, undo: Callable[[], object]) -> None:
        """Register ``undo``; ``description`` says what it undoes, for reports."""
        self._undo.append((description, undo))

    def run_all(self) -> list[CleanupFailure]:
        """Run every registered undo, newest first; return those that raised.

        The stack is empty afterwards, so a second call does nothing. Cleanups
        pushed while running (an undo that needs an undo) run too.
        """
        failures = []
        while self._undo:
            description, undo = self._undo.pop()
            try:
                undo()
            except Exception as error:  # noqa: BLE001 - every cleanup must get its turn
                failures.append(CleanupFailure(description, error))
                self._report(f"cleanup failed: {description}: {type(error).__name__}: {error}")
        return failures

    def run_all_or_raise(self) -> None:
        failures = self.run_all()
        if failures:
            raise CleanupError(failures)
