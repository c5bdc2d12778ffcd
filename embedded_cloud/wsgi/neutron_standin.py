"""A stand-in for Neutron that answers only what Nova asks about `networks: none` servers.

Why not the real Neutron: neutron-server installs from PyPI, but its API
answered 500 on GET /v2.0/ports with every ML2 configuration tried without
agents (see shared/design/embedded-cloud.md), and it would add MariaDB-heavy
migrations and ~200 MB to a cloud that must stay small. No scenario of the
suite creates a port: servers boot with `networks: "none"`, so nova-compute
allocates nothing, and what Nova still asks (the server's ports and security
groups when it shows or deletes a server, the extension list) has one true
answer: none. Every request is logged, and anything else is answered 404 so
that a new question from Nova shows up in the log instead of being faked.
"""
from __future__ import annotations

import json
import sys

EMPTY_COLLECTIONS = {
    "/v2.0/ports": "ports",
    "/v2.0/networks": "networks",
    "/v2.0/subnets": "subnets",
    "/v2.0/security-groups": "security_groups",
    "/v2.0/floatingips": "floatingips",
    "/v2.0/extensions": "extensions",
}


def _reply(start_response, status: str, body: dict) -> list[bytes]:
    payload = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(payload)))])
    return [payload]


def application(environ, start_response):
    method = environ["REQUEST_METHOD"]
    path = environ.get("PATH_INFO", "/").rstrip("/") or "/"
    if path.endswith(".json"):
        path = path[: -len(".json")]
    if method == "GET" and path in EMPTY_COLLECTIONS:
        return _reply(start_response, "200 OK", {EMPTY_COLLECTIONS[path]: []})
    if method == "GET" and path in ("/", "/v2.0"):
        return _reply(start_response, "200 OK", {"versions": [
            {"id": "v2.0", "status": "CURRENT", "links": []}]})
    print(f"neutron-standin: unanswered {method} {path}", file=sys.stderr, flush=True)
    return _reply(start_response, "404 Not Found",
                  {"NeutronError": {"type": "HTTPNotFound", "message": "not in the stand-in",
                                    "detail": ""}})
