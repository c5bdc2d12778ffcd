"""Real clients on the embedded cloud, as a newcomer uses them: the `openstack` CLI at
its default compute microversion and at 2.1, and openstacksdk with no microversion
pinned, through the common operations. No service answers 5xx (their access logs),
and the Neutron stand-in answers every question (tests/conftest.py's standin_watch).

What a create without a network gets is nova's own answer on a cloud with no
networks (nova 34, nova/network/neutron.py `validate_networks`,
`_ports_needed_per_instance`, `_validate_requested_network_ids`):

- below microversion 2.37 (no `networks` sent) nova finds no network, checks
  the port quota and boots the server with no ports;
- from 2.37 the openstack CLI and openstacksdk's create_server send
  `networks: auto`; nova asks Neutron for a dry run of auto-allocation,
  Neutron answers 409 (no default external network) and nova refuses the
  create with 400 "Unable to automatically allocate a network for project".
"""
from __future__ import annotations

import json
import re

import pytest
import requests
from hamcrest import assert_that, contains_string, empty, equal_to, has_item, has_items, is_not
from openstack import exceptions

from tests.conftest import connect
from tests.openstack_kit import IMAGE, embedded_cloud_cli, openstack_cli, wait_until

from .kit import unique

CLI_VERSIONS = {"cli-default": None, "cli-2.1": "2.1"}
AUTO_REFUSED = "Unable to automatically allocate a network for project"
# gunicorn's access log line: ... "METHOD PATH HTTP/1.1" STATUS ...
SERVER_ERROR = re.compile(r'"[A-Z]+ (\S+) HTTP/[\d.]+" (5\d\d) ')


@pytest.fixture(autouse=True)
def no_server_errors(embedded_cloud):
    """Every service's access log, from where it stood before the test: no 5xx answer."""
    logs = {log: log.stat().st_size for log in embedded_cloud.layout.logs.glob("*.log")}
    yield
    errors = []
    for log in embedded_cloud.layout.logs.glob("*.log"):
        with open(log, errors="replace") as handle:
            handle.seek(logs.get(log, 0))
            errors += [f"{log.stem}: {m.group(2)} {m.group(1)}" for m in SERVER_ERROR.finditer(handle.read())]
    assert_that(errors, empty())


@pytest.fixture(scope="module")
def cli(embedded_cloud):
    def run(*args: str, version: str | None = None, output: bool = True):
        """The CLI's JSON answer (None: a command that prints nothing, `output=False`);
        a failed command fails the test with its stderr."""
        result = openstack_cli(embedded_cloud.layout.clouds_yaml, *args, *(["-f", "json"] if output else []),
                               compute_version=version)
        assert result.returncode == 0, f"openstack {' '.join(args)}: {result.stderr}"
        return json.loads(result.stdout) if result.stdout.strip() else None
    return run


@pytest.fixture(scope="module")
def sdk(embedded_cloud):
    """openstacksdk as a user makes it: no microversion pinned."""
    return connect(embedded_cloud.layout.clouds_yaml)


@pytest.fixture(scope="module")
def flavor(cli, sdk):
    """A flavor made and, at the end, deleted with the CLI; its servers deleted first."""
    name = unique("clients")
    cli("flavor", "create", "--vcpus", "1", "--ram", "64", "--disk", "1", name)
    yield name
    for server in sdk.compute.servers(all_projects=True, flavor=sdk.compute.find_flavor(name).id):
        sdk.compute.delete_server(server)
        sdk.compute.wait_for_delete(server, wait=60)
    cli("flavor", "delete", name, output=False)


def boot_without_network(cli, flavor: str) -> dict:
    """`openstack --os-compute-api-version 2.1 server create` with no network argument."""
    server = cli("server", "create", "--image", IMAGE, "--flavor", flavor, "--wait", unique("clients"),
                 version="2.1")
    assert_that(server["status"], equal_to("ACTIVE"))
    assert_that(server["addresses"], empty())  # no network: no port
    return server


@pytest.mark.parametrize("client", ["cli-default", "sdk"])
def test_a_create_without_network_at_the_latest_microversions_is_refused_as_nova_refuses(
        embedded_cloud, cli, sdk, flavor, client):
    project = sdk.current_project_id
    name = unique("clients")
    if client == "sdk":
        with pytest.raises(exceptions.BadRequestException) as refused:
            sdk.create_server(name, image=IMAGE, flavor=flavor)
        message = str(refused.value)
    else:
        result = openstack_cli(embedded_cloud.layout.clouds_yaml, "server", "create", "--image", IMAGE,
                               "--flavor", flavor, name)
        assert_that(result.returncode, is_not(equal_to(0)))
        message = result.stderr
    assert_that(message, contains_string(f"{AUTO_REFUSED} {project}"))
    assert_that(message, contains_string("400"))
    assert_that([s.name for s in sdk.compute.servers(name=name)], empty())


@pytest.mark.parametrize("client", [*CLI_VERSIONS, "sdk"])
def test_a_server_without_network_lives_through_list_show_stop_start_delete(
        cli, sdk, flavor, client):
    server = boot_without_network(cli, flavor)
    name, uuid = server["name"], server["id"]

    def status():
        return sdk.compute.get_server(uuid).status

    if client == "sdk":
        assert_that([s.id for s in sdk.compute.servers(name=name)], equal_to([uuid]))
        shown = sdk.compute.get_server(uuid)
        assert_that((shown.status, shown.addresses), equal_to(("ACTIVE", {})))
        sdk.compute.stop_server(uuid)
        wait_until(lambda: status() == "SHUTOFF", 60, f"{name} SHUTOFF")
        sdk.compute.start_server(uuid)
        wait_until(lambda: status() == "ACTIVE", 60, f"{name} ACTIVE")
        sdk.compute.delete_server(uuid)
        sdk.compute.wait_for_delete(shown, wait=60)
    else:
        version = CLI_VERSIONS[client]
        assert_that([s["ID"] for s in cli("server", "list", "--name", name, version=version)],
                    equal_to([uuid]))
        shown = cli("server", "show", uuid, version=version)
        assert_that((shown["status"], shown["addresses"]), equal_to(("ACTIVE", {})))
        cli("server", "stop", uuid, version=version, output=False)
        wait_until(lambda: status() == "SHUTOFF", 60, f"{name} SHUTOFF")
        cli("server", "start", uuid, version=version, output=False)
        wait_until(lambda: status() == "ACTIVE", 60, f"{name} ACTIVE")
        cli("server", "delete", "--wait", uuid, version=version, output=False)
    # Both clients' waits end on status DELETED too, which nova-compute saves a
    # moment before it destroys the record (ComputeManager._delete_instance):
    # an admin's GET can still find it then (seen once in CI). Gone within 60 s.
    wait_until(lambda: sdk.compute.find_server(uuid) is None, 60, f"{name} gone")


@pytest.mark.parametrize("client", [*CLI_VERSIONS, "sdk"])
def test_flavors_hypervisors_and_compute_services(cli, sdk, flavor, client):
    if client == "sdk":
        flavors = [f.name for f in sdk.compute.flavors()]
        assert_that(sdk.compute.find_flavor(flavor).vcpus, equal_to(1))
        hypervisors = [h.name for h in sdk.compute.hypervisors()]
        services = [(s.binary, s.host, s.state) for s in sdk.compute.services()]
    else:
        version = CLI_VERSIONS[client]
        flavors = [f["Name"] for f in cli("flavor", "list", version=version)]
        assert_that(cli("flavor", "show", flavor, version=version)["vcpus"], equal_to(1))
        hypervisors = [h["Hypervisor Hostname"] for h in cli("hypervisor", "list", version=version)]
        services = [(s["Binary"], s["Host"], s["State"])
                    for s in cli("compute", "service", "list", version=version)]
    assert_that(flavors, has_item(flavor))
    assert_that(hypervisors, has_items("compute1", "compute2"))
    assert_that(services, has_items(("nova-compute", "compute1", "up"), ("nova-compute", "compute2", "up")))
    assert_that([(binary, state) for binary, _, state in services],
                has_items(("nova-conductor", "up"), ("nova-scheduler", "up")))


# Namespaces and resource types of the metadata definitions glance ships
# (the glance wheel's etc/glance/metadefs, loaded at set-up).
METADEF_NAMESPACES = ("OS::Compute::Hypervisor", "OS::Compute::Watchdog", "OS::Compute::GuestShutdownBehavior")
METADEF_RESOURCE_TYPES = ("OS::Glance::Image", "OS::Nova::Flavor", "OS::Nova::Server")


@pytest.mark.parametrize("client", ["cli", "sdk"])
def test_images_and_their_metadata_definitions(cli, sdk, client):
    if client == "sdk":
        image = sdk.image.find_image(IMAGE, ignore_missing=False)
        assert_that((image.status, [i.name for i in sdk.image.images()]), equal_to(("active", [IMAGE])))
        namespaces = [n.namespace for n in sdk.image.metadef_namespaces()]
        resource_types = [r.name for r in sdk.image.metadef_resource_types()]
        properties = [p.name for p in sdk.image.metadef_properties("OS::Compute::Hypervisor")]
    else:
        assert_that([i["Name"] for i in cli("image", "list")], equal_to([IMAGE]))
        assert_that(cli("image", "show", IMAGE)["status"], equal_to("active"))
        namespaces = [n["namespace"] for n in cli("image", "metadef", "namespace", "list")]
        resource_types = [r["Name"] for r in cli("image", "metadef", "resource", "type", "list")]
        properties = [p["name"] for p in cli("image", "metadef", "property", "list",
                                              "OS::Compute::Hypervisor")]
    assert_that(namespaces, has_items(*METADEF_NAMESPACES))
    assert_that(resource_types, has_items(*METADEF_RESOURCE_TYPES))
    assert_that(properties, has_items("hypervisor_type", "vm_mode"))


@pytest.mark.parametrize("client", ["cli", "sdk"])
def test_resource_providers_and_their_usages(cli, sdk, flavor, client):
    server = boot_without_network(cli, flavor)
    project = sdk.current_project_id
    try:
        if client == "sdk":
            providers = {p.name: p.id for p in sdk.placement.resource_providers()}
            usages = {name: sdk.placement.get(f"/resource_providers/{uuid}/usages").json()["usages"]
                      for name, uuid in providers.items()}
            project_usage = sdk.placement.get(f"/usages?project_id={project}",
                                              microversion="1.9").json()["usages"]
        else:
            providers = {p["name"]: p["uuid"] for p in cli("resource", "provider", "list")}
            usages = {name: {u["resource_class"]: u["usage"]
                             for u in cli("resource", "provider", "usage", "show", uuid)}
                      for name, uuid in providers.items()}
            project_usage = {u["resource_class"]: u["usage"] for u in cli(
                "--os-placement-api-version", "1.9", "resource", "usage", "show", project)}
        assert_that(list(providers), has_items("compute1", "compute2"))
        host = sdk.compute.get_server(server["id"]).compute_host
        assert_that(usages[host]["VCPU"], is_not(equal_to(0)))  # the server's VCPU is held there
        assert_that(project_usage["VCPU"], is_not(equal_to(0)))
    finally:
        sdk.compute.delete_server(server["id"])
        sdk.compute.wait_for_delete(sdk.compute.get_server(server["id"]), wait=60)


def test_a_question_the_standin_does_not_know_is_a_404_naming_it_and_a_line_in_status(
        embedded_cloud, standin_watch):
    standin_watch.expect("GET", "/v2.0/routers")  # the watch must see it, and lets it pass
    port = embedded_cloud.state.ports["neutron-standin"]
    answer = requests.get(f"http://127.0.0.1:{port}/v2.0/routers?name=r1", timeout=10)
    assert_that(answer.status_code, equal_to(404))
    assert_that(answer.json()["NeutronError"]["message"], contains_string("GET /v2.0/routers"))
    status = embedded_cloud_cli(embedded_cloud.layout.root, "status").stdout
    assert_that(status, contains_string("GET /v2.0/routers?name=r1"))
    assert_that(status, contains_string("unanswered request"))
