"""Preflight's probe of the fault command path: before anything is created,
each host the run may touch gets one harmless command through the same
path the faults take (a deployment preset's ``systemctl cat`` of the unit on
each compute, ``true`` on each controller), all at once, within
``PROBE_TIMEOUT``. A refusal (permission denied, a password prompt under
BatchMode, no such unit) is one line naming the host and the command."""

from __future__ import annotations

import shlex
import subprocess
import time
from collections.abc import Iterable

PROBE_TIMEOUT = 12.0  # seconds for every probe together: the run answers within 15 s


class ProbeError(RuntimeError):
    """A host's fault path does not work; the message is one line."""


def probe(probes: Iterable[tuple[str, str]], *, timeout: float = PROBE_TIMEOUT) -> None:
    """Run each (host, command) at once; raise ProbeError for the first that
    fails or does not finish in ``timeout`` (the rest are killed)."""
    running = [(host, command, subprocess.Popen(command, shell=True, stdin=subprocess.DEVNULL,
                                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                                text=True, start_new_session=True))
               for host, command in probes]
    deadline = time.monotonic() + timeout
    try:
        for host, command, process in running:
            try:
                _, stderr = process.communicate(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                raise ProbeError(f"the fault command path to {host} did not answer in {timeout:g} s: "
                                 f"`{command}`; check that the host is reachable without a prompt "
                                 "(ssh -o BatchMode=yes)") from None
            if process.returncode != 0:
                last = (stderr or "").strip().splitlines()[-1:] or ["no output"]
                raise ProbeError(
                    f"the fault command path to {host} failed: `{command}` exited {process.returncode} "
                    f"({last[0]}); fix access (an ssh key, sudo without a password) or the "
                    "-D deployment/ssh/controller settings before the run takes a host down")
    finally:
        for _, _, process in running:
            if process.poll() is None:
                process.kill()
                process.wait()


def probes_for(settings, hosts: Iterable[str]) -> list[tuple[str, str]]:
    """The probes of the compute ``hosts`` the run may take down and of the
    controllers; none without a deployment preset (explicit commands are
    not known to be harmless)."""
    if not settings.probe_command:
        return []
    computes = [(host, settings.probe_command.format(host=shlex.quote(host))) for host in hosts]
    return computes + list(settings.controller_probes)
