"""Glance: the image every test server boots from (file store, sqlite), and its metadefs.

A cold start migrates glance's database and loads the metadata definitions
glance ships (`glance-manage db_load_metadefs`, the JSON files the glance
wheel installs under the virtualenv's etc/glance/metadefs), as a real
deployment does; both are kept in the schema cache as one glance.db.
"""
from __future__ import annotations

import shutil

from ..setup import schema_cache
from ..context import Ctx, ini
from ..runtime.launch import launch_argv
from ..layout import venv_prefix
from ..runtime.processes import ProcessSpec
from ..state import written_file
from .entry import Service, untimed
from .http_probe import answers
from .wsgi_server import gunicorn_spec

NAME = "glance"
IMAGE_NAME = "embedded-fake-image"


def _conf(ctx: Ctx):
    return ctx.conf_path("glance/glance-api.conf")


def write_config(ctx: Ctx) -> None:
    data = ctx.layout.datadir(NAME)
    paste = ctx.conf_path("glance/glance-api-paste.ini")
    paste.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(venv_prefix() / "etc/glance/glance-api-paste.ini", paste)
    written_file(_conf(ctx), ini({
        # node_staging_uri defaults to file:///tmp/staging/, shared by every glance on the
        # machine; metadata_source_path to /etc/glance/metadefs/ (the wheel's are in the venv).
        "DEFAULT": {"debug": False, "enabled_backends": "fs:file",
                    "node_staging_uri": f"file://{data / 'staging'}",
                    "metadata_source_path": metadefs()},
        "database": {"connection": f"sqlite:///{db(ctx)}"},
        # Single-store options, unused with enabled_backends, but their defaults
        # are under /etc/glance and /var/lib/glance.
        "glance_store": {"default_backend": "fs",
                         "filesystem_store_datadir": data / "images",
                         "cinder_mount_point_base": data / "mnt",
                         "rootwrap_config": ctx.conf_path("glance/rootwrap.conf")},
        "fs": {"filesystem_store_datadir": data / "images"},
        "os_glance_staging_store": {"filesystem_store_datadir": data / "staging"},
        "os_glance_tasks_store": {"filesystem_store_datadir": data / "tasks"},
        "paste_deploy": {"flavor": "keystone", "config_file": paste},
        "keystone_authtoken": ctx.authtoken("glance"),
        "oslo_concurrency": {"lock_path": data / "lock"},
        "oslo_middleware": {"http_basic_auth_user_file": data / "htpasswd"},
    }))


def metadefs():
    return venv_prefix() / "etc/glance/metadefs"


def db(ctx: Ctx):
    return ctx.layout.datadir(NAME) / "glance.db"


def initialize(ctx: Ctx) -> None:
    ctx.layout.datadir(NAME).mkdir(parents=True, exist_ok=True)
    if schema_cache.restore_sqlite(ctx, "glance-manage", "glance.db", db(ctx)):
        return
    for command in ("db_sync", "db_load_metadefs"):
        ctx.run("glance-manage", launch_argv("glance-manage", "glance.cmd.manage:main",
                                             "--config-file", str(_conf(ctx)), command))
    schema_cache.save_sqlite(ctx, "glance-manage", "glance.db", db(ctx))


def spec(ctx: Ctx) -> ProcessSpec:
    return gunicorn_spec(ctx, NAME, "embedded_cloud.wsgi.glance:application",
                         env={"OS_GLANCE_CONFIG_DIR": str(_conf(ctx).parent)})


def ready(ctx: Ctx) -> bool:
    return answers(ctx.port(NAME))


SERVICE = Service(NAME, spec, untimed(ready), ports=(NAME,), write_config=write_config,
                  initialise=initialize, endpoint=("image", "glance", ""), user=NAME,
                  schema_package="glance")
