"""Users, projects and the service catalog in Keystone, and the image in Glance.

Every function finds before it creates, so a warm start (or a second `up`)
only corrects what changed, such as an endpoint whose port moved.
"""
from __future__ import annotations

from .context import REGION, Ctx
from .services import glance

SERVICE_USERS = ("nova", "placement", "glance")
MEMBER_USER, MEMBER_PROJECT = "demo", "demo"
ROLES = ("admin", "member", "service")
PROJECTS = ("service", MEMBER_PROJECT)
# (user, its project, its roles there): the services' users and the tests' member.
USERS = (*((name, "service", ("admin", "service")) for name in SERVICE_USERS),
         (MEMBER_USER, MEMBER_PROJECT, ("member",)))


def admin_connection(ctx: Ctx) -> "openstack.connection.Connection":
    import openstack  # here: keystone_setup uses this module's plan, not the SDK

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


def ensure_catalog(ctx: Ctx, conn) -> None:
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
    users = {user.name: user for user in identity.users(domain_id="default")}
    granted = {(a.user["id"], a.scope["project"]["id"], a.role["id"])
               for a in identity.role_assignments() if a.user and "project" in (a.scope or {})}
    for name, project_name, role_names in USERS:
        project = projects[project_name]
        if name not in users:
            users[name] = identity.create_user(name=name, password=ctx.state.password(name),
                                               domain_id="default", default_project_id=project.id)
        for role_name in role_names:
            if (users[name].id, project.id, roles[role_name].id) not in granted:
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
