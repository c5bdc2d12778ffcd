"""Helpers for the safety tests that run against the embedded cloud."""

from __future__ import annotations


from acceptance.cloud.connection import connection_factory
from embedded_cloud.setup.clouds_yaml import ADMIN_CLOUD, MEMBER_CLOUD
from tests.openstack_kit import IMAGE, boot, wait_until  # noqa: F401  re-exported for the safety tests

HOSTS = ("compute1", "compute2")


def factory(cloud, which: str = ADMIN_CLOUD, api_timeout: float = 30.0):
    return connection_factory(which, clouds_yaml=str(cloud.layout.clouds_yaml), api_timeout=api_timeout)


def admin(cloud):
    conn = factory(cloud)()
    conn.compute.default_microversion = "2.74"
    return conn


def member(cloud):
    conn = factory(cloud, MEMBER_CLOUD)()
    conn.compute.default_microversion = "2.74"
    return conn


def services(conn) -> dict:
    return {s.host: s for s in conn.compute.services(binary="nova-compute")}


def provider_usages(conn) -> dict:
    result = {}
    for provider in conn.placement.resource_providers():
        response = conn.placement.get(f"/resource_providers/{provider.id}/usages", microversion="1.0")
        assert response.status_code == 200, response.text
        result[provider.name] = response.json()["usages"]
    return result


def make_flavor(conn, name: str, *, is_public: bool = True):
    return conn.compute.create_flavor(name=name, ram=128, vcpus=1, disk=1, is_public=is_public)


def healthy(conn) -> bool:
    """Every compute enabled, not forced down and up."""
    return all(s.status == "enabled" and not s.is_forced_down and s.state == "up"
               for s in services(conn).values())


def put_every_compute_back(cloud, conn) -> None:
    """A test's own safety net: whatever it did to the computes, undo."""
    for host in HOSTS:
        cloud.thaw_compute(host)  # a frozen compute takes no start: it is running
        cloud.start_compute(host)
    for service in services(conn).values():
        if service.is_forced_down or service.status != "enabled":
            conn.compute.update_service(service.id, forced_down=False, status="enabled")
    wait_until(lambda: healthy(conn), 60, "every compute enabled and up")


def ledgered_server(conn, ledger, prefix: str, name: str, host: str):
    """A flavor and a server on ``host``, each recorded in ``ledger`` around
    its create call, as the suite records them: (flavor, server)."""
    ledger.will_create("flavor", prefix + "flavor")
    flavor = make_flavor(conn, prefix + "flavor")
    ledger.created("flavor", flavor.name, flavor.id)
    ledger.will_create("server", prefix + name)
    server = boot(conn, prefix + name, flavor.id, host=host)
    ledger.created("server", server.name, server.id)
    return flavor, server


def fault_control(cloud):
    """The fault control a run on ``cloud`` uses: the commands it publishes
    (`embedded-cloud facts`), as the suite lays them in."""
    from acceptance.cloud import embedded, fault_control as faults
    from acceptance.settings import resolve, with_embedded_defaults

    facts = embedded.facts(str(cloud.layout.root))
    return faults.choose(with_embedded_defaults(resolve({}, {}), facts.settings,
                                                facts.nova_setting("DEFAULT.report_interval")))
