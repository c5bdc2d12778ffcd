"""What a start-up spent its time on, per start-up task, and the critical path through it.

Each task of `up` runs in a thread named after it (parallel.py). A span is
one step of one task: an initialisation, a wait for a process to be ready,
or a wait for another task's milestone. The critical path is followed back
from the step that ended last: to the step of the same task before it, or,
from a milestone wait, to the task that reached that milestone. The
benchmark prints it; nothing else reads it.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

MILESTONE = "waits for "


@dataclass(frozen=True)
class Span:
    task: str
    what: str
    start: float
    end: float

    @property
    def seconds(self) -> float:
        return self.end - self.start


class Timeline:
    def __init__(self) -> None:
        self.origin = time.monotonic()
        self.spans: list[Span] = []
        self.reached: dict[str, tuple[str, float]] = {}  # milestone -> (task, when)
        self._lock = threading.Lock()

    @contextmanager
    def span(self, what: str):
        start = time.monotonic()
        try:
            yield
        finally:
            with self._lock:
                self.spans.append(Span(threading.current_thread().name, what, start, time.monotonic()))

    def reach(self, milestone: str) -> None:
        with self._lock:
            self.reached[milestone] = (threading.current_thread().name, time.monotonic())

    def critical_path(self) -> list[Span]:
        if not self.spans:
            return []
        path = [max(self.spans, key=lambda s: (s.end, s.start))]
        while True:
            current = path[-1]
            task, before = current.task, current.start
            # A wait that did not wait leaves the path in its own task.
            if current.what.startswith(MILESTONE) and current.seconds > 0.05:
                # The milestone reached last is the one this wait ended on.
                names = current.what[len(MILESTONE):].split(", ")
                reached = [self.reached[n] for n in names if n in self.reached]
                if reached:
                    task, before = max(reached, key=lambda r: r[1])
            earlier = [s for s in self.spans if s.task == task and s.end <= before + 0.01
                       and s is not current]
            if not earlier:
                return list(reversed(path))
            path.append(max(earlier, key=lambda s: (s.end, s.start)))

    def critical_path_lines(self) -> list[str]:
        """`  at s  took s  task: what`, in order. "took" is what the step added to
        the path: a wait that began with the start-up shows only the time after
        the step it waited for ended, so the column adds up to the start-up."""
        lines, previous_end = [], self.origin
        for s in self.critical_path():
            took = s.end - max(s.start, previous_end)
            lines.append(f"  {s.end - self.origin:6.1f} s  {took:5.1f} s  {s.task}: {s.what}")
            previous_end = s.end
        return lines
