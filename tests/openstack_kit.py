"""openstacksdk helpers shared by the test packages that use a real cloud."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
IMAGE = "embedded-fake-image"


def boot(conn, name: str, flavor_id: str, host: str | None = None):
    """A `networks: none` server from the embedded image, ACTIVE (on `host` if named)."""
    image = conn.image.find_image(IMAGE, ignore_missing=False)
    extra = {"host": host} if host else {}
    server = conn.compute.create_server(name=name, flavor_id=flavor_id, image_id=image.id,
                                        networks="none", **extra)
    return conn.compute.wait_for_server(server, status="ACTIVE", wait=120)


def wait_until(predicate, timeout: float, what: str, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not so after {timeout:.0f} s")
        time.sleep(interval)


def wait_for_line(path, text: str, timeout: float = 10):
    """Until `text` appears in the file at `path` (a child process's marker file)."""
    wait_until(lambda: path.exists() and text in path.read_text(), timeout,
               f"{text!r} in {path}", interval=0.02)


def embedded_cloud_cli(run_dir: Path, *args: str, env: dict[str, str] | None = None,
                       timeout: float = 300) -> subprocess.CompletedProcess:
    """`embedded-cloud --run-dir RUN_DIR ARGS...` as a user runs it, output captured."""
    return subprocess.run([sys.executable, "-m", "embedded_cloud", "--run-dir", str(run_dir), *args],
                          cwd=PROJECT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def os_environment(clouds_yaml: Path, cloud: str = "embedded-admin") -> dict[str, str]:
    """The OS_* variables a real-cloud user exports (as an openrc file does),
    read from a clouds.yaml entry: the suite then knows the cloud only by them."""
    import yaml

    entry = yaml.safe_load(Path(clouds_yaml).read_text())["clouds"][cloud]
    auth = entry["auth"]
    return {
        "OS_AUTH_URL": auth["auth_url"],
        "OS_USERNAME": auth["username"],
        "OS_PASSWORD": auth["password"],
        "OS_PROJECT_NAME": auth["project_name"],
        "OS_USER_DOMAIN_NAME": auth["user_domain_name"],
        "OS_PROJECT_DOMAIN_NAME": auth["project_domain_name"],
        "OS_REGION_NAME": entry["region_name"],
        "OS_IDENTITY_API_VERSION": str(entry["identity_api_version"]),
        "OS_INTERFACE": entry["interface"],
    }


def openstack_cli(clouds_yaml: Path, *args: str, compute_version: str | None = None,
                  cloud: str = "embedded-admin", timeout: float = 180) -> subprocess.CompletedProcess:
    """The `openstack` CLI of .venv as a user runs it on the cloud's clouds.yaml (no OS_*
    settings of this shell), at its default compute microversion unless one is given."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("OS_")}
    version = ["--os-compute-api-version", compute_version] if compute_version else []
    return subprocess.run([str(PROJECT / ".venv/bin/openstack"), "--os-cloud", cloud, *version, *args],
                          capture_output=True, text=True, timeout=timeout,
                          env={**env, "OS_CLIENT_CONFIG_FILE": str(clouds_yaml)})
