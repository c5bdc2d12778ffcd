"""Users, projects and the service catalog in Keystone, and the image in Glance.

Every function finds before it creates, so a warm start (or a second `up`)
only corrects what changed, such as an endpoint whose port moved.
"""
from __future__ import annotations

import openstack

from .context import REGION, Ctx
from .services import glance

SERVICE_USERS = ("nova", "placement", "glance")
MEMBER_USER, MEMBER_PROJECT = "demo", "demo"


def admin_connection(ctx: Ctx) -> openstack.connection.Connection:
    return openstack.connect(
        auth_url=ctx.auth_url, username="admin", password=ctx.state.password("admin"),
        project_name="admin", user_domain_name="Default", project_domain_name="Default",
        region_name=REGION, load_yaml_config=False, load_envvars=False,
        # On a warm start Keystone may have moved to a new port while the
        # catalog still names the old one, until ensure_catalog mends it.
        identity_endpoint_override=ctx.auth_url,
    )


def endpoints(ctx: Ctx) -> dict[str, tuple[str, str]]:
    """service type -> (service name, URL) for every service the cloud runs."""
    return {
        "identity": ("keystone", ctx.auth_url),
        "compute": ("nova", f"{ctx.url('nova-api')}/v2.1"),
        "placement": ("placement", ctx.url("placement")),
        "image": ("glance", ctx.url("glance")),
        "network": ("neutron", ctx.url("neutron-standin")),
    }


def _role(identity, name: str):
    return identity.find_role(name) or identity.create_role(name=name)


def _project(identity, name: str):
    return identity.find_project(name, domain_id="default") or identity.create_project(
        name=name, domain_id="default")


def _user(identity, name: str, password: str, project):
    user = identity.find_user(name, domain_id="default")
    if user is None:
        user = identity.create_user(name=name, password=password, domain_id="default",
                                    default_project_id=project.id)
    return user


def ensure_catalog(ctx: Ctx, conn) -> None:
    identity = conn.identity
    admin, member, service_role = (_role(identity, n) for n in ("admin", "member", "service"))
    service_project = _project(identity, "service")
    for name in SERVICE_USERS:
        user = _user(identity, name, ctx.state.password(name), service_project)
        for role in (admin, service_role):
            identity.assign_project_role_to_user(service_project, user, role)
    demo_project = _project(identity, MEMBER_PROJECT)
    demo = _user(identity, MEMBER_USER, ctx.state.password(MEMBER_USER), demo_project)
    identity.assign_project_role_to_user(demo_project, demo, member)

    for service_type, (name, url) in endpoints(ctx).items():
        service = identity.find_service(name) or identity.create_service(name=name, type=service_type)
        existing = {e.interface: e for e in identity.endpoints(service_id=service.id)}
        for interface in ("public", "internal"):
            endpoint = existing.get(interface)
            if endpoint is None:
                identity.create_endpoint(service_id=service.id, interface=interface, url=url,
                                         region_id=REGION)
            elif endpoint.url != url:
                identity.update_endpoint(endpoint, url=url)


def ensure_image(ctx: Ctx, conn) -> str:
    image = conn.image.find_image(glance.IMAGE_NAME)
    if image is None:
        # One KiB of zeros: the fake hypervisor never reads it, nova-api only
        # needs an active image to boot from.
        image = conn.image.create_image(
            name=glance.IMAGE_NAME, data=b"\0" * 1024, disk_format="raw",
            container_format="bare", visibility="public", allow_duplicates=True,
        )
    return image.id
