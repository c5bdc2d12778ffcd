"""A server of another project lands on the target host while the suite's
own server is building there: the fault that follows is not made, the
failure names the server (id, project), and the restore removes the
suite's server and flavor and nothing else. Also: the suite's flavor is
private, and the default target is the host holding the fewest servers."""

from __future__ import annotations

import pytest


from acceptance.cloud.changes import Creations, ServiceChanges
from acceptance.cloud.compute import ComputeClient
from acceptance.cloud.hosts import choose_hosts
from acceptance.cloud.waiters import has_reported_since
from acceptance.faults import KILL
from acceptance.safety.ledger import Ledger, cloud_key
from acceptance.safety.prefix import new_run_prefix
from acceptance.safety.restore import restore
from acceptance.safety.safe_hosts import ForeignServersError, check_host_is_ours
from acceptance.settings import Timeouts, resolve
from tests.safety import cloud_kit as kit


@pytest.fixture
def race(safety_cloud, conn, tmp_path):
    """The suite's server booting on the target; the member's server booted
    right after it, with the other host disabled so it can only land there."""
    member, compute = kit.member(safety_cloud), ComputeClient(conn)
    prefix = new_run_prefix()
    target, other = choose_hosts(resolve({}, {}), compute).target, None
    other = next(h for h in kit.HOSTS if h != target)
    public = kit.make_flavor(conn, f"foreign-{prefix}flavor")
    ledger = Ledger.open(tmp_path, cloud_key(conn), prefix)
    creations = Creations(conn, prefix, Timeouts(), ledger)
    services = ServiceChanges(
        conn, kit.fault_control(safety_cloud), Timeouts(service_state=20), ledger, report_interval=1,
        check_host=lambda c, host: check_host_is_ours(c, host, prefix=prefix, ledger=ledger))
    image = conn.image.find_image(kit.IMAGE, ignore_missing=False)
    foreign = None
    other_service = compute.compute_service(other)
    try:
        flavor = creations.create_flavor("small", vcpus=1, ram=128, disk=1)
        ours = creations.boot_server("ours", flavor=flavor, image_id=image.id, host=target)
        conn.compute.disable_service(other_service.id, disabled_reason="test: only the target takes servers")
        try:
            foreign = kit.boot(member, "someone-elses-server", public.id)
        finally:
            conn.compute.enable_service(other_service.id)
        conn.compute.wait_for_server(ours, status="ACTIVE", wait=120)
        yield conn, member, ledger, services, target, other, flavor, ours, foreign
    finally:
        restore(conn, ledger, timeout=60, log=lambda line: None)
        ledger.close()
        if foreign is not None:
            conn.compute.delete_server(foreign.id, ignore_missing=True)
            conn.compute.wait_for_delete(foreign, wait=120)
        conn.compute.delete_flavor(public.id, ignore_missing=True)


def test_the_suites_flavor_is_private_to_its_project(race):
    conn, member, ledger, services, target, other, flavor, ours, foreign = race
    assert flavor.is_public is False
    assert [a["tenant_id"] for a in conn.compute.get_flavor_access(flavor)] == [conn.current_project_id]
    assert flavor.id not in {f.id for f in member.compute.flavors()}


@pytest.mark.parametrize("fault", ["stop", "kill", "force down", "disable"])
def test_a_foreign_server_on_the_target_stops_the_fault_and_is_named(race, fault):
    conn, member, ledger, services, target, other, flavor, ours, foreign = race
    foreign_now = conn.compute.get_server(foreign.id)
    assert foreign_now.compute_host == target  # the race happened
    make = {"stop": lambda: services.take_down(target), "kill": lambda: services.take_down(target, KILL),
            "force down": lambda: services.force_down(target),
            "disable": lambda: services.disable(target, "acceptance suite: test")}[fault]
    with pytest.raises(ForeignServersError) as error:
        make()
    message = str(error.value)
    assert f"compute host {target}" in message
    assert f"{foreign.id} (project {foreign_now.project_id}, someone-elses-server)" in message
    assert foreign_now.project_id == member.current_project_id != conn.current_project_id
    # Not made: nothing in the ledger, the service untouched and still beating.
    assert not ledger.outstanding().services and not ledger.outstanding().stopped_computes
    service = ComputeClient(conn).compute_service(target)
    assert (service.status, service.is_forced_down) == ("enabled", False)
    assert has_reported_since(ComputeClient(conn), target, service.updated_at, 10)


def test_the_restore_removes_the_suites_server_and_flavor_and_leaves_the_foreign_one(race):
    conn, member, ledger, services, target, other, flavor, ours, foreign = race
    assert restore(conn, ledger, timeout=60, log=lambda line: None) == []
    assert conn.compute.find_server(ours.id, ignore_missing=True) is None
    assert conn.compute.find_flavor(flavor.id, ignore_missing=True) is None
    assert conn.compute.get_server(foreign.id).status == "ACTIVE"


def test_the_default_target_is_the_host_holding_the_fewest_servers(race):
    conn, member, ledger, services, target, other, flavor, ours, foreign = race
    # The target now holds two servers (ours and the foreign one), the other none.
    assert choose_hosts(resolve({}, {}), ComputeClient(conn)).target == other
    assert choose_hosts(resolve({"target_host": target}, {}), ComputeClient(conn)).target == target
