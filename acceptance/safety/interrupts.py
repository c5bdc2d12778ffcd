"""Ctrl-C and SIGTERM: stop the run, put the cloud back, exit 130 / 143.

How behave 1.3 reacts (checked on a throwaway project): a KeyboardInterrupt
in a step, a hook or a cleanup aborts the run, skips the remaining
scenarios -- and the remaining cleanups of that layer, when it lands inside
a cleanup -- but still runs ``after_all`` and closes the formatters, then
exits 1. It installs no SIGTERM handler at all (SIGTERM kills it outright).

So the guard:

* turns SIGINT *and* SIGTERM into a KeyboardInterrupt, so behave unwinds
  the way it does for Ctrl-C (locks and HTTP responses are released on the
  way out, reports are still written);
* never lets a signal break a restore: inside ``shielded()`` a signal only
  prints "restoring, please wait" and is remembered;
* at interpreter exit, after behave has finished, runs ``on_interrupt``
  (the restore; idempotent, so a no-op when ``after_all`` already restored)
  and exits 128 + signal number, whatever behave returned. That exit-time
  restore also covers an interrupt that escaped ``after_all``.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class InterruptGuard:
    def __init__(
        self,
        on_interrupt: Callable[[int], None],
        *,
        say: Callable[[str], None] | None = None,
        exit: Callable[[int], None] = os._exit,
    ) -> None:
        self._on_interrupt = on_interrupt
        self._say = say or _to_stderr
        self._exit = exit
        self.signum: int | None = None  # the first signal received
        self._shield_depth = 0
        self._previous: dict[int, object] = {}
        self._previous_excepthook = None

    @property
    def interrupted(self) -> bool:
        return self.signum is not None

    @property
    def exit_code(self) -> int | None:
        return None if self.signum is None else 128 + self.signum

    # ----------------------------------------------------------- set-up
    def install(self) -> InterruptGuard:
        for signum in SIGNALS:
            self._previous[signum] = signal.signal(signum, self._handle)
        self._previous_excepthook = sys.excepthook
        sys.excepthook = self._excepthook
        atexit.register(self._at_exit)
        return self

    def uninstall(self) -> None:
        """Give the signals back (tests; a run keeps the guard to the end)."""
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()
        if self._previous_excepthook is not None:
            sys.excepthook = self._previous_excepthook
        atexit.unregister(self._at_exit)

    # ------------------------------------------------------------ running
    @contextlib.contextmanager
    def shielded(self) -> Iterator[None]:
        """Run a restore that no signal may cut in half."""
        self._shield_depth += 1
        try:
            yield
        finally:
            self._shield_depth -= 1

    def _handle(self, signum: int, frame) -> None:
        name = signal.Signals(signum).name
        if self.signum is None:
            self.signum = signum
        if self._shield_depth:
            self._say(f"{name} received: restoring, please wait")
            return
        self._say(f"{name} received: stopping the run; the cloud will be restored before exit")
        # The same exception as Ctrl-C, so behave aborts the way it knows.
        raise KeyboardInterrupt(name)

    def _excepthook(self, kind, value, traceback) -> None:
        if self.interrupted and issubclass(kind, KeyboardInterrupt):
            self._say("interrupted")  # no traceback for a deliberate stop
            return
        self._previous_excepthook(kind, value, traceback)

    def _at_exit(self) -> None:
        if self.signum is None:
            return
        try:
            with self.shielded():
                self._on_interrupt(self.signum)
        except BaseException as error:  # noqa: BLE001 - must reach the exit below
            self._say(f"restore after interrupt failed: {type(error).__name__}: {error}")
        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        # atexit cannot change the exit status any other way.
        self._exit(self.exit_code)


def install(on_interrupt: Callable[[int], None], *, say: Callable[[str], None] | None = None
            ) -> InterruptGuard:
    """Install the guard (from before_all); ``on_interrupt(signum)`` restores the cloud."""
    return InterruptGuard(on_interrupt, say=say).install()


def _to_stderr(line: str) -> None:
    # os.write, not print: the signal may land inside a print to the same
    # stream, and a buffered stream refuses a re-entrant write.
    with contextlib.suppress(OSError):
        os.write(2, (line + "\n").encode(errors="replace"))
