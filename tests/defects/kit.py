"""What the defect tests do to the embedded cloud, with openstacksdk and the cloud's fault controls.

One `Cloud` per test session, in its own run directory; `ensure(defects)`
runs `embedded-cloud up --defect ...` only when the defects in force differ.
"""
from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import openstack
from openstack.config import loader

from embedded_cloud.cloud import EmbeddedCloud
from embedded_cloud.state import State
from tests.openstack_kit import embedded_cloud_cli as cli

PROJECT = Path(__file__).resolve().parents[2]
HOST = "compute1"
OTHER = "compute2"
FLAVOR = "defects-tiny"
PLACEMENT = "1.39"
COMPUTE = "2.74"  # host-targeted boot; also past 2.21 (actions of deleted servers) and 2.53


class Cloud:
    def __init__(self, run_dir: Path):
        self.run_dir = run_dir
        self.ups: list[tuple[dict[str, str], float]] = []  # (defects, seconds) per real `up`
        self._conn = None

    # ---------------------------------------------------------------- life
    def defects_in_force(self) -> dict[str, str]:
        return dict(State.load(EmbeddedCloud(self.run_dir).layout).defects)

    def ensure(self, defects: dict[str, str], nova_options: tuple[str, ...] = ()) -> None:
        """Bring the cloud up with exactly these defects (SERVICE=NAME as for the CLI)
        and nova options (SECTION.KEY=VALUE; none: the embedded cloud's own)."""
        args = [a for service, name in defects.items() for a in ("--defect", f"{service}={name}")]
        args += [a for option in nova_options for a in ("--nova-option", option)]
        started = time.monotonic()
        result = cli(self.run_dir, "up", *args)
        if result.returncode != 0:
            raise RuntimeError(f"embedded-cloud up {' '.join(args)} failed:\n{result.stdout[-3000:]}"
                               f"\n{result.stderr[-3000:]}")
        if "already running" not in result.stdout:
            self.ups.append((defects, time.monotonic() - started))
        self._conn = None

    def injected(self, process: str) -> str | None:
        """The defect `process` announced in its log since it last started, if any."""
        text = (self.run_dir / "log" / f"{process}.log").read_text(errors="replace")
        since_start = text.rsplit(f"starting {process}\n", 1)[-1]
        found = re.search(r"embedded-cloud: defect '([^']+)' injected", since_start)
        return found.group(1) if found else None

    def down(self) -> None:
        cli(self.run_dir, "down")

    def faults(self) -> EmbeddedCloud:
        return EmbeddedCloud(self.run_dir, progress=lambda line: None)

    @property
    def conn(self) -> openstack.connection.Connection:
        if self._conn is None:
            config = loader.OpenStackConfig(config_files=[str(self.run_dir / "clouds.yaml")],
                                            load_envvars=False)
            region = config.get_one(cloud="embedded-admin", compute_api_version=COMPUTE)
            self._conn = openstack.connection.Connection(config=region)
        return self._conn

    # ------------------------------------------------------------- compute
    def flavor_id(self) -> str:
        flavor = self.conn.compute.find_flavor(FLAVOR)
        if flavor is None:
            flavor = self.conn.compute.create_flavor(name=FLAVOR, vcpus=1, ram=64, disk=1)
        return flavor.id

    def boot(self, host: str = HOST):
        image = self.conn.image.find_image("embedded-fake-image", ignore_missing=False)
        server = self.conn.compute.create_server(
            name=f"defects-{uuid.uuid4().hex[:8]}", flavor_id=self.flavor_id(), image_id=image.id,
            networks="none", host=host)
        return self.conn.compute.wait_for_server(server, status="ACTIVE", interval=0.5, wait=120)

    def service(self, host: str = HOST):
        return next(self.conn.compute.services(binary="nova-compute", host=host))

    def force_down(self, down: bool, host: str = HOST) -> None:
        self.conn.compute.update_service_forced_down(self.service(host), host, "nova-compute", down)

    def set_disabled(self, disabled: bool, host: str = HOST) -> None:
        service = self.service(host)
        if disabled:
            self.conn.compute.disable_service(service, host, "nova-compute", "defect test")
        else:
            self.conn.compute.enable_service(service, host, "nova-compute")

    def gone_within(self, server_id: str, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.conn.compute.find_server(server_id, ignore_missing=True) is None:
                return True
            time.sleep(0.3)
        return False

    def task_state(self, server_id: str) -> str | None:
        return self.conn.compute.get_server(server_id).task_state

    def action_events(self, server_id: str, action: str = "delete") -> list[str]:
        """Event names of the server's `action` (nova lists them for deleted servers since 2.21)."""
        for summary in self.conn.compute.server_actions(server_id):
            if summary.action == action:
                detail = self.conn.compute.get_server_action(summary.request_id, server_id)
                return [event.event for event in detail.events or []]
        return []

    # ----------------------------------------------------------- placement
    def allocations(self, consumer: str) -> dict:
        response = self.conn.placement.get(f"/allocations/{consumer}", microversion=PLACEMENT)
        response.raise_for_status()
        return response.json()["allocations"]

    def provider_id(self, host: str) -> str:
        """The uuid of ``host``'s resource provider (named after its node, which is the host here)."""
        return next(p.id for p in self.conn.placement.resource_providers() if p.name == host)

    def audit(self, host: str = HOST) -> tuple[int, str]:
        """nova's own auditor on ``host``'s provider: its exit code and verbose output."""
        done = self.faults().nova_manage("placement", "audit", "--verbose",
                                         "--resource_provider", self.provider_id(host))
        return done.returncode, done.stdout if done.returncode in (0, 3) else done.stderr[-2000:]

    def drop_allocations(self, consumer: str) -> None:
        """Tidy what a defect leaked, so the next test starts clean."""
        self.conn.placement.delete(f"/allocations/{consumer}", microversion=PLACEMENT)

    # ------------------------------------------------------------- restore
    def restore(self, host: str = HOST) -> None:
        """compute1 running, not forced down, enabled; nova-api reaches Placement."""
        faults = self.faults()
        faults.restore_placement_path()
        faults.start_compute(host)
        service = self.service(host)
        if service.is_forced_down:
            self.force_down(False, host)
        if service.status == "disabled":
            self.set_disabled(False, host)


@dataclass
class Doomed:
    """A server booted on compute1 and what Placement held for it."""

    id: str
    allocations: dict
