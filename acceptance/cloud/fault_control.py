"""Take a compute host's nova-compute down and bring it back; cut nova-api's
path to Placement.

Three ways, chosen by ``-D fault_control``:

- ``embedded``: the commands the embedded cloud publishes
  (``embedded-cloud compute stop|kill|freeze|thaw|start HOST``, ``placement-path
  cut|restore`` for the relay in front of nova-api), run as ``command`` runs
  a user's: the suite reaches that cloud only through its command;
- ``command``: shell templates from the settings, with ``{host}`` replaced by
  the (shell-quoted) compute host, e.g. ``ssh {host} sudo systemctl stop
  nova-compute``; and, optionally, two commands run as given that cut and
  restore nova-api's path to Placement (e.g. an iptables rule on the
  controller);
- ``none``: nothing; scenarios that need a fault are skipped, saying why.

``auto`` picks ``embedded`` on the embedded cloud, ``command`` when stop and
start commands are given, else ``none``.

Every implementation answers ``missing(capability)`` with None when it can
do it, or a sentence saying what is missing, used as the skip reason. A
capability is a fault's name (acceptance/faults.py), ``start`` or
``cut-placement-path``; a driver applies any declared fault in one method,
``apply(fault, host)``, and undoes it (a thaw) in ``undo(fault, host)``.
"""

from __future__ import annotations

import shlex
import subprocess
from typing import Protocol

from acceptance import faults, redaction
from acceptance.faults import Command, Fault
from acceptance.settings import SuiteSettings

START, CUT_PLACEMENT_PATH = "start", "cut-placement-path"
CAPABILITIES = (*faults.FAULTS, START, CUT_PLACEMENT_PATH)


class FaultControlError(RuntimeError):
    """A fault could not be injected or undone (the command failed)."""


class FaultControl(Protocol):
    name: str

    def missing(self, capability: str) -> str | None: ...

    def apply(self, fault: Fault, host: str) -> None: ...

    def undo(self, fault: Fault, host: str) -> None: ...

    def start_compute(self, host: str) -> None: ...

    def cut_placement_path(self) -> None: ...

    def restore_placement_path(self) -> None: ...


def _refuse(control: FaultControl, capability: str) -> None:
    raise FaultControlError(control.missing(capability) or f"{capability} is not supported")


class CommandFaultControl:
    """Shell commands from the settings, one compute host at a time."""

    def __init__(
        self,
        *,
        name: str = "command",
        commands: dict[str, str | None] | None = None,
        cut_placement_path: str | None = None,
        restore_placement_path: str | None = None,
        why_no_cut: str | None = None,
        timeout: float = 120.0,
        runner=subprocess.run,
        **templates: str | None,
    ) -> None:
        """``commands``: -D key -> template (faults.COMPUTE_COMMAND_KEYS);
        ``templates``: the same by verb (``stop=``, ``start=``, ``thaw=``...)."""
        self.name = name
        self.templates = {**(commands or {}),
                          **{f"{verb}_compute_command": template for verb, template in templates.items()}}
        # Not templates: run as given (nova-api's path is not per host).
        self.placement_commands = (cut_placement_path, restore_placement_path)
        self.why_no_cut = why_no_cut  # a deployment preset's reason (acceptance/deployments.py)
        self.timeout = timeout
        self._run = runner

    def missing(self, capability: str) -> str | None:
        if capability == CUT_PLACEMENT_PATH:
            if all(self.placement_commands):
                return None
            return self.why_no_cut or (
                "cutting nova-api's path to Placement needs the embedded cloud's relay, or "
                "-D cut_placement_path_command='...' and -D restore_placement_path_command='...' "
                "(e.g. an iptables rule on the controller that rejects nova-api's traffic to Placement)"
            )
        needed = (faults.START,) if capability == START else faults.FAULTS[capability].commands
        for command in needed:
            if self.templates.get(command.key) is None:
                return f"fault_control={self.name} has no {command.key}; pass -D {command.key}='...{{host}}...'"
        return None

    def command_for(self, command: Command, host: str) -> str:
        template = self.templates.get(command.key)
        if template is None:
            raise FaultControlError(f"fault_control={self.name} has no {command.key}; "
                                    f"pass -D {command.key}='...{{host}}...'")
        return template.format(host=shlex.quote(host))

    def _execute(self, command: Command, host: str) -> None:
        self._run_command(self.command_for(command, host),
                          f"{command.verb} compute on {host} (-D {command.key})")

    def _run_command(self, command: str, what: str) -> None:
        """``what`` names the setting and the host; a command setting may
        carry a password or token, so the command and its output are shown
        masked (redaction.mask_command), and subprocess's own error text,
        which holds the whole command, is dropped."""
        shown = redaction.mask_command(command)
        try:
            done = self._run(
                command, shell=True, capture_output=True, text=True, timeout=self.timeout
            )
        except subprocess.TimeoutExpired:
            raise FaultControlError(
                f"{what}: `{shown}` did not finish in {self.timeout:g} s"
            ) from None
        if done.returncode != 0:
            output = redaction.mask_command((done.stderr or done.stdout or "").strip()[-500:])
            raise FaultControlError(
                f"{what}: `{shown}` exited {done.returncode}"
                + (f": {output}" if output else "")
            )

    def apply(self, fault: Fault, host: str) -> None:
        """Make ``fault`` to nova-compute on ``host``: every fault, one way."""
        if reason := self.missing(fault.name):
            raise FaultControlError(reason)
        self._execute(fault.command, host)

    def undo(self, fault: Fault, host: str) -> None:
        """What must come before the start (a thaw); nothing for most faults."""
        if fault.undo is not None:
            self._execute(fault.undo, host)

    def start_compute(self, host: str) -> None:
        self._execute(faults.START, host)

    def cut_placement_path(self) -> None:
        if self.missing(CUT_PLACEMENT_PATH):
            _refuse(self, CUT_PLACEMENT_PATH)
        self._run_command(self.placement_commands[0],
                          "cut nova-api's path to Placement (-D cut_placement_path_command)")

    def restore_placement_path(self) -> None:
        if self.missing(CUT_PLACEMENT_PATH):
            _refuse(self, CUT_PLACEMENT_PATH)
        self._run_command(self.placement_commands[1],
                          "restore nova-api's path to Placement (-D restore_placement_path_command)")


class NoFaultControl:
    """No way to take a compute down: the scenarios that need one are skipped."""

    name = "none"

    def __init__(self, why: str) -> None:
        self.why = why

    def missing(self, capability: str) -> str | None:
        return self.why

    def apply(self, fault: Fault, host: str) -> None:
        _refuse(self, fault.name)

    def undo(self, fault: Fault, host: str) -> None:
        _refuse(self, fault.name)

    def start_compute(self, host: str) -> None:
        _refuse(self, START)

    def cut_placement_path(self) -> None:
        _refuse(self, CUT_PLACEMENT_PATH)

    def restore_placement_path(self) -> None:
        _refuse(self, CUT_PLACEMENT_PATH)


def choose(settings: SuiteSettings) -> FaultControl:
    """The fault control the settings ask for. On the embedded cloud the
    settings carry its published commands (``with_embedded_defaults``)."""
    wanted = settings.fault_control
    if wanted == "auto":
        if settings.stop_compute_command and settings.start_compute_command:
            wanted = "command"
        else:
            return NoFaultControl(
                f"no fault control for cloud {settings.cloud!r}: pass -D stop_compute_command=... "
                "and -D start_compute_command=... (templates with {host}) to stop and start a "
                "compute service"
            )
    if wanted in ("embedded", "command"):
        if not (settings.stop_compute_command and settings.start_compute_command):
            return NoFaultControl(f"fault_control={wanted} needs the embedded cloud's commands")
        return CommandFaultControl(
            name=wanted,
            commands=dict(settings.compute_commands),
            cut_placement_path=settings.cut_placement_path_command,
            restore_placement_path=settings.restore_placement_path_command,
            why_no_cut=settings.why_no_cut,
        )
    return NoFaultControl("fault control is switched off (-D fault_control=none)")
