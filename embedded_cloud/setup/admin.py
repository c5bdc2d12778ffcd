"""The admin's openstacksdk connection to the embedded cloud, for its set-up steps and start-up polls."""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from ..context import REGION, Ctx

if TYPE_CHECKING:
    import openstack


def admin_connection(ctx: Ctx) -> openstack.connection.Connection:
    return _connect(ctx.auth_url, ctx.state.password("admin"))


def shared_admin(ctx: Ctx) -> openstack.connection.Connection:
    """One admin connection per cloud for the start-up's polls: a new one
    per poll would ask Keystone for a token each time."""
    return _shared(ctx.auth_url, ctx.state.password("admin"))


def _connect(auth_url: str, password: str) -> openstack.connection.Connection:
    # Imported here: keystone_setup reads the service table (which imports
    # this module) in a process that makes no request.
    import openstack

    return openstack.connect(
        auth_url=auth_url, username="admin", password=password,
        project_name="admin", user_domain_name="Default", project_domain_name="Default",
        region_name=REGION, load_yaml_config=False, load_envvars=False,
        # On a warm start Keystone may have moved to a new port while the
        # catalog still names the old one, until ensure_catalog mends it.
        identity_endpoint_override=auth_url,
    )


_shared = functools.lru_cache(maxsize=4)(_connect)
