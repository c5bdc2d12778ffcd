"""Check, before any scenario runs and without creating anything, that the
cloud can run the scenarios selected.

Two halves, so the run can replay an earlier run's ledger in between (a
host left forced down by a crashed run must not fail the capacity check):

* ``check_access`` -- credentials, admin rights, the compute microversions
  every scenario needs and Placement's (a scenario needing more is skipped
  by its tag, not here: ``acceptance/microversions.py``);
* ``check_resources`` -- enough enabled, up computes with room, and the
  image, flavor and hosts named in userdata exist.

``run_preflight`` does both. Every failure is a ``PreflightError`` whose
message is one line: the cause, then the fix. ``fail_cleanly`` is how a
behave hook turns it into exit status 2 with no traceback.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from keystoneauth1 import exceptions as ksa_exceptions
from openstack import exceptions as sdk_exceptions

from acceptance.microversions import SETTING as CAP_SETTING
from acceptance.microversions import Offered, version_key
from acceptance.redaction import scrub
from acceptance.settings import SuiteSettings
from acceptance.tags import computes_needed

PREFLIGHT_EXIT = 2

# The compute calls every scenario makes, and the microversion each needs.
COMPUTE_CALLS = {
    "2.37": "boot a server with networks='none'",
    "2.53": "address compute services by UUID (force down, disable)",
    "2.74": "boot a server onto a named host",
}
PLACEMENT_MICROVERSION = "1.39"  # the suite's raw Placement calls use it
DEFAULT_ROOM = {"VCPU": 1, "MEMORY_MB": 128, "DISK_GB": 1}  # the suite's own test flavor


class PreflightError(Exception):
    """The cloud cannot run the selected scenarios; the message says why and what to do."""

    check = "preflight"  # which check failed: the JUnit testcase of a stopped run


ACCESS_CHECK, RESOURCES_CHECK = "cloud access", "cloud resources"


@dataclass(frozen=True)
class Needs:
    """What the selected scenarios need from the cloud."""

    scenarios: int = 1
    computes: int = 1  # enabled, up, with room for one server each
    compute_calls: tuple[str, ...] = tuple(COMPUTE_CALLS)  # microversions every scenario uses
    placement_microversion: str = PLACEMENT_MICROVERSION
    room: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_ROOM))  # per server


@dataclass
class Preflight:
    """What the preflight learnt; the suite may reuse it."""

    conn: object
    compute_max: str = ""
    offered: Offered | None = None  # what the run may use: compute_max, or the cap below it
    placement_max: str = ""
    usable_hosts: list[str] = field(default_factory=list)
    image_id: str | None = None
    flavor_id: str | None = None


def needs_for(features: Iterable, config, *, room: dict[str, int] | None = None) -> Needs:
    """Needs of the scenarios behave will run (tags and name filters applied).

    Call from before_all with ``context._runner.features, context.config``.
    """
    selected = [scenario for feature in features for scenario in feature.walk_scenarios()
                if scenario.should_run(config)]
    tags = {tag for scenario in selected for tag in scenario.effective_tags}
    return Needs(scenarios=len(selected), computes=computes_needed(tags) if selected else 0,
                 room=dict(room or DEFAULT_ROOM))


def run_preflight(conn_factory: Callable[[], object], settings: SuiteSettings,
                  needs: Needs) -> Preflight:
    result = check_access(conn_factory, needs, cap=settings.compute_max_microversion)
    check_resources(result, settings, needs)
    return result


# ---------------------------------------------------------------- access
def check_access(conn_factory: Callable[[], object], needs: Needs, *,
                 cap: str | None = None) -> Preflight:
    """``cap``: the highest compute microversion the run may use (the setting)."""
    with _quiet_client_logs(), _explained(ACCESS_CHECK):
        conn = conn_factory()
        conn.authorize()
        compute_max = _max_microversion(conn.compute, "compute")
        try:
            list(conn.compute.services(binary="nova-compute"))
        except sdk_exceptions.ForbiddenException:
            user = conn.config.get_auth_args().get("username") or "this user"
            raise PreflightError(
                f"{user} may not list compute services (HTTP 403): the suite needs an admin "
                "user; use a cloud entry whose user has the admin role, e.g. -D cloud=<admin cloud>"
            ) from None
        offered = Offered(compute_max, cap)
        for version in sorted(needs.compute_calls, key=version_key):
            if not offered.allows(version):
                raise PreflightError(
                    f"every scenario needs compute microversion {version} to "
                    f"{COMPUTE_CALLS.get(version, 'make its calls')}, but {offered.offers()}; "
                    + (f"raise -D {CAP_SETTING}" if offered.highest != compute_max
                       else "run the suite against a newer nova")
                )
        placement_max = _placement_max(conn)
        if version_key(placement_max) < version_key(needs.placement_microversion):
            raise PreflightError(
                f"Placement goes up to microversion {placement_max}, but the suite uses "
                f"{needs.placement_microversion}; run the suite against a newer Placement"
            )
    return Preflight(conn=conn, compute_max=compute_max, offered=offered, placement_max=placement_max)


def _max_microversion(proxy, service: str) -> str:
    data = proxy.get_endpoint_data()
    if data is None or not data.max_microversion:
        raise PreflightError(
            f"the {service} endpoint announces no microversions; check the {service} endpoint "
            "in the catalog (openstack endpoint list)"
        )
    return "%d.%d" % data.max_microversion[:2]


def _placement_max(conn) -> str:
    try:
        return _max_microversion(conn.placement, "placement")
    except (ksa_exceptions.EndpointNotFound, sdk_exceptions.SDKException) as error:
        if isinstance(error, PreflightError):
            raise
        raise PreflightError(
            f"Placement is not reachable ({_cause(error)}); check that the catalog has a "
            "placement endpoint and that it answers (openstack endpoint list --service placement)"
        ) from None


# ------------------------------------------------------------- resources
def check_resources(result: Preflight, settings: SuiteSettings, needs: Needs) -> None:
    conn = result.conn
    with _quiet_client_logs(), _explained(RESOURCES_CHECK):
        if settings.image:
            result.image_id = _image(conn, settings.image)
        elif not settings.uses_embedded_cloud:
            raise PreflightError(
                f"no image named for cloud {settings.cloud!r} (from {settings.cloud_source}); "
                "pass -D image=<name or id> of an active image"
                + _examples(sorted(i.name for i in conn.image.images(status="active") if i.name))
            )
        room = dict(needs.room)
        if settings.flavor:
            flavor = _flavor(conn, settings.flavor)
            result.flavor_id = flavor.id
            room = {"VCPU": flavor.vcpus, "MEMORY_MB": flavor.ram, "DISK_GB": flavor.disk}
        hosts = _compute_hosts(conn)
        usable, unusable = _hosts_with_room(conn, hosts, room)
        result.usable_hosts = usable
        for key in ("target_host", "other_host"):
            host = getattr(settings, key)
            if host is not None and host not in hosts:
                raise PreflightError(
                    f"{key} {host!r} is not a compute host of this cloud (hosts: "
                    f"{', '.join(sorted(hosts)) or 'none'}); pass -D {key}=<one of them>"
                )
            if host is not None and host not in usable:
                raise PreflightError(
                    f"{key} {host!r} cannot take a test server: {unusable[host]}; "
                    f"fix the host or pass another -D {key}=..."
                )
        if needs.scenarios and len(usable) < needs.computes:
            why = "; ".join(f"{host} {reason}" for host, reason in sorted(unusable.items()))
            raise PreflightError(
                f"the selected scenarios need {needs.computes} enabled, up compute host(s) with "
                f"room for a {_room_text(room)} server, but {len(usable)} qualify"
                + (f" ({why})" if why else "")
                + "; enable or start compute hosts, or deselect @two-computes scenarios "
                "with --tags=~@two-computes"
            )


def _image(conn, name_or_id: str) -> str:
    image = conn.image.find_image(name_or_id, ignore_missing=True)
    if image is None:
        names = sorted(i.name for i in conn.image.images(status="active") if i.name)
        raise PreflightError(
            f"image {name_or_id!r} not found; pass -D image=<name or id> of an active image"
            + _examples(names)
        )
    if image.status != "active":
        raise PreflightError(
            f"image {name_or_id!r} is {image.status}, not active; pass -D image=<an active image>"
        )
    return image.id


def _examples(names: list[str]) -> str:
    return f" (e.g. {', '.join(names[:5])})" if names else ""


def _flavor(conn, name_or_id: str):
    flavor = conn.compute.find_flavor(name_or_id, ignore_missing=True, is_public=None)
    if flavor is None:
        names = sorted(f.name for f in conn.compute.flavors(is_public=None))[:5]
        raise PreflightError(
            f"flavor {name_or_id!r} not found; pass -D flavor=<name or id> of an existing flavor"
            + (f" (e.g. {', '.join(names)})" if names else "")
            + ", or leave it out and the suite creates its own"
        )
    return flavor


def _compute_hosts(conn) -> dict[str, object]:
    return {s.host: s for s in conn.compute.services(binary="nova-compute")}


def _hosts_with_room(conn, services: dict[str, object], room: dict[str, int]
                     ) -> tuple[list[str], dict[str, str]]:
    """Hosts able to take one more server; and why each other one is not."""
    providers = {}
    for hypervisor in conn.compute.hypervisors(details=True):
        host = (hypervisor.service_details or {}).get("host")
        providers.setdefault(host, hypervisor.id)  # the node's UUID is its provider's UUID
    usable, unusable = [], {}
    for host, service in sorted(services.items()):
        if service.is_forced_down:
            unusable[host] = "is forced down"
        elif service.status != "enabled":
            unusable[host] = "is disabled" + (f" ({service.disabled_reason})"
                                              if service.disabled_reason else "")
        elif service.state != "up":
            unusable[host] = "is down (nova-compute not reporting)"
        elif host not in providers:
            unusable[host] = "has no compute node"
        elif (short := _shortfall(conn, providers[host], room)) is not None:
            unusable[host] = short
        else:
            usable.append(host)
    return usable, unusable


def _shortfall(conn, provider: str, room: dict[str, int]) -> str | None:
    inventories = _placement_json(conn, f"/resource_providers/{provider}/inventories")["inventories"]
    usages = _placement_json(conn, f"/resource_providers/{provider}/usages")["usages"]
    for resource, amount in room.items():
        if not amount:
            continue
        inventory = inventories.get(resource)
        if inventory is None:
            return f"has no {resource} inventory"
        capacity = (inventory["total"] - inventory["reserved"]) * inventory["allocation_ratio"]
        free = capacity - usages.get(resource, 0)
        if free < amount or inventory["max_unit"] < amount:
            return f"has {free:g} {resource} free, needs {amount}"
    return None


def _placement_json(conn, url: str) -> dict:
    response = conn.placement.get(url, microversion="1.0")
    if response.status_code != 200:
        raise PreflightError(
            f"Placement answered HTTP {response.status_code} to GET {url}; check Placement's log"
        )
    return response.json()


def _room_text(room: dict[str, int]) -> str:
    return " ".join(f"{resource}={amount}" for resource, amount in room.items())


# ---------------------------------------------------------------- errors
@contextlib.contextmanager
def _explained(check: str) -> Iterator[None]:
    """Turn client exceptions into one-line PreflightErrors of ``check``."""
    try:
        yield
    except PreflightError as error:
        error.check = check
        raise
    except (sdk_exceptions.SDKException, ksa_exceptions.ClientException) as error:
        raise _of(check, explain(error)) from None
    except Exception as error:
        # keystoneauth raises a bare Exception for a missing password
        # ("password is a required attribute"); anything else is a bug of ours.
        if type(error) is not Exception:
            raise
        raise _of(check, f"the cloud configuration is incomplete ({_cause(error)}); "
                         "fix clouds.yaml or OS_*") from None


def _of(check: str, message: str) -> PreflightError:
    error = PreflightError(message)
    error.check = check
    return error


def explain(error: BaseException) -> str:
    """One line: what went wrong talking to the cloud, and what to do about it."""
    chain = list(_chain(error))
    kinds = tuple(chain)
    if isinstance(error, sdk_exceptions.ConfigException) and "was not found" in str(error):
        return (f"{_one_line(error)} Pass -D cloud=<a name in clouds.yaml> or set OS_CLOUD; "
                "see openstack --os-cloud <name> token issue")
    if _has(kinds, ksa_exceptions.Unauthorized):
        return ("the cloud refused the credentials (HTTP 401: wrong user, password or project); "
                "fix them in clouds.yaml or the OS_* variables")
    if _has(kinds, ksa_exceptions.ConnectTimeout, ksa_exceptions.RequestTimeout):
        return (f"the cloud did not answer in time ({_cause(error)}); check the auth URL and "
                "that the cloud is running")
    if _has(kinds, ksa_exceptions.ConnectFailure, ksa_exceptions.DiscoveryFailure):
        return (f"cannot reach the cloud ({_cause(error)}); check the auth URL in clouds.yaml "
                "or OS_AUTH_URL and that Keystone is running")
    if _has(kinds, ksa_exceptions.EndpointNotFound):
        return f"{_cause(error)}; check the region and the service catalog (openstack catalog list)"
    if _has(kinds, ksa_exceptions.MissingRequiredOptions, sdk_exceptions.ConfigException):
        return f"the cloud configuration is incomplete ({_cause(error)}); fix clouds.yaml or OS_*"
    return f"the cloud answered with an error ({_cause(error)}); see the cloud's logs"


def _chain(error: BaseException | None) -> Iterator[BaseException]:
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def _has(chain: tuple, *kinds: type) -> bool:
    return any(isinstance(error, kinds) for error in chain)


def _cause(error: BaseException) -> str:
    return _one_line(error)


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return scrub(text[:240])


@contextlib.contextmanager
def _quiet_client_logs() -> Iterator[None]:
    """keystoneauth logs a warning for a failed discovery before raising;
    the preflight reports the error itself, once."""
    loggers = [logging.getLogger(name) for name in ("keystoneauth", "openstack", "urllib3")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def one_line(message: object) -> str:
    """``message`` on one line, secrets masked: for the console and a stopped run's JUnit file."""
    return " ".join(scrub(str(message)).split())


def fail_cleanly(message: str, *, status: int = PREFLIGHT_EXIT) -> None:
    """End the run now: one line on stderr, exit ``status``, no traceback.

    behave catches SystemExit in a hook (and exits 1 after printing
    "HOOK-ERROR in before_all: SystemExit"), so only ``os._exit`` gives
    status 2. Nothing has been created yet, so there is nothing to undo;
    formatters have written nothing worth keeping.
    """
    line = "preflight: " + one_line(message)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os.write(2, (line + "\n").encode(errors="replace"))
    os._exit(status)
