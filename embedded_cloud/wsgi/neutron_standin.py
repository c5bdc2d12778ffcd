"""A stand-in for Neutron: answers only what Nova asks about a server with no networks.

Why not the real Neutron: neutron-server installs from PyPI, but its API
answered 500 on GET /v2.0/ports with every ML2 configuration tried without
agents (docs/embedded-cloud.md, "The Neutron stand-in"), and it would add MariaDB-heavy
migrations and ~200 MB to a cloud that must stay small.

What it answers is what a real Neutron answers when the project has no
network it can use (no network, no default external network, no port), for
every question nova 34 asks of a server with no networks, at any
microversion (nova/network/neutron.py of nova 34.0.0, the release in
requirements.txt):

- GET /v2.0/networks (empty): `_get_available_networks`, asked by nova-api's
  `validate_networks` on a create without `networks` (below 2.37) or with
  `networks: auto`, and by nova-compute's `allocate_for_instance`
  (`_validate_requested_network_ids`). With none found and none requested,
  nova boots the server with no ports ("No network configured").
- GET /v2.0/quotas/{project} (Neutron's default quotas,
  openstack/neutron neutron/conf/quota.py: port 500) and
  GET /v2.0/ports (empty): `validate_networks` checks the port quota
  whenever a create needs a port, i.e. unless `networks: none`.
- GET /v2.0/auto-allocated-topology/{project} (409 Conflict, "Deployment
  error: No default router:external network."): for `networks: auto`
  (2.37+, what the openstack CLI and openstacksdk's create_server send when
  no network is named) nova asks for a dry run
  (`_can_auto_allocate_network`). Neutron loads the auto_allocate service
  plugin by default (openstack/neutron neutron/plugins/common/constants.py,
  DEFAULT_SERVICE_PLUGINS, loaded in neutron/manager.py) and, with no
  default external network, answers 409 AutoAllocationFailure
  (neutron/services/auto_allocate/db.py `_check_requirements`,
  `_get_default_external_network`; exceptions.py). Nova turns the 409 into
  its own 400 "Unable to automatically allocate a network for project ...":
  what a real cloud without networks answers there.
- GET /v2.0/ports, /v2.0/security-groups, /v2.0/floatingips, /v2.0/subnets
  (empty): a server's show, network info cache and delete.
- GET /v2.0/extensions: the extensions whose resources it answers.

Shapes follow Neutron's API reference (openstack/neutron-lib
api-ref/source/v2/: networks.inc, quotas.inc, auto-topology.inc, ports.inc,
extensions.inc) and its error body, `{"NeutronError": {type, message,
detail}}`, from which neutronclient makes its exceptions by status (its
Conflict is what nova catches). The api-ref lists only 401 and 404 for
auto-allocated-topology; the 409 is the source's (above). Anything else is a 404 that
names the request, a line in the log and a line in the record
(EMBEDDED_NEUTRON_STANDIN_RECORD, one JSON object per line), which
`embedded-cloud status` prints and the cloud tests check: a new question from
Nova shows instead of being faked.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

RECORD_ENV = "EMBEDDED_NEUTRON_STANDIN_RECORD"

EMPTY_COLLECTIONS = {
    "/v2.0/ports": "ports",
    "/v2.0/networks": "networks",
    "/v2.0/subnets": "subnets",
    "/v2.0/security-groups": "security_groups",
    "/v2.0/floatingips": "floatingips",
}
# The resources of neutron-lib's api-ref (api-ref/source/v2/quotas.inc) at
# their defaults, openstack/neutron neutron/conf/quota.py (DEFAULT_QUOTA_*;
# subnetpool has no quota_ option: default_quota, -1, neutron/quota/resource.py).
DEFAULT_QUOTAS = {"network": 100, "subnet": 100, "port": 500, "router": 10, "floatingip": 50,
                  "security_group": 10, "security_group_rule": 100, "rbac_policy": 10,
                  "subnetpool": -1}
EXTENSIONS = [
    {"alias": alias, "name": name, "description": description,
     "updated": "2016-01-01T10:00:00-00:00", "links": []}
    for alias, name, description in (
        ("quotas", "Quota management support", "Expose functions for quotas management per project"),
        ("security-group", "security-group", "The security groups extension."),
        ("auto-allocated-topology", "Auto Allocated Topology Services",
         "Auto Allocated Topology Services."),
    )
]
AUTO_ALLOCATE = "/v2.0/auto-allocated-topology/"
QUOTAS = "/v2.0/quotas/"

_record_lock = threading.Lock()


def _reply(start_response, status: str, body: dict) -> list[bytes]:
    payload = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(payload)))])
    return [payload]


def _error(kind: str, message: str) -> dict:
    # Neutron's error body; neutronclient turns it into its exceptions by status.
    return {"NeutronError": {"type": kind, "message": message, "detail": ""}}


def _answer(method: str, path: str):
    """(status, body) as Neutron with no usable network answers, or None: not Nova's question."""
    if method != "GET":
        return None
    if path in EMPTY_COLLECTIONS:
        return "200 OK", {EMPTY_COLLECTIONS[path]: []}
    if path == "/v2.0/extensions":
        return "200 OK", {"extensions": EXTENSIONS}
    if path.startswith(QUOTAS) and "/" not in path[len(QUOTAS):]:
        return "200 OK", {"quota": dict(DEFAULT_QUOTAS)}
    if path.startswith(AUTO_ALLOCATE) and "/" not in path[len(AUTO_ALLOCATE):]:
        return "409 Conflict", _error("AutoAllocationFailure",
                                      "Deployment error: No default router:external network.")
    if path in ("/", "/v2.0"):
        return "200 OK", {"versions": [{"id": "v2.0", "status": "CURRENT", "links": []}]}
    return None


def record(path: Path, method: str, request: str) -> None:
    """Append one unanswered request to the record (one JSON line, whole or not at all)."""
    line = json.dumps({"at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                       "method": method, "path": request}) + "\n"
    with _record_lock, open(path, "a") as handle:
        handle.write(line)


def unanswered(path: Path) -> list[dict]:
    """The requests the stand-in could not answer, oldest first ([] when none)."""
    try:
        lines = path.read_text().splitlines()
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in lines if line.strip()]


def application(environ, start_response):
    method = environ["REQUEST_METHOD"]
    path = environ.get("PATH_INFO", "/").rstrip("/") or "/"
    if path.endswith(".json"):
        path = path[: -len(".json")]
    answer = _answer(method, path)
    if answer is not None:
        return _reply(start_response, *answer)
    query = environ.get("QUERY_STRING", "")
    request = path + (f"?{query}" if query else "")
    print(f"neutron-standin: unanswered {method} {request}", file=sys.stderr, flush=True)
    if os.environ.get(RECORD_ENV):
        record(Path(os.environ[RECORD_ENV]), method, request)
    return _reply(start_response, "404 Not Found", _error(
        "HTTPNotFound", f"The Neutron stand-in does not answer {method} {path}: it answers only "
                        "what nova asks (embedded_cloud/wsgi/neutron_standin.py)"))
