"""RabbitMQ: a private broker node for nova's RPC, with its own epmd, on loopback only.

We run epmd ourselves (not as the broker's daemonised helper) so that its PID
is ours to stop, and run the broker in the foreground through Debian's
script with RABBITMQ_ALLOW_INPUT set, which makes the script exec the Erlang
VM: the PID we record is the broker's.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..runtime.binaries import require
from ..context import Ctx
from ..runtime.ports import accepts_connections
from ..runtime.processes import ProcessSpec
from ..state import written_file
from . import erlang_code
from .entry import Service, untimed

NAME = "rabbitmq"
EPMD = "epmd"


def _node(ctx: Ctx) -> str:
    # Unique per run dir so that two clouds on one machine never clash.
    digest = hashlib.sha1(str(ctx.layout.root).encode()).hexdigest()[:8]
    return f"embedded-{digest}@localhost"


def epmd_spec(ctx: Ctx) -> ProcessSpec:
    return ProcessSpec(
        name=EPMD,
        argv=[require("epmd", "rabbitmq-server"), "-port", str(ctx.port(EPMD)),
              "-address", "127.0.0.1"],
        log=ctx.layout.log(EPMD),
    )


def _code_env(base: Path, script: str) -> dict[str, str]:
    """RABBITMQ_PLUGINS_DIR: links to the applications the broker loads (erlang_code.py says why)."""
    if os.pathsep in str(base):
        return {}  # RabbitMQ reads the variable as a list of directories
    # The script finds its home from its real path, as we do; erl's real
    # path is <Erlang root>/bin/erl.
    home = Path(os.path.realpath(script)).parent.parent
    erlang_lib = Path(os.path.realpath(require("erl", "erlang-base"))).parent.parent / "lib"
    linked = erlang_code.plugins_dir(base / "code", [home / "plugins", erlang_lib])
    return {"RABBITMQ_PLUGINS_DIR": str(linked)} if linked else {}


def spec(ctx: Ctx) -> ProcessSpec:
    base = ctx.layout.datadir(NAME)
    for sub in ("mnesia", "log", "home"):
        (base / sub).mkdir(parents=True, exist_ok=True)
    plugins = written_file(base / "enabled_plugins", "[].\n", 0o644)
    conf = written_file(ctx.conf_path("rabbitmq.conf"),
                        "disk_free_limit.absolute = 50MB\nlog.console = true\nlog.file = false\n", 0o644)
    # RabbitMQ's own script, not Debian's /usr/sbin wrapper that drops to
    # the rabbitmq user (who could not write into our run directory).
    script = require("rabbitmq-server", "rabbitmq-server", prefer="/usr/lib/rabbitmq/bin")
    return ProcessSpec(
        name=NAME,
        argv=[script],
        cwd=base,
        log=ctx.layout.log(NAME),
        env={
            **_code_env(base, script),
            "HOME": str(base / "home"),
            "RABBITMQ_NODENAME": _node(ctx),
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(ctx.port(NAME)),
            "RABBITMQ_DIST_PORT": str(ctx.port("rabbitmq-dist")),
            "RABBITMQ_MNESIA_BASE": str(base / "mnesia"),
            "RABBITMQ_LOG_BASE": str(base / "log"),
            "RABBITMQ_PID_FILE": str(base / "pid"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(plugins),
            "RABBITMQ_CONFIG_FILE": str(conf),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(base / "advanced.config"),
            "RABBITMQ_CONF_ENV_FILE": str(base / "rabbitmq-env.conf"),
            "RABBITMQ_ALLOW_INPUT": "1",
            "ERL_EPMD_PORT": str(ctx.port(EPMD)),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            # No busy-waiting schedulers: on two shared cores their spinning
            # takes CPU from the nova processes starting beside the broker.
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS":
                "-noinput -kernel inet_dist_use_interface {127,0,0,1} "
                "+sbwt none +sbwtdcpu none +sbwtdio none",
        },
    )


def epmd_ready(ctx: Ctx) -> bool:
    return accepts_connections(ctx.port(EPMD))


def ready(ctx: Ctx) -> bool:
    # The AMQP listener opens last in the broker's boot.
    return accepts_connections(ctx.port(NAME))


def transport_url(ctx: Ctx) -> str:
    # guest/guest is accepted on loopback only, which is all we use.
    return f"rabbit://guest:guest@127.0.0.1:{ctx.port(NAME)}/"


EPMD_SERVICE = Service(EPMD, epmd_spec, untimed(epmd_ready), ports=(EPMD,), infrastructure=True)
BROKER = Service(NAME, spec, untimed(ready), ports=(NAME, "rabbitmq-dist"), after=(EPMD,),
                 infrastructure=True)
