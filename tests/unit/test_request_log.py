import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest

from acceptance.cloud.request_log import RequestCounter, ServiceResolver, url_without_query

ENDPOINTS = [
    ("http://127.0.0.1:5000/v3", "identity"),
    ("http://127.0.0.1:8774/v2.1", "compute"),
    ("http://127.0.0.1:8778", "placement"),
    ("http://127.0.0.1:8778/extra", "other"),
]


def response(method, url, status, headers=None):
    request = SimpleNamespace(method=method, url=url, headers={"X-Auth-Token": "secret-token"})
    return SimpleNamespace(request=request, status_code=status, elapsed=timedelta(seconds=0.25),
                           headers=headers or {})


def counter():
    made = []

    def factory():
        made.append(1)
        return ServiceResolver(ENDPOINTS)

    return RequestCounter(factory), made


def test_the_longest_matching_endpoint_names_the_service():
    resolver = ServiceResolver(ENDPOINTS)
    assert resolver.service_for("http://127.0.0.1:8774/v2.1/servers/abc") == "compute"
    assert resolver.service_for("http://127.0.0.1:8778/resource_providers") == "placement"
    assert resolver.service_for("http://127.0.0.1:8778/extra/x") == "other"
    assert resolver.service_for("http://127.0.0.1:8778") == "placement"
    assert resolver.service_for("http://127.0.0.1:87780/x") == "unknown"
    assert resolver.service_for("http://10.0.0.1/") == "unknown"


def test_counts_are_per_method_service_and_status():
    requests, _ = counter()
    for _ in range(3):
        requests.on_response(response("GET", "http://127.0.0.1:8778/resource_providers/x/usages?a=1", 200))
    requests.on_response(response("DELETE", "http://127.0.0.1:8774/v2.1/servers/s1", 204))
    requests.on_response(response("GET", "http://127.0.0.1:8774/v2.1/servers/s1", 404))
    requests.on_response(response("POST", "http://127.0.0.1:5000/v3/auth/tokens", 201))
    assert requests.counts() == [
        {"method": "DELETE", "service": "compute", "status": 204, "count": 1},
        {"method": "GET", "service": "compute", "status": 404, "count": 1},
        {"method": "GET", "service": "placement", "status": 200, "count": 3},
        {"method": "POST", "service": "identity", "status": 201, "count": 1},
    ]
    assert requests.total() == 6


def test_reset_starts_a_new_scenario_and_the_catalog_is_read_once():
    requests, made = counter()
    requests.on_response(response("GET", "http://127.0.0.1:8778/", 200))
    requests.counts()
    requests.reset()
    assert requests.counts() == [] and requests.total() == 0
    requests.record("GET", "http://127.0.0.1:8778/?x=1", 200)
    assert requests.counts() == [{"method": "GET", "service": "placement", "status": 200, "count": 1}]
    assert made == [1]


def test_no_catalog_is_needed_while_nothing_was_counted():
    requests, made = counter()
    assert requests.counts() == [] and made == []


def test_the_log_line_has_method_url_status_time_and_request_id_but_no_other_header(caplog):
    requests, _ = counter()
    with caplog.at_level(logging.DEBUG, logger="acceptance.http"):
        requests.on_response(response("GET", "http://127.0.0.1:8774/v2.1/servers?host=c1", 200,
                                      {"x-openstack-request-id": "req-1234", "X-Subject-Token": "tok"}))
        requests.on_response(response("GET", "http://127.0.0.1:8778/", 200,
                                      {"openstack-request-id": "req-5678"}))
        requests.on_response(response("GET", "http://127.0.0.1:8778/", 502))
    assert caplog.messages == ["GET http://127.0.0.1:8774/v2.1/servers?host=c1 -> 200 (0.250 s) req-1234",
                               "GET http://127.0.0.1:8778/ -> 200 (0.250 s) req-5678",
                               "GET http://127.0.0.1:8778/ -> 502 (0.250 s) -"]
    assert "secret-token" not in caplog.text and "tok" not in caplog.text


def test_a_failed_check_names_the_last_request_and_its_id_once():
    requests, _ = counter()
    requests.on_response(response("GET", "http://127.0.0.1:8778/allocations/c1", 200,
                                  {"x-openstack-request-id": "req-aaaa"}))
    with pytest.raises(AssertionError) as raised:
        with requests.names_last_call():
            with requests.names_last_call():  # nested: named once, by the innermost
                raise AssertionError("allocations of server \"doomed\"\nExpected: none")
    assert str(raised.value) == ('allocations of server "doomed"\nExpected: none\n'
                                 "     seen in: GET http://127.0.0.1:8778/allocations/c1 -> 200, "
                                 "request id req-aaaa")


def test_without_a_request_yet_a_failed_check_is_left_as_it_is():
    requests, _ = counter()
    with pytest.raises(AssertionError, match="^plain$"):
        with requests.names_last_call():
            raise AssertionError("plain")


def test_hook_attaches_to_the_connections_requests_session():
    requests, _ = counter()
    session = SimpleNamespace(hooks={"response": []})
    requests.attach(SimpleNamespace(session=SimpleNamespace(session=session)))
    assert session.hooks["response"] == [requests.on_response]


def test_url_without_query():
    assert url_without_query("http://h:1/a/b?x=1&y=2") == "http://h:1/a/b"
