"""Turn `--defect SERVICE=NAME` options into {process name: defect name}, or one clear error.

SERVICE may name a process (`nova-api`, `nova-compute-compute1`), a compute
host (`compute1`), or `nova-compute` for every compute of the cloud.
"""
from __future__ import annotations

from ..errors import CloudError
from ..services import nova
from .catalog import DEFECTS, known

EVERY_COMPUTE = "nova-compute"


def processes_for(service: str) -> list[str]:
    """The processes SERVICE names, or [] if it names none."""
    computes = [nova.compute_process(host) for host in nova.COMPUTE_HOSTS]
    if service == nova.API:
        return [nova.API]
    if service == EVERY_COMPUTE:
        return computes
    if service in computes:
        return [service]
    if service in nova.COMPUTE_HOSTS:
        return [nova.compute_process(service)]
    return []


def _kind(process: str) -> str:
    return nova.API if process == nova.API else EVERY_COMPUTE


def choose(pairs: list[str]) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for pair in pairs:
        service, _, name = pair.partition("=")
        if not service or not name:
            raise CloudError(f"--defect {pair!r} is not SERVICE=NAME; e.g. --defect nova-api=<name>")
        defect = DEFECTS.get(name)
        if defect is None:
            raise CloudError(f"unknown defect {name!r}; known: {known()}")
        targets = processes_for(service)
        if not targets:
            raise CloudError(
                f"--defect {pair!r}: no service {service!r}; use nova-api, nova-compute (every "
                f"compute), or one compute: {', '.join(nova.COMPUTE_HOSTS)}")
        for process in targets:
            if _kind(process) != defect.service:
                raise CloudError(f"defect {name!r} patches {defect.service}, not {service!r}")
            if chosen.get(process, name) != name:
                raise CloudError(f"two defects for {process}: {chosen[process]!r} and {name!r}; "
                                 "one process takes one defect")
            chosen[process] = name
    return chosen


def describe(defects: dict[str, str]) -> str:
    """One line for `embedded-cloud status`."""
    if not defects:
        return "defects: none"
    return "defects: " + ", ".join(f"{p}={n}" for p, n in sorted(defects.items()))
