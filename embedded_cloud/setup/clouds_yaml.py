"""clouds.yaml for the running cloud: usable unchanged by openstacksdk and the openstack CLI."""
from __future__ import annotations

from .keystone_catalog import MEMBER_PROJECT, MEMBER_USER
from ..context import REGION, Ctx
from ..services import keystone
from ..services.entry import Step
from ..state import written_file

ADMIN_CLOUD = "embedded-admin"
MEMBER_CLOUD = "embedded-member"


def _cloud(ctx: Ctx, user: str, project: str) -> str:
    return (
        f"  {{name}}:\n"
        f"    auth:\n"
        f"      auth_url: {ctx.auth_url}\n"
        f"      username: {user}\n"
        f"      password: '{ctx.state.password(user)}'\n"
        f"      project_name: {project}\n"
        f"      user_domain_name: Default\n"
        f"      project_domain_name: Default\n"
        f"    region_name: {REGION}\n"
        f"    identity_api_version: 3\n"
        f"    interface: public\n"
    )


def write(ctx: Ctx) -> None:
    text = "clouds:\n"
    text += _cloud(ctx, "admin", "admin").format(name=ADMIN_CLOUD)
    text += _cloud(ctx, MEMBER_USER, MEMBER_PROJECT).format(name=MEMBER_CLOUD)
    written_file(ctx.layout.clouds_yaml, text)


WRITTEN = Step("clouds.yaml written", run=write, after=(keystone.CATALOG,))
