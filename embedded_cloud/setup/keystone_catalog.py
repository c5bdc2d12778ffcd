"""Users, projects and the service catalog in Keystone, and the image in Glance.

Every function finds before it creates, so a warm start (or a second `up`)
only corrects what changed, such as an endpoint whose port moved.
"""
from __future__ import annotations

from .admin import admin_connection
from ..context import REGION, Ctx
from ..services import glance, keystone
from ..services.entry import Step

MEMBER_USER, MEMBER_PROJECT = "demo", "demo"
ROLES = ("admin", "member", "service")
PROJECTS = ("service", MEMBER_PROJECT)


def users(service_users: tuple[str, ...]) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(user, its project, its roles there): the services' users and the tests' member."""
    return (*((name, "service", ("admin", "service")) for name in service_users),
            (MEMBER_USER, MEMBER_PROJECT, ("member",)))


def ensure_catalog(ctx: Ctx, conn, endpoints: dict[str, tuple[str, str]],
                   service_users: tuple[str, ...]) -> None:
    """Roles, projects, users and endpoints: each collection is listed once and
    only what is missing is created (keystone's requests are slow on a busy
    machine; find-before-create would cost two requests per item)."""
    identity = conn.identity
    roles = {role.name: role for role in identity.roles()}
    for name in ROLES:
        if name not in roles:
            roles[name] = identity.create_role(name=name)
    projects = {project.name: project for project in identity.projects(domain_id="default")}
    for name in PROJECTS:
        if name not in projects:
            projects[name] = identity.create_project(name=name, domain_id="default")
    existing_users = {user.name: user for user in identity.users(domain_id="default")}
    granted = {(a.user["id"], a.scope["project"]["id"], a.role["id"])
               for a in identity.role_assignments() if a.user and "project" in (a.scope or {})}
    for name, project_name, role_names in users(service_users):
        project = projects[project_name]
        if name not in existing_users:
            existing_users[name] = identity.create_user(
                name=name, password=ctx.state.password(name), domain_id="default",
                default_project_id=project.id)
        for role_name in role_names:
            if (existing_users[name].id, project.id, roles[role_name].id) not in granted:
                identity.assign_project_role_to_user(project, existing_users[name], roles[role_name])

    services = {service.name: service for service in identity.services()}
    endpoints_by_service: dict[str, dict[str, object]] = {}
    for endpoint in identity.endpoints():
        endpoints_by_service.setdefault(endpoint.service_id, {})[endpoint.interface] = endpoint
    for service_type, (name, url) in endpoints.items():
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


IMAGE = Step("image uploaded", run=upload_image, after=(glance.NAME, keystone.CATALOG),
             report=("image", f"{glance.IMAGE_NAME} active"))
