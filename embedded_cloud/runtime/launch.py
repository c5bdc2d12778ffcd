"""Run one OpenStack console entry point: confined to the run directory, with a defect if asked.

    python -m embedded_cloud.runtime.launch [--no-fork] nova-compute nova.cmd.compute:main --config-file ...

Every service and every *-manage command of the embedded cloud runs this way,
so oslo.config searches only the run directory (see confinement.py).

The defect (issue: prove the suite catches the bugs) is chosen by the
EMBEDDED_CLOUD_DEFECT variable, set only in the environment of the one
process it targets; nothing installed is edited.

--no-fork serves the service in this process, as nova-compute always does:
oslo.service's threading backend otherwise forks one worker even for
workers=1, doubling the memory of nova-conductor and nova-scheduler. The
code that serves RPC is the same either way.
"""
from __future__ import annotations

import functools
import importlib
import sys

from .confinement import confine
from ..defects import apply_from_environment

# The services that send heartbeats and serve RPC (nova-manage does neither).
HEARTBEATING = ("nova-compute", "nova-conductor", "nova-scheduler")
# The longest an idle RPC listener or pool thread waits before it sees a stop
# (oslo.messaging: 5 s, futurist: 1 s).
STOP_POLL_SECONDS = 0.2


def launch_argv(prog: str, entry: str, *args: str, no_fork: bool = False) -> list[str]:
    """The command line that runs console entry point `entry` as `prog` through this module."""
    return [sys.executable, "-m", "embedded_cloud.runtime.launch", *(["--no-fork"] if no_fork else []),
            prog, entry, *args]


def _serve_without_fork() -> None:
    import inspect

    import nova.service

    # Before nova's threading mode (nova 33, 2026.1) serve() has no
    # no_fork: oslo.service's eventlet launcher forks no worker for workers=1.
    if "no_fork" in inspect.signature(nova.service.serve).parameters:
        nova.service.serve = functools.partial(nova.service.serve, no_fork=True)


def _report_at_once() -> None:
    # nova waits a fixed 5 s after a service starts before its first
    # heartbeat; `up` and `compute start` wait for that heartbeat (it says
    # the start-up is done: it follows init_host and the first resource
    # update), so the 5 s sat on every start and restart. Not an option of
    # nova's: the module constant its servicegroup driver reads at join.
    from nova.servicegroup import api

    api.INITIAL_REPORTING_DELAY = 0


def _stop_promptly() -> None:
    # Two idle waits of oslo's libraries see a stop only when they time out:
    # - an idle RPC listener of oslo.messaging waits up to 5 s in each poll
    #   of the broker, and sees a stop (SIGTERM) only when that poll
    #   returns: a compute idle for a few seconds took 5 s to stop, and
    #   nova's graceful shutdown ran into graceful_shutdown_timeout;
    # - an idle worker thread of futurist's pools waits up to 1 s for work,
    #   and nova shuts its pools down one after another (wait=True): at
    #   every stop, and at the start of nova-conductor and nova-scheduler
    #   (reset before oslo.service would fork workers), 1 s each.
    # Both are module constants read on every wait, not options.
    from futurist import _thread
    from oslo_messaging._drivers import amqpdriver
    # impl_rabbit bounds an option by the constant as it is imported: first.
    from oslo_messaging._drivers import impl_rabbit  # noqa: F401

    amqpdriver.ACK_REQUEUE_EVERY_SECONDS_MAX = STOP_POLL_SECONDS
    _thread.ThreadWorker.MAX_IDLE_FOR = STOP_POLL_SECONDS


def main() -> None:
    args = sys.argv[1:]
    no_fork = args[:1] == ["--no-fork"]
    if no_fork:
        args = args[1:]
    prog, entry, *rest = args
    sys.argv = [prog, *rest]
    confine()
    apply_from_environment()
    module, function = entry.split(":")
    # The entry module first: it picks nova's threading mode before anything
    # else of nova (or eventlet) is imported.
    main_function = getattr(importlib.import_module(module), function)
    if no_fork:
        _serve_without_fork()
    if prog in HEARTBEATING:
        _report_at_once()
        _stop_promptly()
    sys.exit(main_function())


if __name__ == "__main__":
    main()
