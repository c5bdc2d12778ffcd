"""Run one OpenStack console entry point: confined to the run directory, with a defect if asked.

    python -m embedded_cloud.launch [--no-fork] nova-compute nova.cmd.compute:main --config-file ...

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
from .defects import apply_from_environment


def launch_argv(prog: str, entry: str, *args: str, no_fork: bool = False) -> list[str]:
    """The command line that runs console entry point `entry` as `prog` through this module."""
    return [sys.executable, "-m", "embedded_cloud.launch", *(["--no-fork"] if no_fork else []),
            prog, entry, *args]


def _serve_without_fork() -> None:
    import nova.service

    nova.service.serve = functools.partial(nova.service.serve, no_fork=True)


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
    sys.exit(main_function())


if __name__ == "__main__":
    main()
