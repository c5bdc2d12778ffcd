"""A behave formatter that clocks each scenario from start to finish,
hooks included.

behave's own scenario time (the JUnit ``time``) adds up the steps only; the
``after_scenario`` hook that puts the cloud back (start a compute, wait for
its heartbeat) is real time a scenario costs. behave tells a formatter that a
scenario starts before its ``before_scenario`` hook; the next scenario's
start, or the end of the feature, is after the ``after_scenario`` hook.

    behave -f benchmarks.scenario_clock:ScenarioClock -o clock.json

writes ``{"scenario name": seconds, ...}`` when the run ends.
"""

from __future__ import annotations

import json
import time

from behave.formatter.base import Formatter


class ScenarioClock(Formatter):
    name = "scenario-clock"
    description = "Wall seconds per scenario, hooks included, as JSON"

    def __init__(self, stream_opener, config):
        super().__init__(stream_opener, config)
        self.seconds: dict[str, float] = {}
        self._running: tuple[str, float] | None = None

    def scenario(self, scenario):
        self._stop()
        self._running = (scenario.name, time.monotonic())

    def eof(self):
        self._stop()

    def close(self):
        self._stop()
        json.dump(self.seconds, self.open(), indent=1)
        self.close_stream()

    def _stop(self):
        if self._running is not None:
            name, started = self._running
            self.seconds[name] = time.monotonic() - started
            self._running = None
