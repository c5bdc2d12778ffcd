"""The Neutron stand-in answers nova's own network code as a real Neutron with no usable
network does: nova 34's nova/network/neutron.py runs unchanged against it (through
neutronclient, as nova-api and nova-compute do), and decides what a real cloud decides."""
from __future__ import annotations

import uuid
from unittest import mock

import pytest
from hamcrest import assert_that, contains_string, equal_to
from neutronclient.common import exceptions as neutron_errors
from neutronclient.v2_0 import client as neutron_client
from wsgi_intercept import interceptor

from embedded_cloud.wsgi import neutron_standin

PROJECT = uuid.uuid4().hex
HOST, PORT = "neutron-standin.test", 9696


@pytest.fixture
def record(tmp_path, monkeypatch):
    path = tmp_path / "unanswered.jsonl"
    monkeypatch.setenv(neutron_standin.RECORD_ENV, str(path))
    return path


@pytest.fixture
def neutron(record):
    """neutronclient, as nova builds it, talking to the stand-in's WSGI application."""
    with interceptor.RequestsInterceptor(lambda: neutron_standin.application, host=HOST, port=PORT):
        yield neutron_client.Client(endpoint_url=f"http://{HOST}:{PORT}", token="t", insecure=True)


@pytest.fixture
def nova_api(neutron):
    """nova's network API with its neutron client pointed at the stand-in."""
    from nova import context, objects
    from nova.network import neutron as nova_neutron

    objects.register_all()
    ctx = context.RequestContext(user_id="u", project_id=PROJECT, auth_token="t", is_admin=False)
    wrapped = nova_neutron.ClientWrapper(neutron, admin=False)
    with mock.patch.object(nova_neutron, "get_client", return_value=wrapped):
        yield nova_neutron.API(), ctx, wrapped


def requested(*network_ids: str):
    from nova import objects

    return objects.NetworkRequestList(objects=[objects.NetworkRequest(network_id=n) for n in network_ids])


def test_a_create_below_2_37_passes_nova_api_checks_port_quota_included(nova_api, record):
    api, ctx, _ = nova_api
    # No `networks` in the request: nova finds none, checks the port quota (500, none used).
    assert_that(api.validate_networks(ctx, None, 3), equal_to(3))
    assert_that(record.exists(), equal_to(False))


def test_nova_compute_allocates_no_port_for_a_server_without_networks(nova_api, record):
    api, ctx, neutron = nova_api
    instance = mock.Mock(project_id=PROJECT, uuid=str(uuid.uuid4()))
    # allocate_for_instance's network lookup: nothing found, nothing asked, no port to make.
    assert_that(api._validate_requested_network_ids(ctx, instance, neutron, requested(), []),
                equal_to({}))
    assert_that(record.exists(), equal_to(False))


def test_networks_auto_is_refused_by_nova_as_on_a_cloud_without_a_default_external_network(nova_api, record):
    from nova import exception

    api, ctx, _ = nova_api
    with pytest.raises(exception.UnableToAutoAllocateNetwork) as refused:
        api.validate_networks(ctx, requested("auto"), 1)
    assert_that(str(refused.value), equal_to(
        f"Unable to automatically allocate a network for project {PROJECT}"))
    assert_that(record.exists(), equal_to(False))


def test_neutron_answers_in_neutrons_shapes(neutron):
    assert_that(neutron.show_quota(PROJECT)["quota"]["port"], equal_to(500))
    assert_that(neutron.list_networks(shared=True)["networks"], equal_to([]))
    assert_that(neutron.list_ports(device_id="x")["ports"], equal_to([]))
    assert_that(sorted(e["alias"] for e in neutron.list_extensions()["extensions"]),
                equal_to(["auto-allocated-topology", "quotas", "security-group"]))
    with pytest.raises(neutron_errors.Conflict) as conflict:
        neutron.validate_auto_allocated_topology_requirements(PROJECT)
    assert_that(str(conflict.value), contains_string("No default router:external network"))


def test_an_unknown_request_is_a_404_naming_it_and_a_line_in_the_record(neutron, record):
    with pytest.raises(neutron_errors.NotFound) as missing:
        neutron.list_routers(name="r1")
    assert_that(str(missing.value), contains_string("does not answer GET /v2.0/routers"))
    [line] = neutron_standin.unanswered(record)
    assert_that((line["method"], line["path"]), equal_to(("GET", "/v2.0/routers?name=r1")))
