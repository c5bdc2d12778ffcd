"""nova-manage as a fork of the nova zygote (embedded_cloud/runtime/zygote.py) says what
nova-manage on its own says: same output, same exit code, on a real leak."""
from __future__ import annotations

import os
import subprocess
import uuid

from hamcrest import assert_that, contains_string, equal_to, greater_than

from embedded_cloud.runtime.processes import MARKER
from embedded_cloud.services import nova

from .kit import PLACEMENT, provider_id

AUDIT = ("placement", "audit", "--verbose")


def _runs_in_zygote(cloud) -> int:
    return cloud.layout.log(nova.ZYGOTE).read_text().count("zygote: running pid")


def _own_process(cloud, *args):
    env = {**os.environ, MARKER: str(cloud.layout.root)}
    return subprocess.run(nova.manage_argv(cloud.ctx, *args), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, env=env, timeout=600)


def test_an_audit_forked_from_the_zygote_reports_a_leak_as_nova_manage_does(embedded_cloud, admin_conn):
    # Allocations of a consumer that is no server: what the audit reports as a leak.
    consumer = str(uuid.uuid4())
    body = {"allocations": {provider_id(admin_conn, "compute1"): {"resources": {"VCPU": 1}}},
            "project_id": str(uuid.uuid4()), "user_id": str(uuid.uuid4()),
            "consumer_generation": None, "consumer_type": "INSTANCE"}
    response = admin_conn.placement.put(f"/allocations/{consumer}", json=body,
                                        microversion=PLACEMENT)
    assert response.status_code == 204, response.text
    try:
        runs_before = _runs_in_zygote(embedded_cloud)
        forked = embedded_cloud.nova_manage(*AUDIT)
        assert_that(_runs_in_zygote(embedded_cloud), greater_than(runs_before))
        own = _own_process(embedded_cloud, *AUDIT)
    finally:
        admin_conn.placement.delete(f"/allocations/{consumer}", microversion=PLACEMENT)
    assert_that(forked.stdout, contains_string(consumer))
    assert_that((forked.returncode, forked.stdout), equal_to((own.returncode, own.stdout)))
