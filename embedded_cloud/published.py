"""What the embedded cloud publishes for its clients: `embedded-cloud facts`.

The suite never imports this package (an import-linter contract in
pyproject.toml holds it to that). It runs `embedded-cloud up` and then
`embedded-cloud facts`, and everything it needs of this cloud comes from the
JSON printed here: where its clouds.yaml is, its image, the nova settings a
check depends on, and the commands that stop, kill, freeze, thaw and start a compute, cut
nova-api's path to Placement and run nova's placement audit. The command
settings are named as the suite's own `-D` keys, so the suite uses them as a
real cloud's user passes them.

No secret is published: the passwords stay in clouds.yaml (mode 0600).
"""
from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from .cloud import FAULT_ACTIONS
from .setup.clouds_yaml import ADMIN_CLOUD, MEMBER_CLOUD
from .layout import Layout, venv_bin
from .services import nova
from .state import State

FACTS_VERSION = 1


# Set by the CLI when it re-executes itself in an older release's Python
# (cli._in_release): the command the user ran, which chooses that release again.
COMMAND_ENV = "EMBEDDED_CLOUD_COMMAND"


def command() -> list[str]:
    """The `embedded-cloud` that was run (not an older release's interpreter),
    else this environment's script, else the module when no script was installed."""
    if os.environ.get(COMMAND_ENV):
        return shlex.split(os.environ[COMMAND_ENV])
    script = Path(venv_bin("embedded-cloud"))
    return [str(script)] if script.exists() else [sys.executable, "-m", "embedded_cloud"]


def _template(layout: Layout, *args: str) -> str:
    # Braces in a path must not read as placeholders of the suite's templates.
    line = shlex.join([*command(), "--run-dir", str(layout.root), *args])
    return line.replace("{", "{{").replace("}", "}}")


def facts(layout: Layout, state: State) -> dict:
    return {
        "version": FACTS_VERSION,
        "clouds_yaml": str(layout.clouds_yaml),
        "admin_cloud": ADMIN_CLOUD,
        "member_cloud": MEMBER_CLOUD,
        "image_id": state.image_id,
        "compute_hosts": list(nova.COMPUTE_HOSTS),
        "defects": dict(state.defects),
        # the nova settings that decide what a check can see (docs/nova-options.md)
        "nova": nova.published_settings(state.nova_options),
        "settings": {
            **{f"{action}_compute_command": _template(layout, "compute", action) + " {host}"
               for action in FAULT_ACTIONS},
            "cut_placement_path_command": _template(layout, "placement-path", "cut"),
            "restore_placement_path_command": _template(layout, "placement-path", "restore"),
            "audit_command": _template(layout, "nova-manage", "placement", "audit", "--verbose"),
        },
    }
