"""The OpenStack releases the embedded cloud can run, and the virtualenv of each.

The newest release (2026.2) runs from the project's own virtualenv. Each
older one gets a virtualenv of its own, installed from PyPI on first use
with that release's upper-constraints (openstack/requirements, kept here as
``upper-constraints-<release>.txt``; each file's first line names the
branch or tag and commit it was taken from) and kept between runs.

Versions are each release's last one, from openstack/releases
``deliverables/<series>/<project>.yaml``. The max compute microversions
were read from each nova wheel's ``nova/api/openstack/api_version_request.py``
(``_MAX_API_VERSION``) where installed, else from nova's REST API history.

A failed install leaves nothing behind: the virtualenv is built under a
temporary name and renamed into place only once pip has succeeded.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..errors import CloudError

DATA = Path(__file__).parent
PROJECT = str(DATA.parents[1])  # on the release's PYTHONPATH: the cloud's own modules
CURRENT = "EMBEDDED_CLOUD_RELEASE"  # the release this process runs (set by the CLI)
ENV = "EMBEDDED_CLOUD_RELEASES_DIR"  # where the older releases' virtualenvs live
DEFAULT_DIR = Path.home() / ".cache" / "embedded-cloud" / "releases"
# Beside the OpenStack projects, what the embedded cloud's own code imports in
# the services' processes (embedded_cloud/wsgi/serve.py, the MariaDB driver).
HELPERS = ("PyMySQL", "gunicorn", "openstacksdk", "xmlschema", "PyYAML")
PROGRESS_EVERY = 10.0  # seconds between progress lines of an install


@dataclass(frozen=True)
class Release:
    name: str  # "2024.1"
    series: str  # openstack/releases' name for it
    nova: str
    placement: str
    keystone: str
    glance: str
    compute_max_microversion: str
    # None: the project's own virtualenv and constraints.txt
    constraints: str | None

    @property
    def requirements(self) -> tuple[str, ...]:
        return (f"nova=={self.nova}", f"openstack-placement=={self.placement}",
                f"keystone=={self.keystone}", f"glance=={self.glance}", *HELPERS)

    @property
    def own_virtualenv(self) -> bool:
        return self.constraints is not None


RELEASES: dict[str, Release] = {r.name: r for r in (
    Release("2024.1", "caracal", "29.4.0", "11.0.1", "25.0.0", "28.2.0", "2.96",
            "upper-constraints-2024.1.txt"),
    Release("2024.2", "dalmatian", "30.3.0", "12.0.2", "26.1.1", "29.2.1", "2.96",
            "upper-constraints-2024.2.txt"),
    Release("2025.1", "epoxy", "31.3.1", "13.0.0", "27.0.2", "30.2.0", "2.100",
            "upper-constraints-2025.1.txt"),
    Release("2025.2", "flamingo", "32.2.1", "14.0.0", "28.0.2", "31.1.0", "2.100",
            "upper-constraints-2025.2.txt"),
    Release("2026.1", "gazpacho", "33.0.2", "15.0.0", "29.0.2", "32.0.0", "2.103",
            "upper-constraints-2026.1.txt"),
    Release("2026.2", "hibiscus", "34.0.0", "16.0.0", "30.0.0", "33.0.0", "2.104", None),
)}
NEWEST = "2026.2"


def choose(name: str | None) -> Release:
    """The release called ``name`` (None: the newest); a CloudError naming the valid ones."""
    if name is None:
        return RELEASES[NEWEST]
    if name not in RELEASES:
        raise CloudError(f"release {name!r} is not one the embedded cloud runs; "
                         f"pass --release {' | '.join(RELEASES)} (default {NEWEST})")
    return RELEASES[name]


def releases_dir() -> Path:
    return Path(os.environ.get(ENV) or DEFAULT_DIR)


def python_of(release: Release) -> str:
    """The interpreter that runs ``release``'s services (installed or not)."""
    if not release.own_virtualenv:
        return sys.executable
    return str(releases_dir() / release.name / "bin" / "python")


def is_current(release: Release) -> bool:
    """Does this interpreter run ``release``'s services?"""
    if not release.own_virtualenv:
        return not _in_a_release_virtualenv()
    return Path(sys.prefix).resolve() == (releases_dir() / release.name).resolve()


def _in_a_release_virtualenv() -> bool:
    return Path(sys.prefix).resolve().parent == releases_dir().resolve()


def installed(release: Release) -> bool:
    return not release.own_virtualenv or Path(python_of(release)).exists()


def ensure(release: Release, say: Callable[[str], None] = print) -> str:
    """The release's Python, installing its virtualenv first if needed."""
    if installed(release):
        return python_of(release)
    home = releases_dir()
    home.mkdir(parents=True, exist_ok=True)
    with _locked(home / f".{release.name}.lock"):
        if not installed(release):  # another process may have built it meanwhile
            _install(release, home, say)
    return python_of(release)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _install(release: Release, home: Path, say: Callable[[str], None]) -> None:
    building = home / f".{release.name}.building"
    shutil.rmtree(building, ignore_errors=True)  # what a killed install left
    start = time.monotonic()
    say(f"release {release.name}: first use, installing nova {release.nova}, placement "
        f"{release.placement}, keystone {release.keystone}, glance {release.glance} into "
        f"{home / release.name} (about 450 MB, a few minutes)")
    try:
        subprocess.run([sys.executable, "-m", "venv", str(building)], check=True,
                       capture_output=True, text=True)
        _pip(release, building, say, start)
        building.rename(home / release.name)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    size = _megabytes(home / release.name)
    say(f"release {release.name}: installed in {_duration(time.monotonic() - start)} "
        f"({size} MB)")


def _pip(release: Release, venv: Path, say: Callable[[str], None], start: float) -> None:
    command = [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check",
               "--progress-bar", "off", "-c", str(DATA / release.constraints), *release.requirements]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines, collected, last = [], 0, time.monotonic()
    for line in process.stdout:
        lines.append(line.rstrip())
        if line.startswith("Collecting "):
            collected += 1
        if time.monotonic() - last >= PROGRESS_EVERY:
            last = time.monotonic()
            say(f"release {release.name}: {collected} packages collected, "
                f"{_duration(last - start)}: {_phase(line)}")
    if process.wait() != 0:
        raise CloudError(f"release {release.name} did not install: {_cause(lines)}; "
                         f"nothing was kept (pip's output: rerun with {' '.join(command[2:5])} ...)")


def _phase(line: str) -> str:
    words = line.split()
    return " ".join(words[:2]) if words else ""


# pip's words for the usual failures, and what to do about each.
_FAILURES = (
    (re.compile(r"No matching distribution found for (\S+)"),
     "no matching distribution for {0} on the package index"),
    (re.compile(r"Failed building wheel for (\S+)|Failed to build (\S+)"),
     "building the wheel of {0} failed (a C compiler and headers are needed: "
     "apt-get install -y build-essential python3-dev libssl-dev)"),
    (re.compile(r"ResolutionImpossible|conflicting dependencies"),
     "pip found conflicting requirements"),
)


def _cause(lines: list[str]) -> str:
    for pattern, text in _FAILURES:
        for line in lines:
            if found := pattern.search(line):
                return text.format(next((g for g in found.groups() if g), "?"))
    tail = next((line for line in reversed(lines) if line.strip()), "pip failed")
    return " ".join(tail.split())[:200]


def _megabytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) // 2**20


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
