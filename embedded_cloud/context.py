"""What every service module needs: paths, ports, passwords, and a runner for one-shot commands."""
from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from .errors import CloudError
from .layout import Layout
from .runtime.processes import command_environment, tail
from .state import State

REGION = "RegionOne"
# Runs a command (argv, environment, log file descriptor, timeout) elsewhere;
# its exit code, or None if it could not (then it runs as a subprocess).
Fork = Callable[[list[str], dict[str, str], int, float], Optional[int]]


def ini(sections: dict[str, dict[str, object]]) -> str:
    """Render an oslo.config style file (order kept, booleans lower-case)."""
    lines = []
    for section, options in sections.items():
        lines.append(f"[{section}]")
        for key, value in options.items():
            if isinstance(value, bool):
                value = str(value).lower()
            lines.append(f"{key} = {value}")
        lines.append("")
    return "\n".join(lines)


@dataclass
class Ctx:
    layout: Layout
    state: State
    # The start-up's progress line (EmbeddedCloud.say); None: the log only.
    say: Optional[Callable[[str, str], None]] = None

    def note(self, name: str, what: str) -> None:
        """One line in a set-up command's log, and on the console during `up`."""
        log = self.layout.log(name)
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a") as handle:
            handle.write(f"{time.strftime('%H:%M:%S')} {what}\n")
        if self.say:
            self.say(name, what)

    def port(self, name: str) -> int:
        return self.state.ports[name]

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port(name)}"

    @property
    def auth_url(self) -> str:
        return f"{self.url('keystone')}/v3"

    def db_url(self, database: str) -> str:
        # A unix socket keeps the URL the same across restarts (no port in it)
        # and keeps MariaDB off the network entirely.
        return (
            f"mysql+pymysql://root@localhost/{database}"
            f"?unix_socket={self.layout.mariadb_socket}&charset=utf8"
        )

    def service_auth(self, user: str) -> dict[str, object]:
        """keystoneauth password options for a service user (nova, placement, glance)."""
        return {
            "auth_type": "password",
            "auth_url": self.auth_url,
            "username": user,
            "password": self.state.password(user),
            "project_name": "service",
            "user_domain_name": "Default",
            "project_domain_name": "Default",
        }

    def authtoken(self, user: str) -> dict[str, object]:
        """keystonemiddleware settings: validate tokens against our Keystone."""
        return {
            "www_authenticate_uri": self.auth_url,
            **self.service_auth(user),
            # The catalog has public endpoints; the middleware's default is internal.
            "interface": "public",
            "region_name": REGION,
        }

    def run(self, name: str, argv: list[str], *, env: dict[str, str] | None = None,
            timeout: float = 300.0, fork: Fork | None = None) -> float:
        """Run a one-shot set-up command, its output into the log; return seconds taken.

        `fork`, if given, runs it in a process that has its imports done (the
        nova zygote); when that answers None, the command runs on its own."""
        log = self.layout.log(name)
        log.parent.mkdir(parents=True, exist_ok=True)
        full_env = command_environment(self.layout.root, env)
        started = time.monotonic()
        with open(log, "ab") as handle:
            handle.write(f"\n===== {time.strftime('%H:%M:%S')} {' '.join(argv[:3])} ...\n".encode())
            handle.flush()
            try:
                returncode = fork(argv, full_env, handle.fileno(), timeout) if fork else None
                if returncode is None:
                    returncode = subprocess.run(
                        argv, stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT,
                        env=full_env, timeout=timeout,
                    ).returncode
            except FileNotFoundError:
                raise CloudError(f"{argv[0]} is not installed; run bin/setup to install it") from None
            except subprocess.TimeoutExpired:
                raise CloudError(f"{name} took over {timeout:.0f} s; see {log}") from None
        if returncode != 0:
            raise CloudError(
                f"{name} failed (exit {returncode}); last lines of {log}:\n{tail(log)}"
            )
        return time.monotonic() - started

    def conf_path(self, name: str) -> Path:
        return self.layout.conf(name)
