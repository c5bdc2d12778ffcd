"""The embedded cloud's services and set-up steps, declared once, in `status` order.

Everything the cloud knows about its services is derived from TABLE: the
start order (each entry starts once the entries it comes `after` are done,
parallel.run_in_order), the ports chosen at start-up, `status`, the health
check, the "died while starting" check, the stop order (infrastructure
last), the Keystone catalog (`endpoints` and `SERVICE_USERS`, which the
CATALOG step registers) and the databases (`DATABASES_CREATED`).

A new service touches only its own module in services/, which declares its
`Service` (and any `Step`, services/entry.py) from its own functions, plus
its one line here.
"""
from __future__ import annotations

from .setup import clouds_yaml, keystone_catalog
from .setup.admin import admin_connection
from .context import Ctx
from .services import glance, keystone, mariadb, neutron_standin, nova, placement, rabbitmq
from .services.entry import Entry, Service, Step


def endpoints(ctx: Ctx) -> dict[str, tuple[str, str]]:
    """service type -> (service name, URL) for every service of the table with an endpoint."""
    return {s.endpoint[0]: (s.endpoint[1], ctx.url(s.ports[0]) + s.endpoint[2])
            for s in PROCESSES if s.endpoint}


def _register(ctx: Ctx) -> None:
    keystone_catalog.ensure_catalog(ctx, admin_connection(ctx), endpoints(ctx), SERVICE_USERS)


def _create_databases(ctx: Ctx) -> None:
    mariadb.create_databases(ctx, DATABASES)


# The set-up steps that serve every service of the table.
DATABASES_CREATED = Step(mariadb.DATABASES_CREATED, run=_create_databases, after=(mariadb.NAME,),
                         on="cold")
CATALOG = Step(keystone.CATALOG, run=_register, after=(keystone.NAME,),
               report=("catalog", "users, projects and endpoints in place"))

TABLE: tuple[Entry, ...] = (
    rabbitmq.EPMD_SERVICE, rabbitmq.BROKER,
    mariadb.SERVICE, DATABASES_CREATED,
    keystone.SERVICE, keystone.SCHEMA_REPORTED, CATALOG, clouds_yaml.WRITTEN,
    neutron_standin.SERVICE,
    placement.SERVICE, placement.RELAY_SERVICE,
    glance.SERVICE, keystone_catalog.IMAGE,
    nova.SCHEMAS_LOADED, nova.DATABASES, nova.ZYGOTE_SERVICE,
    nova.CONDUCTOR_SERVICE, nova.SCHEDULER_SERVICE,
    nova.API_SERVICE, *nova.COMPUTE_SERVICES,
    nova.PROVIDERS, nova.HOSTS_DISCOVERED, nova.COMPUTES_RESET, nova.SERVICES_UP,
)

PROCESSES: tuple[Service, ...] = tuple(entry for entry in TABLE if isinstance(entry, Service))
# Every process, for `status`.
PROCESS_ORDER = tuple(service.name for service in PROCESSES)
PORT_NAMES = tuple(port for service in PROCESSES for port in service.ports)
# What the OpenStack services use, in start order; `down` stops these last.
INFRASTRUCTURE = tuple(service.name for service in PROCESSES if service.infrastructure)
SERVICE_USERS = tuple(dict.fromkeys(service.user for service in PROCESSES if service.user))
DATABASES = tuple(dict.fromkeys(database for service in PROCESSES for database in service.databases))


def service(name: str) -> Service:
    return next(s for s in PROCESSES if s.name == name)
