"""Count and log every HTTP request the suite makes through openstacksdk.

A response hook on the connection's ``requests`` session sees every request
-- through any proxy, raw ``conn.placement.get``, and keystoneauth's own token
requests. Each is counted per (method, URL, status) and logged at DEBUG with
method, URL, status, time and the request id the service gave it
(``x-openstack-request-id``: what an operator greps nova's and Placement's
logs for) only: never other headers or bodies, so no token or password
reaches the log. ``names_last_call`` adds that request to a failed check.

Which service a URL belongs to is worked out when counts are read, from the
service catalog: asking for the catalog inside the hook would re-enter
authentication while the token request itself is being answered.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

LOG = logging.getLogger("acceptance.http")

UNKNOWN_SERVICE = "unknown"

# Most HTTP requests one scenario may make (``requests.total`` in JUnit;
# checked by tests/suite). Measured on the embedded cloud: 18-19 for a boot
# check, about 30 for a local delete, 49 for the heaviest (a heal scenario
# with two servers and a compute restart). Waits poll at most every 2 s, so
# the ~50 requests of headroom absorb some 100 s of extra waiting on a slow
# cloud; more than that means a new request in a loop, or a leak of calls.
REQUEST_BUDGET_PER_SCENARIO = 100


# Nova sends the first two, Placement the first and the last, Keystone and Glance the first.
REQUEST_ID_HEADERS = ("x-openstack-request-id", "x-compute-request-id", "openstack-request-id")


def request_id_of(response) -> str | None:
    headers = getattr(response, "headers", None) or {}
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return value
    return None


@dataclass(frozen=True)
class Call:
    """One request the suite made, as an operator looks it up."""

    method: str
    url: str
    status: int
    request_id: str | None

    def __str__(self) -> str:
        return f"{self.method} {self.url} -> {self.status}, request id {self.request_id or 'none given'}"


def url_without_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


class ServiceResolver:
    """Maps a request URL to a service type by the longest matching endpoint."""

    def __init__(self, endpoints: Iterable[tuple[str, str]]) -> None:
        # (url prefix, service type), longest prefix first.
        self._endpoints = sorted(
            ((url.rstrip("/"), service) for url, service in endpoints),
            key=lambda pair: len(pair[0]),
            reverse=True,
        )

    def service_for(self, url: str) -> str:
        for prefix, service in self._endpoints:
            if url == prefix or url.startswith(prefix + "/"):
                return service
        return UNKNOWN_SERVICE


def catalog_endpoints(conn) -> list[tuple[str, str]]:
    """(url, service type) for every catalog endpoint, plus the auth URL."""
    access = conn.session.auth.get_access(conn.session)
    pairs = [
        (endpoint["url"], entry["type"])
        for entry in access.service_catalog.catalog
        for endpoint in entry.get("endpoints", ())
    ]
    auth_url = getattr(conn.session.auth, "auth_url", None)
    if auth_url:
        pairs.append((auth_url, "identity"))
    return pairs


class RequestCounter:
    """Thread-safe request counts since the last ``reset``."""

    def __init__(self, resolver_factory: Callable[[], ServiceResolver]) -> None:
        self._resolver_factory = resolver_factory
        self._resolver: ServiceResolver | None = None
        self._counts: Counter[tuple[str, str, int]] = Counter()
        self._lock = threading.Lock()
        self._last = threading.local()  # per thread: the call a check in that thread just read

    def attach(self, conn) -> None:
        """Count every request sent through ``conn`` from now on."""
        conn.session.session.hooks.setdefault("response", []).append(self.on_response)

    def on_response(self, response, *args, **kwargs):
        request = response.request
        url = url_without_query(request.url)
        request_id = request_id_of(response)
        with self._lock:
            self._counts[(request.method, url, response.status_code)] += 1
        self._last.call = Call(request.method, request.url, response.status_code, request_id)
        LOG.debug(
            "%s %s -> %s (%.3f s) %s",
            request.method,
            request.url,
            response.status_code,
            response.elapsed.total_seconds(),
            request_id or "-",
        )
        return response

    def last_call(self) -> Call | None:
        """The last request this thread made (None before any)."""
        return getattr(self._last, "call", None)

    @contextmanager
    def names_last_call(self) -> Iterator[None]:
        """An AssertionError raised inside gets a line naming the last request
        of this thread -- the call whose answer the failed check read -- with
        its request id. Use it around the check itself, before any further
        request (a usage sample for the report) replaces that call."""
        try:
            yield
        except AssertionError as error:
            call = self.last_call()
            if call is not None and not getattr(error, "names_call", False):
                first = str(error.args[0]) if error.args else ""
                error.args = (f"{first}\n     seen in: {call}", *error.args[1:])
                error.names_call = True
            raise

    def record(self, method: str, url: str, status: int) -> None:
        """Count a request by hand (tests, or a request made outside the session)."""
        with self._lock:
            self._counts[(method, url_without_query(url), status)] += 1

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()

    def counts(self) -> list[dict]:
        """``[{"method", "service", "status", "count"}, ...]``, the shape
        ``scenario.request_counts`` and ``reports.request_counts`` read."""
        with self._lock:
            raw = dict(self._counts)
        if raw and self._resolver is None:
            self._resolver = self._resolver_factory()
        by_service: Counter[tuple[str, str, int]] = Counter()
        for (method, url, status), count in raw.items():
            by_service[(method, self._resolver.service_for(url), status)] += count
        return [
            {"method": method, "service": service, "status": status, "count": count}
            for (method, service, status), count in sorted(by_service.items())
        ]

    def total(self) -> int:
        with self._lock:
            return sum(self._counts.values())
