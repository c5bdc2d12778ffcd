"""Users, projects and the service catalog in Keystone, and the image in Glance.

Every function finds before it creates, so a warm start (or a second `up`)
only corrects what changed, such as an endpoint whose port moved.
"""
from __future__ import annotations

import functools

import openstack

from .context import REGION, Ctx
from .services import glance, keystone
from .services.entry import Service, Step

SERVICE_USERS = ("nova", "placement", "glance")
MEMBER_USER, MEMBER_PROJECT = "demo", "demo"


def admin_connection(ctx: Ctx) -> openstack.connection.Connection:
    return _connect(ctx.auth_url, ctx.state.password("admin"))


def shared_admin(ctx: Ctx) -> openstack.connection.Connection:
    """One admin connection per cloud for the start-up's polls: a new one
    per poll would ask Keystone for a token each time."""
    return _shared(ctx.auth_url, ctx.state.password("admin"))


def _connect(auth_url: str, password: str) -> openstack.connection.Connection:
    return openstack.connect(
        auth_url=auth_url, username="admin", password=password,
        project_name="admin", user_domain_name="Default", project_domain_name="Default",
        region_name=REGION, load_yaml_config=False, load_envvars=False,
        # On a warm start Keystone may have moved to a new port while the
        # catalog still names the old one, until ensure_catalog mends it.
        identity_endpoint_override=auth_url,
    )


_shared = functools.lru_cache(maxsize=4)(_connect)


def endpoints(ctx: Ctx) -> dict[str, tuple[str, str]]:
    """service type -> (service name, URL) for every service of the table with an endpoint."""
    from .services.table import TABLE  # here, not above: the table lists this module's steps

    return {service.endpoint[0]: (service.endpoint[1], ctx.url(service.ports[0]) + service.endpoint[2])
            for service in TABLE if isinstance(service, Service) and service.endpoint}


def ensure_catalog(ctx: Ctx, conn) -> None:
    """Roles, projects, users and endpoints: each collection is listed once and
    only what is missing is created (keystone's requests are slow on a busy
    machine; find-before-create would cost two requests per item)."""
    identity = conn.identity
    roles = {role.name: role for role in identity.roles()}
    for name in ("admin", "member", "service"):
        if name not in roles:
            roles[name] = identity.create_role(name=name)
    projects = {project.name: project for project in identity.projects(domain_id="default")}
    for name in ("service", MEMBER_PROJECT):
        if name not in projects:
            projects[name] = identity.create_project(name=name, domain_id="default")
    users = {user.name: user for user in identity.users(domain_id="default")}
    wanted = [(name, "service", ("admin", "service")) for name in SERVICE_USERS]
    wanted.append((MEMBER_USER, MEMBER_PROJECT, ("member",)))
    for name, project_name, role_names in wanted:
        project = projects[project_name]
        if name not in users:
            users[name] = identity.create_user(name=name, password=ctx.state.password(name),
                                               domain_id="default", default_project_id=project.id)
        for role_name in role_names:  # a PUT: assigning twice is harmless
            identity.assign_project_role_to_user(project, users[name], roles[role_name])

    services = {service.name: service for service in identity.services()}
    endpoints_by_service: dict[str, dict[str, object]] = {}
    for endpoint in identity.endpoints():
        endpoints_by_service.setdefault(endpoint.service_id, {})[endpoint.interface] = endpoint
    for service_type, (name, url) in endpoints(ctx).items():
        service = services.get(name) or identity.create_service(name=name, type=service_type)
        existing = endpoints_by_service.get(service.id, {})
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


def upload_image(ctx: Ctx) -> None:
    ctx.state.image_id = ensure_image(ctx, admin_connection(ctx))


def _register(ctx: Ctx) -> None:
    ensure_catalog(ctx, admin_connection(ctx))


USERS = Step("users and endpoints", run=_register, after=(keystone.NAME,),
             report=("catalog", "users, projects and endpoints in place"))
IMAGE = Step("image uploaded", run=upload_image, after=(glance.NAME, USERS.name),
             report=("image", f"{glance.IMAGE_NAME} active"))
