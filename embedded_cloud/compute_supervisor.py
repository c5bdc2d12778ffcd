"""The compute supervisor's program: one process of the cloud that restarts
each nova-compute the policy restarts (runtime/supervisor.py, systemd's
``Restart=``), as `embedded-cloud up --compute-supervisor POLICY:SECONDS`
starts it.

    python -m embedded_cloud.compute_supervisor --run-dir DIR
"""
from __future__ import annotations

import argparse
import sys
import time

from .cloud import EmbeddedCloud
from .errors import CloudError
from .runtime.supervisor import parse
from .services import nova

POLL = 0.2  # seconds between looks at the computes


def supervise(run_dir: str) -> None:
    """Forever: restart each compute that went down in a way the policy
    restarts, ``delay`` seconds after it was first seen down."""
    cloud = EmbeddedCloud(run_dir)
    down_since: dict[str, float] = {}
    while True:
        cloud.reload()
        policy = parse(cloud.state.compute_supervisor)
        if policy is None:
            return
        for host in nova.COMPUTE_HOSTS:
            name = nova.compute_process(host)
            if name not in cloud.state.processes or cloud.is_running(name):
                down_since.pop(name, None)
                continue
            cause = cloud.state.exits.get(name)
            if not policy.restarts(cause):
                down_since.pop(name, None)
                continue
            first_seen = down_since.setdefault(name, time.monotonic())
            if time.monotonic() - first_seen >= policy.delay:
                cloud.say(name, f"down ({cause or 'died'}): restarting it ({policy})")
                try:
                    cloud.restart_compute_unless_held(host)
                except CloudError as error:
                    cloud.say(name, f"restart failed: {error}")
                down_since.pop(name, None)
        time.sleep(POLL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m embedded_cloud.compute_supervisor")
    parser.add_argument("--run-dir", required=True)
    supervise(parser.parse_args(argv).run_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
