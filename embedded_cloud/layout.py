"""Where everything of one embedded cloud lives inside its run directory."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CLOUD_DIR = PROJECT_ROOT / ".run" / "cloud"


def venv_prefix() -> Path:
    """The environment nova, keystone and friends were installed into."""
    return Path(sys.prefix)


def venv_bin(name: str) -> str:
    return str(venv_prefix() / "bin" / name)


@dataclass(frozen=True)
class Layout:
    root: Path

    @classmethod
    def resolve(cls, run_dir: str | os.PathLike | None = None) -> "Layout":
        chosen = run_dir or os.environ.get("EMBEDDED_CLOUD_DIR") or DEFAULT_CLOUD_DIR
        return cls(Path(chosen).expanduser().resolve())

    @property
    def state_file(self) -> Path:
        return self.root / "state.json"

    @property
    def lock_file(self) -> Path:
        return self.root / "lock"

    @property
    def clouds_yaml(self) -> Path:
        return self.root / "clouds.yaml"

    @property
    def standin_record(self) -> Path:
        """The requests the Neutron stand-in could not answer (wsgi/neutron_standin.py)."""
        return self.root / "neutron-standin-unanswered.jsonl"

    @property
    def etc(self) -> Path:
        return self.root / "etc"

    @property
    def logs(self) -> Path:
        return self.root / "log"

    @property
    def data(self) -> Path:
        return self.root / "data"

    def log(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def conf(self, name: str) -> Path:
        return self.etc / name

    def datadir(self, name: str) -> Path:
        return self.data / name

    @property
    def mariadb_socket(self) -> Path:
        return self.datadir("mariadb") / "mysqld.sock"

    def make(self) -> None:
        for path in (self.root, self.etc, self.logs, self.data):
            path.mkdir(parents=True, exist_ok=True)
        # clouds.yaml and the configs hold passwords.
        os.chmod(self.root, 0o700)
