"""The embedded cloud as the suite sees it: a command it runs and the facts
that command publishes. Never an import of the cloud's code: the suite
installs and runs without it (pyproject.toml's import-linter contracts).

    embedded-cloud [--run-dir DIR] up --keep-configuration   start it, or find it running
    embedded-cloud [--run-dir DIR] facts                     JSON: clouds.yaml, image,
                                                             nova settings, fault commands

The command is found beside this Python (the same virtualenv) or on PATH.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

COMMAND = "embedded-cloud"
NOT_INSTALLED = (
    "no cloud is named and the embedded cloud is not installed: name your cloud "
    "(-D cloud=NAME, OS_CLOUD or the OS_* variables) or install the embedded cloud "
    "(bin/setup in a clone of the suite)"
)
FACTS_TIMEOUT = 60.0  # seconds: `facts` reads a file; `up` has no bound (it shows progress)


class EmbeddedCloudError(RuntimeError):
    """The embedded cloud could not be started or read; the message says why in one line."""


@dataclass(frozen=True)
class EmbeddedFacts:
    """What `embedded-cloud facts` published (embedded_cloud/published.py)."""

    clouds_yaml: str
    admin_cloud: str
    image_id: str
    # nova.conf values that decide what a check can see, "SECTION.key" -> value
    nova: Mapping[str, object] = field(default_factory=dict)
    # defaults for the suite's own -D keys: the fault and audit commands
    settings: Mapping[str, str] = field(default_factory=dict)

    def nova_setting(self, name: str) -> float:
        return float(self.nova[name])

    @classmethod
    def from_json(cls, text: str) -> EmbeddedFacts:
        raw = json.loads(text)
        return cls(clouds_yaml=raw["clouds_yaml"], admin_cloud=raw["admin_cloud"],
                   image_id=raw["image_id"], nova=raw.get("nova", {}),
                   settings=raw.get("settings", {}))


def command() -> list[str] | None:
    """The `embedded-cloud` command of this Python's environment, else on PATH; None: not installed."""
    beside = Path(sys.executable).parent / COMMAND
    if beside.is_file():
        return [str(beside)]
    found = shutil.which(COMMAND)
    return [found] if found else None


def require_command() -> list[str]:
    found = command()
    if found is None:
        raise EmbeddedCloudError(NOT_INSTALLED)
    return found


def _base(run_dir: str | None) -> list[str]:
    return [*require_command(), *(["--run-dir", run_dir] if run_dir else [])]


def start(run_dir: str | None, progress: Callable[[str], None]) -> EmbeddedFacts:
    """Start the embedded cloud with the defects and options it has (or find
    it running), its progress line by line through ``progress``; then its facts."""
    process = subprocess.Popen([*_base(run_dir), "up", "--keep-configuration"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               stdin=subprocess.DEVNULL)
    last = ""
    with process:
        for line in process.stdout:
            if line.strip():
                last = line.rstrip()
                progress(last)
    if process.returncode != 0:
        raise EmbeddedCloudError(f"the embedded cloud did not start: `{COMMAND} up` exited "
                                 f"{process.returncode}: {last}")
    return facts(run_dir)


def facts(run_dir: str | None) -> EmbeddedFacts:
    """The running (or set-up) embedded cloud's facts, without starting anything."""
    try:
        done = subprocess.run([*_base(run_dir), "facts"], capture_output=True, text=True,
                              timeout=FACTS_TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise EmbeddedCloudError(f"`{COMMAND} facts` did not answer in {FACTS_TIMEOUT:g} s") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise EmbeddedCloudError(last)
    try:
        return EmbeddedFacts.from_json(done.stdout)
    except (ValueError, KeyError, TypeError) as error:
        raise EmbeddedCloudError(f"`{COMMAND} facts` printed no facts the suite can read ({error})") from None
