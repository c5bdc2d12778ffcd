"""Every fault the suite can make to a nova-compute, declared once.

A fault is a record, as os-faults' service verbs are (stop, kill,
freeze/unfreeze: os_faults/api/service.py): its name, how a step says it,
the ``-D`` key of its command, the command that undoes it before the start
(if any), and the scenario tag that needs it. Everything else derives from
the records:

- the settings keys and the embedded cloud's published commands
  (``COMPUTE_COMMAND_KEYS``: acceptance/settings.py, deployments.py);
- the tags whose scenarios are skipped without the command (acceptance/tags.py);
- the words a step accepts (the Outage parse type, acceptance/scenario/step_types.py);
- the ledger record written before the fault (``will_stop_compute`` with
  the fault's name) and the restore's order: each fault's undo, last
  first, then the start (acceptance/safety/restore.py);
- what a driver runs (``FaultControl.apply/undo``, acceptance/cloud/fault_control.py).

Adding a fault is a record here, its commands in the deployment presets
(acceptance/deployments.py) and the embedded cloud's command, and a scenario.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """A shell template with ``{host}``, given as ``-D <key>``."""

    key: str
    example: str  # the same on a systemd host, for the one-line error

    @property
    def verb(self) -> str:
        return self.key.removesuffix("_compute_command")


@dataclass(frozen=True)
class Fault:
    name: str  # the verb, in the ledger and in messages
    outage: str  # how a step says it: "nova-compute on the target host is <outage>"
    done: str  # how the ledger's description says it: "nova-compute on HOST: <done> by the suite"
    command: Command
    # Run before the start: a frozen process takes no start (it is running) until thawed.
    undo: Command | None = None
    # The scenario tag that needs this fault (skipped, saying why, without its
    # commands); None: every fault scenario can use it (@fault-control).
    tag: str | None = None

    @property
    def commands(self) -> tuple[Command, ...]:
        return (self.command, *((self.undo,) if self.undo else ()))


START = Command("start_compute_command", "ssh {host} sudo systemctl start nova-compute")

STOP = Fault("stop", "stopped", "stopped",
             Command("stop_compute_command", "ssh {host} sudo systemctl stop nova-compute"))
KILL = Fault("kill", "killed (kill -9)", "killed",
             Command("kill_compute_command", "ssh {host} sudo systemctl kill --signal=SIGKILL nova-compute"),
             tag="kill")
FREEZE = Fault("freeze", "frozen (SIGSTOP)", "frozen",
               Command("freeze_compute_command", "ssh {host} sudo systemctl kill --signal=SIGSTOP nova-compute"),
               undo=Command("thaw_compute_command",
                            "ssh {host} sudo systemctl kill --signal=SIGCONT nova-compute"),
               tag="freeze")

FAULTS: dict[str, Fault] = {fault.name: fault for fault in (STOP, KILL, FREEZE)}

# Every command with {host}: the start, then each fault's and its undo's.
COMMANDS: tuple[Command, ...] = (START, *(c for fault in FAULTS.values() for c in fault.commands))
COMPUTE_COMMAND_KEYS: tuple[str, ...] = tuple(command.key for command in COMMANDS)


def named(name: str | None) -> Fault:
    """The fault a ledger record names; a record from before faults had
    names (or an unknown one) is a stop: nothing to undo before the start."""
    return FAULTS.get(name or STOP.name, STOP)
