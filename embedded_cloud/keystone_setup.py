"""Set Keystone up for a cold start in one process: what `keystone-manage
db_sync` and `keystone-manage bootstrap` do, then the cloud's roles, projects,
users, role assignments, services and endpoints (catalog.py's plan).

    python -m embedded_cloud.keystone_setup --config-file keystone.conf

Two keystone-manage processes each imported keystone, competing for the two
cores, and catalog.ensure_catalog then made about twenty requests to the
fresh server; here keystone is imported once and the same managers the API
and keystone-manage call write the database directly. ensure_catalog still
runs after the server starts (warm starts move ports); on a cold start it
finds everything and only lists.

The passwords are read from the run directory's state file, as every
service reads its own from its config: never the command line or a log.
"""
from __future__ import annotations

import os
import sys
import uuid

from embedded_cloud import catalog, schema_cache, service_table
from embedded_cloud.confinement import confine
from embedded_cloud.context import REGION, Ctx
from embedded_cloud.layout import Layout
from embedded_cloud.processes import MARKER
from embedded_cloud.services import keystone as keystone_service
from embedded_cloud.state import State


def main() -> int:
    config_args = sys.argv[1:]
    schema_loaded = "--schema-loaded" in config_args  # keystone.initialize restored the db
    if schema_loaded:
        config_args.remove("--schema-loaded")
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
    """What catalog.ensure_catalog creates on a fresh Keystone, through the managers."""
    # bootstrap made the roles (catalog.ROLES among them).
    roles = {role["name"]: role["id"] for role in providers.role_api.list_roles()}
    projects = {}
    for name in catalog.PROJECTS:
        project_id = _id()
        providers.resource_api.create_project(project_id, {
            "id": project_id, "name": name, "domain_id": domain_id, "enabled": True,
            "description": ""})
        projects[name] = project_id
    for name, project, role_names in catalog.users(service_table.SERVICE_USERS):
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
