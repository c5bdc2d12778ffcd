"""Placement: the inventories, usages and allocations the suite checks."""
from __future__ import annotations

import sys

from ..context import Ctx, ini
from ..runtime.launch import launch_argv
from ..runtime.ports import accepts_connections
from ..runtime.processes import ProcessSpec
from ..state import written_file
from . import mariadb
from .entry import Service, untimed
from .http_probe import answers
from .wsgi_server import gunicorn_spec

NAME = "placement"
# nova-api's own path to Placement, which the fault controls cut (relay.py).
RELAY = "placement-relay"


def _conf(ctx: Ctx):
    return ctx.conf_path("placement/placement.conf")


def write_config(ctx: Ctx) -> None:
    written_file(_conf(ctx), ini({
        "DEFAULT": {"debug": False},
        "api": {"auth_strategy": "keystone"},
        "placement_database": {"connection": ctx.db_url("placement")},
        "keystone_authtoken": ctx.authtoken("placement"),
        # Unused (keystone auth), but its default is /etc/htpasswd.
        "oslo_middleware": {"http_basic_auth_user_file":
                            ctx.layout.datadir(NAME) / "htpasswd"},
    }))


def initialize(ctx: Ctx) -> None:
    if mariadb.restore_schemas(ctx, "placement-manage", "placement.sql", ("placement",)):
        return
    ctx.run("placement-manage", launch_argv("placement-manage", "placement.cmd.manage:main",
                                            "--config-file", str(_conf(ctx)), "db", "sync"))
    mariadb.save_schemas(ctx, "placement-manage", "placement.sql", ("placement",))


def spec(ctx: Ctx) -> ProcessSpec:
    return gunicorn_spec(ctx, NAME, "embedded_cloud.wsgi.placement:application",
                         env={"OS_PLACEMENT_CONFIG_DIR": str(_conf(ctx).parent)})


def ready(ctx: Ctx) -> bool:
    return answers(ctx.port(NAME))


def relay_spec(ctx: Ctx) -> ProcessSpec:
    return ProcessSpec(
        name=RELAY,
        argv=[sys.executable, "-m", "embedded_cloud.runtime.relay", str(ctx.port(RELAY)),
              str(ctx.port(NAME))],
        log=ctx.layout.log(RELAY),
    )


def relay_ready(ctx: Ctx) -> bool:
    return accepts_connections(ctx.port(RELAY))


SERVICE = Service(NAME, spec, untimed(ready), ports=(NAME,), write_config=write_config,
                  initialise=initialize, after=(mariadb.DATABASES_CREATED,),
                  endpoint=("placement", "placement", ""), user=NAME, databases=(NAME,),
                  schema_package="openstack-placement")
RELAY_SERVICE = Service(RELAY, relay_spec, untimed(relay_ready), ports=(RELAY,))
