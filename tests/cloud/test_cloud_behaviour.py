"""The embedded cloud is a real cloud: a server holds its flavor in Placement,
a forced-down compute gets a local delete, a killed compute stops reporting
and comes back, and the openstack CLI works with the clouds.yaml it writes."""
from __future__ import annotations

import json
import time

import pytest
from hamcrest import assert_that, equal_to, has_entries, has_items, is_not

from embedded_cloud.runtime.ports import accepts_connections
from embedded_cloud.services.nova import REPORT_INTERVAL

from tests.openstack_kit import boot, openstack_cli, wait_until

from .kit import allocations, compute_service, provider_id, service_state, unique

FLAVOR_RESOURCES = {"VCPU": 1, "MEMORY_MB": 64, "DISK_GB": 1}


@pytest.fixture
def flavor(admin_conn):
    flavor = admin_conn.compute.create_flavor(name=unique("cloudtest"), vcpus=1, ram=64, disk=1)
    yield flavor
    admin_conn.compute.delete_flavor(flavor)


def test_a_booted_server_holds_its_flavor_on_its_host(admin_conn, flavor):
    server = boot(admin_conn, unique("cloudtest"), flavor.id, host="compute1")
    try:
        assert_that(server.compute_host, equal_to("compute1"))
        assert_that(allocations(admin_conn, server.id),
                    equal_to({provider_id(admin_conn, "compute1"): FLAVOR_RESOURCES}))
    finally:
        admin_conn.compute.delete_server(server)
        admin_conn.compute.wait_for_delete(server, wait=60)
    assert_that(allocations(admin_conn, server.id), equal_to({}))


def test_delete_on_a_stopped_forced_down_compute_is_local(embedded_cloud, admin_conn, flavor):
    server = boot(admin_conn, unique("cloudtest"), flavor.id, host="compute2")
    embedded_cloud.stop_compute("compute2")
    service = compute_service(admin_conn, "compute2")
    try:
        admin_conn.compute.update_service_forced_down(service, "compute2", "nova-compute", True)
        admin_conn.compute.delete_server(server)
        # No compute is there to do the delete: only nova-api's local delete can finish it.
        admin_conn.compute.wait_for_delete(server, wait=30)
        assert_that(allocations(admin_conn, server.id), equal_to({}))
    finally:
        embedded_cloud.start_compute("compute2")
        admin_conn.compute.update_service_forced_down(service, "compute2", "nova-compute", False)
    wait_until(lambda: service_state(admin_conn, "compute2") == "up", 30, "compute2 up again")


def test_a_killed_compute_stops_reporting_and_comes_back(embedded_cloud, admin_conn):
    embedded_cloud.kill_compute("compute1")
    try:
        status = {s.name: s for s in embedded_cloud.status()}["nova-compute-compute1"]
        assert_that((status.running, status.stopped_on_purpose), equal_to((False, True)))
        # service_down_time is longer than a scenario, so the API keeps saying
        # "up" for minutes; what shows the death is that the heartbeats stop.
        time.sleep(2 * REPORT_INTERVAL)  # a heartbeat already on its way lands
        last = compute_service(admin_conn, "compute1").updated_at
        time.sleep(3 * REPORT_INTERVAL + 1)
        assert_that(compute_service(admin_conn, "compute1").updated_at, equal_to(last))
    finally:
        embedded_cloud.start_compute("compute1")  # returns after a heartbeat since the start
    assert_that(compute_service(admin_conn, "compute1").updated_at, is_not(equal_to(last)))
    wait_until(lambda: service_state(admin_conn, "compute1") == "up", 30, "compute1 up again")


def test_nova_apis_path_to_placement_can_be_cut_and_restored(embedded_cloud):
    relay_port = embedded_cloud.state.ports["placement-relay"]
    embedded_cloud.cut_placement_path()
    try:
        assert_that(accepts_connections(relay_port), equal_to(False))
        assert_that(accepts_connections(embedded_cloud.state.ports["placement"]), equal_to(True))
    finally:
        embedded_cloud.restore_placement_path()
    assert_that(accepts_connections(relay_port), equal_to(True))


def test_the_openstack_cli_uses_the_written_clouds_yaml(embedded_cloud):
    def openstack(*args):
        result = openstack_cli(embedded_cloud.layout.clouds_yaml, *args, "-f", "json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    services = openstack("compute", "service", "list", "--service", "nova-compute")
    assert_that(services, has_items(has_entries(Host="compute1", State="up"),
                                    has_entries(Host="compute2", State="up")))
    providers = openstack("resource", "provider", "list")
    assert_that([p["name"] for p in providers], has_items("compute1", "compute2"))
