"""Everything a run of the suite needs, built once in ``before_all``."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from openstack import exceptions

from acceptance import audit as audits
from acceptance import fault_control as faults
from acceptance.cleanups import CleanupStack
from acceptance.clients.compute import ComputeClient
from acceptance.clients.placement import PlacementClient
from acceptance.cloud import CloudConnection, connect
from acceptance.flavors import Flavors
from acceptance.hosts import Hosts, choose_hosts
from acceptance.request_log import RequestCounter, ServiceResolver, catalog_endpoints
from acceptance.resources import Creations, ServiceChanges, new_run_prefix
from acceptance.settings import SuiteSettings

LOG_FILE = "suite.log"


@dataclass
class Suite:
    settings: SuiteSettings
    cloud: CloudConnection
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
    run_cleanups: CleanupStack
    # scenario name -> JUnit properties, added to the JUnit files at the end
    junit_properties: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    skip_reasons: dict[str, str] = field(default_factory=dict)  # scenario name -> why
    audit: audits.Audit | None = None  # nova-manage placement audit (acceptance/audit.py)

    @property
    def conn(self):
        return self.cloud.conn


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


def _image_id(conn, settings: SuiteSettings, cloud: CloudConnection) -> str:
    if settings.image:
        return conn.image.find_image(settings.image, ignore_missing=False).id
    if cloud.embedded is not None:
        return cloud.embedded.state.image_id
    raise LookupError(f"no image for cloud {cloud.name!r}: pass -D image=NAME_OR_ID")


def build(
    settings: SuiteSettings,
    userdata: Mapping[str, str],
    ledger=None,
    progress: Callable[[str], None] | None = None,
    prefix: str | None = None,
    embedded=None,
) -> Suite:
    """Connect (starting the embedded cloud if it is the one chosen) and build
    the suite. ``ledger`` hears of every change (see acceptance.resources);
    ``prefix`` names what this run creates (a new one when None);
    ``embedded`` is the EmbeddedCloud when the caller started it already."""
    cloud = connect(settings, userdata, **({"progress": progress} if progress else {}), embedded=embedded)
    conn = cloud.conn
    requests = RequestCounter(lambda: ServiceResolver(catalog_endpoints(conn)))
    requests.attach(conn)
    compute = ComputeClient(conn)
    prefix = prefix or new_run_prefix()
    run_cleanups = CleanupStack()
    creations = Creations(conn, prefix, settings.timeouts, ledger)
    fault_control = faults.choose(settings, cloud.embedded)
    why_not_admin = _admin_check(compute)
    return Suite(
        settings=settings,
        cloud=cloud,
        prefix=prefix,
        requests=requests,
        compute=compute,
        placement=PlacementClient(conn),
        creations=creations,
        services=ServiceChanges(conn, fault_control, settings.timeouts, ledger,
                                report_interval=settings.report_interval),
        fault_control=fault_control,
        flavors=Flavors(conn, creations, settings.flavor, run_cleanups),
        hosts=choose_hosts(settings, compute) if why_not_admin is None else Hosts(None, None, why_not_admin, why_not_admin),
        image_id=_image_id(conn, settings, cloud),
        is_admin=why_not_admin is None,
        why_not_admin=why_not_admin,
        run_cleanups=run_cleanups,
        audit=audits.choose(settings, cloud.embedded),
    )
