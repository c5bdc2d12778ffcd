"""Placement: the inventories, usages and allocations the suite checks."""
from __future__ import annotations

from .. import schema_cache
from ..context import Ctx, ini
from ..launch import launch_argv
from ..processes import ProcessSpec
from ..state import written_file
from .http_probe import answers
from .wsgi_server import gunicorn_spec

NAME = "placement"


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
    if schema_cache.restore_mariadb(ctx, "placement-manage", "placement.sql", ("placement",)):
        return
    ctx.run("placement-manage", launch_argv("placement-manage", "placement.cmd.manage:main",
                                            "--config-file", str(_conf(ctx)), "db", "sync"))
    schema_cache.save_mariadb(ctx, "placement-manage", "placement.sql", ("placement",))


def spec(ctx: Ctx) -> ProcessSpec:
    return gunicorn_spec(ctx, NAME, "embedded_cloud.wsgi.placement:application",
                         env={"OS_PLACEMENT_CONFIG_DIR": str(_conf(ctx).parent)})


def ready(ctx: Ctx) -> bool:
    return answers(ctx.port(NAME))
