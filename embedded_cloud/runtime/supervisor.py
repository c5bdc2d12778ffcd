"""A supervisor for the embedded cloud's nova-computes, modelled on systemd's
``Restart=`` so the suite's fault checks are tested against what real
deployments run (Kolla-Ansible: ``Restart=always``, ``RestartSec=11``;
OpenStack-Ansible: ``Restart=on-failure``, ``RestartSec=2``; see
features/README.md for the upstream files).

    embedded-cloud up --compute-supervisor always:11 | on-failure:2 | none

How a compute went down decides (the cloud records it, ``State.exits``):

- ``stop`` (``embedded-cloud compute stop``, i.e. ``systemctl stop``): the
  supervisor's own stop; it holds until ``compute start``;
- ``kill`` (SIGKILL, a crash; also a death nobody asked for): restarted
  under both policies, ``RestartSec`` after it;
- ``terminate`` (SIGTERM behind the supervisor's back, as ``docker stop``
  under a unit): a clean exit, restarted under ``always`` only (systemd's
  ``on-failure`` leaves a SIGTERM exit alone).

The supervisor is one process of the cloud, recorded and stopped by PID
like the others (``SUPERVISOR``); its program is
embedded_cloud/compute_supervisor.py. This module is the policy alone.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import CloudError

SUPERVISOR = "compute-supervisor"
POLICIES = ("always", "on-failure")
STOP, KILL, TERMINATE = "stop", "kill", "terminate"


@dataclass(frozen=True)
class Policy:
    restart: str  # one of POLICIES
    delay: float  # RestartSec

    def __str__(self) -> str:
        return f"{self.restart}:{self.delay:g}"

    def restarts(self, exit_cause: str | None) -> bool:
        if exit_cause == STOP:
            return False
        if exit_cause == TERMINATE:
            return self.restart == "always"
        return True  # a kill or an unexplained death: a failure under both

    def describe(self) -> str:
        return f"compute supervisor: Restart={self.restart}, RestartSec={self.delay:g} s"


def parse(text: str | None) -> Policy | None:
    """``always:11`` -> Policy; ``none`` or empty -> None; else CloudError (one line)."""
    if not text or text == "none":
        return None
    restart, _, delay = text.partition(":")
    try:
        seconds = float(delay)
    except ValueError:
        seconds = -1.0
    if restart not in POLICIES or not 0 <= seconds <= 3600:
        raise CloudError(
            f"--compute-supervisor {text!r} is not POLICY:SECONDS; POLICY is one of "
            f"{', '.join(POLICIES)} (e.g. always:11 as Kolla-Ansible's units, on-failure:2 as "
            "OpenStack-Ansible's), or none")
    return Policy(restart, seconds)


def describe(text: str | None) -> str:
    policy = parse(text)
    return policy.describe() if policy else "compute supervisor: none"
