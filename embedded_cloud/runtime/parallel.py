"""Run start-up tasks side by side in threads (they mostly wait on child processes)."""
from __future__ import annotations

import contextlib
import threading
from typing import Callable, Protocol, Sequence, TypeVar

from ..startup_timeline import MILESTONE, Timeline


def parallel(*tasks: Callable[[], None], milestones: "Milestones | None" = None) -> None:
    """Run the tasks in threads; re-raise the first failure once all have finished."""
    errors: list[BaseException] = []

    def run(task):
        try:
            task()
        except Aborted:
            pass  # not the cause: the task that failed first is
        except BaseException as error:  # noqa: BLE001 - re-raised below
            errors.append(error)
            if milestones is not None:
                milestones.failed.set()

    # Named after the task: the timeline's spans say which task they belong to.
    threads = [threading.Thread(target=run, args=(task,), daemon=True,
                                name=getattr(task, "__name__", None)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


class Ordered(Protocol):
    name: str
    after: tuple[str, ...]


T = TypeVar("T", bound=Ordered)


def run_in_order(entries: Sequence[T], start: Callable[[T], None], milestones: "Milestones") -> None:
    """`start` each entry in a thread of its own once every entry it comes `after`
    has been started: each waits only for what it needs, so CPU-bound steps
    overlap instead of running in phases. A failure stops the entries waiting for it."""
    check_order(entries)

    def task(entry: T) -> Callable[[], None]:
        def run() -> None:
            if entry.after:
                milestones.wait(*entry.after)
            start(entry)
            milestones.reach(entry.name)
        run.__name__ = entry.name  # the thread's name: the timeline's task
        return run

    parallel(*(task(entry) for entry in entries), milestones=milestones)


def check_order(entries: Sequence[Ordered]) -> None:
    """Raise ValueError unless names are unique, every `after` names an entry, and nothing
    waits for itself (a cycle would leave its threads waiting for ever)."""
    after = {}
    for entry in entries:
        if entry.name in after:
            raise ValueError(f"two entries are named {entry.name!r}")
        after[entry.name] = entry.after
    for name, needs in after.items():
        for need in needs:
            if need not in after:
                raise ValueError(f"{name!r} waits for {need!r}, which is no entry")
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            raise ValueError("entries wait for each other: " + " -> ".join((*path, name)))
        if name not in done:
            for need in after[name]:
                visit(need, (*path, name))
            done.add(name)

    for name in after:
        visit(name, ())


class Aborted(Exception):
    """Another start-up task failed, so this one stopped waiting for it."""


class Milestones:
    """Named points of the start-up that tasks wait for (the broker is up, the users exist...).

    A waiting task gives up as soon as any task has failed, so one failure
    never leaves the others waiting for a milestone that will not come.
    """

    def __init__(self, timeline: Timeline | None = None) -> None:
        self._timeline = timeline
        self._reached: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self.failed = threading.Event()

    def _event(self, name: str) -> threading.Event:
        with self._lock:
            return self._reached.setdefault(name, threading.Event())

    def reach(self, name: str) -> None:
        if self._timeline is not None:
            self._timeline.reach(name)
        self._event(name).set()

    def wait(self, *names: str) -> None:
        span = (self._timeline.span(MILESTONE + ", ".join(names)) if self._timeline is not None
                else contextlib.nullcontext())
        with span:
            for name in names:
                while not self._event(name).wait(0.05):
                    if self.failed.is_set():
                        raise Aborted(name)
