"""nova's own auditor of orphaned allocations, as an oracle independent of the
suite's checks: ``nova-manage placement audit --verbose``.

It exits 0 when no provider it looked at holds allocations of a consumer
that is neither a server on that provider's host nor a migration in
progress, and 3 when some do, naming each such consumer and provider
("Allocations for consumer UUID C on Resource Provider P can be deleted").
How it is run:

- ``-D audit_command='...'``: a shell command, e.g. ``ssh controller sudo
  nova-manage placement audit --verbose --resource_provider {provider}``.
  With ``{provider}`` (the shell-quoted provider uuid) it runs once per
  provider the scenario touched; without, once for the whole cloud.
  The embedded cloud publishes its own (``embedded-cloud nova-manage
  placement audit --verbose``, no ``{provider}``): once per check, over every
  provider; they are its two computes, and one process instead of two saves
  nova-manage's start-up.
- otherwise it cannot run, and the step says why (``missing``).
"""

from __future__ import annotations

import re
import shlex
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from acceptance import redaction
from acceptance.settings import AUDIT_EXAMPLE

NOTHING_FOUND, ORPHANS_FOUND = 0, 3  # nova-manage placement audit's exit codes
# keystoneauth's words when a request never reached Placement (nova-manage
# prints the traceback and exits 255, nova/cmd/manage.py main).
_UNREACHABLE = re.compile(r"ConnectFailure|Unable to establish connection|Connection refused|"
                          r"ConnectTimeout|No route to host|EndpointNotFound")
_ORPHAN = re.compile(r"consumer UUID ([0-9a-fA-F-]{36}) on Resource Provider ([0-9a-fA-F-]{36})")
TIMEOUT_S = 600.0
NO_AUDIT = (
    "nova's placement audit was not run: on a cloud that is not the embedded one it needs "
    f"-D audit_command='...', e.g. -D audit_command='{AUDIT_EXAMPLE}'"
)


class AuditError(RuntimeError):
    """The auditor could not be run at all (not found, timed out)."""


@dataclass(frozen=True)
class AuditRun:
    command: str  # as shown in the report
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def orphans(self) -> list[tuple[str, str]]:
        """(consumer, provider) of each allocation the auditor calls orphaned."""
        return list(dict.fromkeys((c.lower(), p.lower()) for c, p in _ORPHAN.findall(self.stdout)))

    @property
    def placement_unreachable(self) -> bool:
        """It failed because it could not reach Placement."""
        return (self.returncode not in (NOTHING_FOUND, ORPHANS_FOUND)
                and bool(_UNREACHABLE.search(self.stdout + self.stderr)))

    def describe(self) -> str:
        """What the report shows: the command, its exit code and time, its output."""
        output = self.stdout.strip() or "(no output)"
        text = f"$ {self.command}\nexit {self.returncode} after {self.seconds:.1f} s\n{output}"
        if self.returncode not in (NOTHING_FOUND, ORPHANS_FOUND):
            text += "\n--- stderr (last lines)\n" + "\n".join(self.stderr.strip().splitlines()[-15:])
        return text


class Audit:
    """Runs the auditor over a set of providers; ``missing`` says why it cannot."""

    def __init__(self, *, template: str | None = None,
                 runner: Callable = subprocess.run, timeout: float = TIMEOUT_S) -> None:
        self.template = template
        self._run, self.timeout = runner, timeout

    @property
    def missing(self) -> str | None:
        return None if self.template else NO_AUDIT

    def run(self, providers: Iterable[str]) -> list[AuditRun]:
        """One run per provider uuid if the command names ``{provider}``, else one."""
        if self.template is None:
            raise AuditError(NO_AUDIT)
        if "{provider}" not in self.template:
            return [self._shell(self.template)]
        return [self._shell(self.template.format(provider=shlex.quote(uuid))) for uuid in sorted(providers)]

    def _shell(self, command: str) -> AuditRun:
        return self._timed(command, lambda: self._run(command, shell=True, capture_output=True,
                                                      text=True, timeout=self.timeout))

    def _timed(self, command: str, call: Callable) -> AuditRun:
        # -D audit_command may carry a password: the report shows it masked.
        command = redaction.mask_command(command)
        started = time.monotonic()
        try:
            done = call()
        except subprocess.TimeoutExpired:
            raise AuditError(f"`{command}` did not finish in {self.timeout:g} s") from None
        except OSError as error:
            raise AuditError(f"`{command}` could not be run: {redaction.mask_command(str(error))}") from None
        return AuditRun(command, done.returncode, done.stdout or "", done.stderr or "",
                        time.monotonic() - started)


def choose(settings) -> Audit:
    """The audit the settings ask for (on the embedded cloud, its own unless
    -D audit_command gave one); ``missing`` says why there is none."""
    return Audit(template=settings.audit_command)
