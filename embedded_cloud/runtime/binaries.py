"""Finding the Debian programs the cloud runs, with a fix-it message when one is missing."""
from __future__ import annotations

import os
import shutil

from ..errors import CloudError

# Debian puts the broker's scripts outside PATH and the database server in sbin.
DEFAULT_EXTRA_DIRS = ("/usr/sbin", "/usr/lib/rabbitmq/bin", "/usr/lib/erlang/bin")


def search_path() -> str:
    override = os.environ.get("EMBEDDED_CLOUD_SEARCH_PATH")
    if override is not None:
        return override
    return os.pathsep.join([os.environ.get("PATH", ""), *DEFAULT_EXTRA_DIRS])


def require(program: str, package: str, prefer: str | None = None) -> str:
    """The program's path; `prefer` is a directory searched first."""
    path = search_path()
    if prefer and os.environ.get("EMBEDDED_CLOUD_SEARCH_PATH") is None:
        path = os.pathsep.join([prefer, path])
    found = shutil.which(program, path=path)
    if not found:
        raise CloudError(
            f"{program} not found: the Debian package {package} is missing; "
            f"install it with: apt-get install -y {package}"
        )
    return found


# Every Debian program the cloud runs, with the package that installs it.
PROGRAMS = (
    ("epmd", "rabbitmq-server", None),
    ("rabbitmq-server", "rabbitmq-server", "/usr/lib/rabbitmq/bin"),
    ("mariadb-install-db", "mariadb-server", None),
    ("mariadbd", "mariadb-server", None),
)


def require_all() -> None:
    """Fail before anything starts when a Debian package is missing."""
    missing = {}
    for program, package, prefer in PROGRAMS:
        try:
            require(program, package, prefer)
        except CloudError:
            missing.setdefault(package, program)
    if missing:
        packages = " ".join(missing)
        raise CloudError(
            f"{', '.join(missing.values())} not found: the Debian package"
            f"{'s' if len(missing) > 1 else ''} {packages} "
            f"{'are' if len(missing) > 1 else 'is'} missing; install with: apt-get install -y {packages}"
        )
