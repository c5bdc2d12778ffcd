"""Everything a run of the suite needs, built once in ``before_all``."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from pathlib import Path

from openstack import exceptions

from acceptance.cloud import audit as audits
from acceptance.cloud import fault_control as faults
from acceptance.cloud.changes import Creations, ServiceChanges
from acceptance.cloud.compute import ComputeClient
from acceptance.cloud.connection import CloudAccess
from acceptance.cloud.flavors import Flavors
from acceptance.cloud.hosts import Hosts, choose_hosts
from acceptance.cloud.nova_settings import NovaSettings
from acceptance.cloud.placement import PlacementClient
from acceptance.cloud.request_log import RequestCounter, ServiceResolver, catalog_endpoints
from acceptance.microversions import Offered
from acceptance.safety.prefix import marked_reason
from acceptance.settings import SuiteSettings

LOG_FILE = "suite.log"


@dataclass
class Suite:
    settings: SuiteSettings
    cloud: CloudAccess
    conn: object  # the steps' connection (openstacksdk's timeouts and retries)
    prefix: str
    requests: RequestCounter
    compute: ComputeClient
    placement: PlacementClient
    creations: Creations
    services: ServiceChanges
    fault_control: faults.FaultControl
    flavors: Flavors
    hosts: Hosts
    image_id: str
    is_admin: bool
    why_not_admin: str | None
    microversions: Offered  # the compute microversions this run may use (the preflight's)
    # scenario name -> JUnit properties, added to the JUnit files at the end
    junit_properties: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    skip_reasons: dict[str, str] = field(default_factory=dict)  # scenario name -> why
    audit: audits.Audit | None = None  # nova-manage placement audit (acceptance/cloud/audit.py)
    # The cloud's nova settings, where it publishes them (the embedded cloud does).
    nova_settings: NovaSettings = field(default_factory=NovaSettings)
    # host -> names of the servers deleted while its nova-compute was down
    # (acceptance.scenario.leftover_guests), for the run's summary
    local_deletes: dict[str, list[str]] = field(default_factory=dict)


def log_to_run_dir(run_dir: str) -> Path:
    """DEBUG log of the suite's own loggers (each request's method, URL and
    status) in ``run_dir``. keystoneauth's and openstacksdk's loggers are kept
    out of it: they can print request bodies."""
    path = Path(run_dir) / LOG_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("acceptance")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    logger.propagate = False  # not into behave's captured log of each scenario
    return path


def _admin_check(compute: ComputeClient) -> str | None:
    try:
        compute.compute_services()
    except exceptions.ForbiddenException:
        return "needs admin credentials: listing compute services was refused (403)"
    return None


def _image_id(conn, settings: SuiteSettings, cloud: CloudAccess) -> str:
    if settings.image:
        return conn.image.find_image(settings.image, ignore_missing=False).id
    if cloud.facts is not None:
        return cloud.facts.image_id
    raise LookupError(f"no image for cloud {cloud.name!r}: pass -D image=NAME_OR_ID")


def build(settings: SuiteSettings, cloud: CloudAccess, fault_control: faults.FaultControl,
          ledger, prefix: str, microversions: Offered, check_host=None) -> Suite:
    """The suite, on the cloud and fault control the run chose; ``ledger``
    hears of every change (see acceptance.cloud.changes), ``prefix`` names what
    this run creates, ``microversions`` what the preflight found it may use,
    ``check_host(conn, host)`` refuses a host with servers that are not the
    suite's, right before each fault."""
    conn = cloud.factory(fail_fast=False)()
    requests = RequestCounter(lambda: ServiceResolver(catalog_endpoints(conn)))
    requests.attach(conn)
    compute = ComputeClient(conn)
    creations = Creations(conn, prefix, settings.timeouts, ledger)
    why_not_admin = _admin_check(compute)
    return Suite(
        settings=settings,
        cloud=cloud,
        conn=conn,
        prefix=prefix,
        requests=requests,
        compute=compute,
        placement=PlacementClient(conn),
        creations=creations,
        services=ServiceChanges(conn, fault_control, settings.timeouts, ledger,
                                report_interval=settings.report_interval, check_host=check_host,
                                mark_reason=functools.partial(marked_reason, prefix=prefix)),
        fault_control=fault_control,
        flavors=Flavors(conn, creations, settings.flavor),
        hosts=choose_hosts(settings, compute) if why_not_admin is None else Hosts(None, None, why_not_admin, why_not_admin),
        image_id=_image_id(conn, settings, cloud),
        is_admin=why_not_admin is None,
        why_not_admin=why_not_admin,
        microversions=microversions,
        audit=audits.choose(settings),
        nova_settings=NovaSettings(dict(cloud.facts.nova)) if cloud.facts else NovaSettings(),
    )
