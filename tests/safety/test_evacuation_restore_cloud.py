"""The undo after an evacuation, on a real (embedded) cloud.

nova refuses to un-force the source host while its evacuation is `done`; it
becomes `completed` only when the source's nova-compute starts and cleans up.
Both undo paths must put the cloud back anyway.
"""

import threading

import pytest
from openstack import exceptions

from acceptance.cloud.compute import ComputeClient
from acceptance.cloud.waiters import wait_for_server_settled_on
from acceptance.safety.ledger import Ledger, cloud_key
from acceptance.safety.prefix import new_run_prefix
from acceptance.safety.restore import restore
from acceptance.safety.unforce import refused_for_evacuations, unforce
from tests.safety import cloud_kit as kit

SOURCE, DESTINATION = "compute1", "compute2"


def _evacuate_off_dead_source(safety_cloud, conn, server) -> None:
    """compute1 stopped and forced down, its server evacuated and settled on compute2."""
    safety_cloud.stop_compute(SOURCE)
    conn.compute.update_service_forced_down(kit.services(conn)[SOURCE].id, forced=True)
    compute = ComputeClient(conn)
    compute.evacuate(server.id, DESTINATION)
    wait_for_server_settled_on(compute, server.id, "SHUTOFF", DESTINATION, 60)
    kit.wait_until(lambda: [m.status for m in compute.evacuations(server.id)] == ["done"], 30,
                   "the evacuation migration done")


def test_unforce_waits_until_the_started_source_has_completed_the_evacuation(safety_cloud, conn):
    flavor = kit.make_flavor(conn, new_run_prefix() + "flavor")
    server = kit.boot(conn, flavor.name, flavor.id, host=SOURCE)
    try:
        _evacuate_off_dead_source(safety_cloud, conn, server)
        service = kit.services(conn)[SOURCE]
        with pytest.raises(exceptions.BadRequestException) as refusal:
            conn.compute.update_service_forced_down(service.id, forced=False)
        assert refused_for_evacuations(refusal.value)

        # Asked while the source is still down: it waits, and succeeds once
        # the source, started meanwhile, has completed the evacuation.
        failures = []
        asking = threading.Thread(target=lambda: _catch(failures, unforce, conn, service.id, SOURCE, 90))
        asking.start()
        safety_cloud.start_compute(SOURCE)
        asking.join(120)

        assert not asking.is_alive() and failures == []
        assert kit.services(conn)[SOURCE].is_forced_down is False
        assert [m.status for m in ComputeClient(conn).evacuations(server.id)] == ["completed"]
        provider = {p.name: p.id for p in conn.placement.resource_providers()}[DESTINATION]
        held = conn.placement.get(f"/allocations/{server.id}", microversion="1.39").json()["allocations"]
        assert list(held) == [provider]
    finally:
        conn.compute.delete_server(server.id, ignore_missing=True)
        conn.compute.wait_for_delete(server, wait=60)
        conn.compute.delete_flavor(flavor.id)


def test_restore_after_an_interrupted_evacuation_leaves_the_cloud_as_it_was(safety_cloud, conn, tmp_path):
    before = kit.provider_usages(conn)
    prefix = new_run_prefix()
    ledger = Ledger.open(tmp_path, cloud_key(conn), prefix)
    _, server = kit.ledgered_server(conn, ledger, prefix, "evacuee", SOURCE)
    service = kit.services(conn)[SOURCE]
    ledger.will_change_service(service.id, SOURCE, "nova-compute", {
        "forced_down": False, "status": "enabled", "disabled_reason": None, "state": "up"})
    ledger.will_stop_compute(SOURCE)
    # The run dies here: the evacuation done, its source stopped and forced down.
    _evacuate_off_dead_source(safety_cloud, conn, server)

    problems = restore(conn, ledger, timeout=90, log=lambda line: None,
                       start_compute=safety_cloud.start_compute)

    assert problems == []
    assert not ledger.outstanding()
    assert not [s for s in conn.compute.servers(all_projects=True) if s.name.startswith(prefix)]
    after = kit.services(conn)[SOURCE]
    assert (after.status, after.is_forced_down, after.state) == ("enabled", False, "up")
    assert ComputeClient(conn).evacuations_from(SOURCE, "done") == []
    assert kit.provider_usages(conn) == before
    ledger.close()


def _catch(failures, call, *args):
    try:
        call(*args)
    except Exception as error:  # noqa: BLE001 - reported by the test's assertion
        failures.append(error)
