"""What nova-api's server error to a delete means while its path to Placement is cut.

nova-api creates its Placement client on its first use of Placement since
it started (nova/scheduler/client/report.py ``report_client_singleton``).
With Placement unreachable then, openstacksdk before 4.11.0 fails in
``ServiceDescription._make_proxy`` (``data.catalog_url`` on no endpoint
data: an AttributeError), which nova's ``@safe_connect`` does not catch; the
local delete calls Placement before it destroys the instance
(nova/compute/api.py ``_local_delete``), so the DELETE answers 500 and the
server stays. openstacksdk a17e53ce7 (4.11.0) returns the proxy instead.
The upper-constraints of 2024.1 to 2026.1 pin openstacksdk 3.0.0 to 4.10.0.
"""

from __future__ import annotations

FIXED_IN = "4.11.0"  # openstacksdk a17e53ce7


def delete_refused_while_cut(label: str, status: int, request_id: str | None, server_left: str | None) -> str:
    """One line for the failed step: what nova answered, what is left, the known cause, what to do."""
    request = f" (request {request_id})" if request_id else ""
    left = (f"the server is still there ({server_left})" if server_left
            else "the server is gone all the same")
    return (f'nova-api answered {status} to the delete of server "{label}" while its path to Placement '
            f"was cut{request}; {left}. The known cause: this nova-api process had not used Placement "
            f"since it started, and nova with an openstacksdk older than {FIXED_IN} (a17e53ce7) cannot "
            f"create its Placement client while Placement is unreachable (2024.1 to 2026.1 pin one). "
            f"A local delete with Placement reachable first avoids it (a whole run has one before this "
            f"scenario, in the evacuate feature); nova-api's log has the traceback (docs/releases.md)")
