"""Set Keystone up for a cold start: what `keystone-manage db_sync` and
`keystone-manage bootstrap` do, then the cloud's roles, projects, users, role
assignments, services and endpoints (keystone_catalog.py's plan).

It runs in keystone's own server process, as a fork made after keystone is
imported and before its application is built (`run_pending`, called by
embedded_cloud/wsgi/keystone.py when services/keystone.py's cold-start
initialisation left its SETUP_PENDING file): keystone is imported once for the
set-up and the server, and the fork keeps the set-up's configuration and
managers out of the server's own. The same managers the API and
keystone-manage call write the database directly; keystone_catalog.ensure_catalog
still runs after the server answers (warm starts move ports) and on a cold
start finds everything and only lists.

    python -m embedded_cloud.setup.keystone_setup [--schema-loaded] --config-file keystone.conf

runs it on its own.

The passwords are read from the run directory's state file, as every
service reads its own from its config: never the command line or a log.
"""
from __future__ import annotations

import os
import signal
import sys
import traceback
import uuid
from pathlib import Path

from embedded_cloud import service_table
from embedded_cloud.setup import keystone_catalog, schema_cache
from embedded_cloud.runtime.confinement import confine
from embedded_cloud.context import REGION, Ctx
from embedded_cloud.layout import Layout
from embedded_cloud.runtime.processes import MARKER
from embedded_cloud.services import keystone as keystone_service
from embedded_cloud.state import State


SCHEMA_ARG = "--schema-loaded"


def data_dir() -> Path:
    """Keystone's data directory in the cloud this process belongs to."""
    return Layout.resolve(os.environ[MARKER]).datadir(keystone_service.NAME)


def run_pending(data: Path, config_file: str) -> None:
    """The set-up, if a cold start left it pending, in a fork of this process;
    raises RuntimeError if it failed (the server must not serve then)."""
    pending = data / keystone_service.SETUP_PENDING
    if not pending.is_file():
        return
    schema_loaded = pending.read_text().strip() == keystone_service.SCHEMA_LOADED
    args = [*([SCHEMA_ARG] if schema_loaded else []),
            "--config-file", config_file]
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the server's handler
            code = _setup(args)
        except BaseException:  # noqa: BLE001 - the log says why; the fork must end here
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"keystone's set-up failed (exit {code}); its traceback is above")
    pending.unlink()


def main() -> int:
    return _setup(sys.argv[1:])


def _setup(config_args: list[str]) -> int:
    schema_loaded = SCHEMA_ARG in config_args  # keystone.initialize restored the db
    if schema_loaded:
        config_args = [arg for arg in config_args if arg != SCHEMA_ARG]
    import keystone.conf
    from keystone.cmd import bootstrap
    from keystone.common import provider_api, sql
    from keystone.common.sql import upgrades

    confine()
    layout = Layout.resolve(os.environ[MARKER])
    ctx = Ctx(layout, State.load(layout))
    # keystone-manage's own start-up (keystone.cmd.cli.main), without a sub-command.
    keystone.conf.configure()
    sql.initialize()
    keystone.conf.set_default_for_default_log_levels()
    keystone.conf.CONF(args=config_args, project="keystone")
    keystone.conf.setup_logging()

    if schema_loaded:
        print("keystone_setup: db_sync skipped: schema from the cache", flush=True)
    else:
        upgrades.offline_sync_database_to_version()  # db_sync
        print("keystone_setup: db_sync done", flush=True)
        # Before bootstrap: the cache holds the schema, never a user or a password.
        schema_cache.save_sqlite(ctx, "keystone-manage", "keystone.db", keystone_service.db(ctx))

    # bootstrap, with the arguments keystone.initialize passed it before.
    boot = bootstrap.Bootstrapper()
    boot.admin_username, boot.admin_password = "admin", ctx.state.password("admin")
    boot.project_name, boot.admin_role_name, boot.service_name = "admin", "admin", "keystone"
    boot.region_id, boot.public_url, boot.internal_url = REGION, ctx.auth_url, ctx.auth_url
    boot.immutable_roles = True
    boot.bootstrap()
    print("keystone_setup: bootstrap done", flush=True)

    _catalog(ctx, provider_api.ProviderAPIs, boot.default_domain_id)
    print("keystone_setup: users, projects and endpoints done", flush=True)
    return 0


def _catalog(ctx, providers, domain_id: str) -> None:
    """What keystone_catalog.ensure_catalog creates on a fresh Keystone, through the managers."""
    # bootstrap made the roles (keystone_catalog.ROLES among them).
    roles = {role["name"]: role["id"] for role in providers.role_api.list_roles()}
    projects = {}
    for name in keystone_catalog.PROJECTS:
        project_id = _id()
        providers.resource_api.create_project(project_id, {
            "id": project_id, "name": name, "domain_id": domain_id, "enabled": True,
            "description": ""})
        projects[name] = project_id
    for name, project, role_names in keystone_catalog.users(service_table.SERVICE_USERS):
        user = providers.identity_api.create_user({
            "name": name, "domain_id": domain_id, "enabled": True,
            "password": ctx.state.password(name), "default_project_id": projects[project]})
        for role in role_names:
            providers.assignment_api.add_role_to_user_and_project(
                user["id"], projects[project], roles[role])
    for service_type, (name, url) in service_table.endpoints(ctx).items():
        if service_type == "identity":
            continue  # bootstrap's
        service_id = _id()
        providers.catalog_api.create_service(service_id, {
            "id": service_id, "name": name, "type": service_type, "enabled": True})
        for interface in ("public", "internal"):
            endpoint_id = _id()
            providers.catalog_api.create_endpoint(endpoint_id, {
                "id": endpoint_id, "interface": interface, "url": url, "service_id": service_id,
                "region_id": REGION, "enabled": True})


def _id() -> str:
    return uuid.uuid4().hex


if __name__ == "__main__":
    sys.exit(main())
