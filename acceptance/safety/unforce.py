"""Un-forcing a compute service, in the one order nova accepts after an evacuation.

nova refuses ``forced_down: false`` (400) while evacuations off the host are
``done``: only the host's nova-compute, started again, removes the evacuated
servers and their allocations there (``ComputeManager.
_destroy_evacuated_instances``, in ``init_host``, before its first heartbeat)
and marks them ``completed``. So the order is: start nova-compute, wait until
no evacuation off the host is ``done``, then un-force. Both undo paths (a
scenario's cleanups and the ledger restore) un-force through here.
"""

from __future__ import annotations

from openstack import exceptions

from acceptance.cloud.compute import ComputeClient
from acceptance.cloud.waiters import wait_for_evacuations_cleaned_up

# nova's words (nova/api/openstack/compute/services.py, _check_for_evacuations).
EVACUATIONS_REMAIN = "evacuation migration records remain"


def refused_for_evacuations(error: BaseException) -> bool:
    return isinstance(error, exceptions.BadRequestException) and (
        EVACUATIONS_REMAIN in f"{error} {error.details or ''}"
    )


def unforce(conn, service_id: str, host: str, timeout: float) -> None:
    """PUT forced_down=false; when nova refuses it for ``done`` evacuations,
    wait (up to ``timeout``) for the started nova-compute to complete them and
    ask again. The caller has started nova-compute on ``host``."""
    try:
        conn.compute.update_service_forced_down(service_id, forced=False)
    except exceptions.BadRequestException as error:
        if not refused_for_evacuations(error):
            raise
        wait_for_evacuations_cleaned_up(ComputeClient(conn), host, timeout)
        conn.compute.update_service_forced_down(service_id, forced=False)
