"""Steps about servers: booting, deleting, and who deleted them."""

from behave import given, then, when
from hamcrest import assert_that, contains_string, equal_to
from openstack import exceptions

from acceptance.checks.placement_cut import delete_refused_while_cut
from acceptance.checks.who_deleted import DeleteEvidence, shows_compute_delete, shows_local_delete
from acceptance.cloud.waiters import wait_for_server_status
from acceptance.scenario import leftover_guests
from acceptance.scenario.step_support import host_of_role, names_the_request, note, sample_usages
from acceptance.scenario.world import BootedServer


def boot(context, label, host=None):
    suite, world = context.suite, context.world
    flavor = world.flavor or suite.flavors.default()
    server = suite.creations.boot_server(label, flavor=flavor, image_id=suite.image_id, host=host)
    world.servers[label] = BootedServer(label, server.id, server.name, flavor)
    return world.servers[label]


def settled(context, label):
    """The server once it is ACTIVE or ERROR (a failed boot is not waited on)."""
    booted = context.world.server(label)
    server = wait_for_server_status(
        context.suite.compute, booted.id, ("ACTIVE", "ERROR"), context.suite.settings.timeouts.server_active
    )
    booted.host = server.compute_host
    return server


def assert_active(server, label):
    fault = (server.fault or {}).get("message")
    assert_that(
        server.status, equal_to("ACTIVE"), f'server "{label}" did not boot' + (f": {fault}" if fault else "")
    )


@when('the server "{label}" is booted with that flavor')
def step_boot(context, label):
    """Boots a server (no networks) with the scenario's flavor, wherever the scheduler puts it."""
    boot(context, label)


@when('the server "{label}" is booted on the {role:HostRole}')
def step_boot_on_host(context, label, role):
    """Boots a server (no networks) onto the named host (admin, microversion 2.74)."""
    boot(context, label, host=host_of_role(context, role))


@then('the server "{label}" becomes ACTIVE')
@names_the_request
def step_becomes_active(context, label):
    """The server becomes ACTIVE (a fault message is shown if it does not)."""
    assert_active(settled(context, label), label)
    sample_usages(context, f'"{label}" active')


@given('the server "{label}" is ACTIVE on the {role:HostRole}')
def step_active_on_host(context, label, role):
    """Boots a server onto the named host and waits until it is ACTIVE there."""
    host = host_of_role(context, role)
    boot(context, label, host=host)
    server = settled(context, label)
    assert_active(server, label)
    assert_that(server.compute_host, equal_to(host), f'server "{label}" landed on the wrong host')
    sample_usages(context, f'"{label}" active')


@when('the server "{label}" is deleted')
def step_delete(context, label):
    """Deletes the server; notes that its guest may still run if its host is down."""
    booted = context.world.server(label)
    note_if_local_delete(context, booted)
    try:
        context.suite.creations.delete_server(booted.id)
    except exceptions.HttpException as error:
        if (error.status_code or 0) < 500 or not context.suite.services.placement_path_cut:
            raise
        server = context.suite.compute.server_or_none(booted.id)
        left = server and f"status {server.status}, task state {server.task_state}"
        raise AssertionError(delete_refused_while_cut(label, error.status_code, error.request_id, left)) from None
    sample_usages(context, f'"{label}" deleted')


def note_if_local_delete(context, booted):
    """A delete while the host is down leaves the guest running on a real
    hypervisor: the scenario and the run's summary say where."""
    suite = context.suite
    server = suite.compute.server_or_none(booted.id)  # where it is now: an evacuation moves it
    host = getattr(server, "compute_host", None)
    if host is None or not leftover_guests.host_is_down(suite.compute.compute_service(host)):
        return
    # By id too: each scenario's "doomed" has the same name, and a hypervisor knows the uuid.
    named = f"{booted.name} {booted.id}"
    suite.local_deletes.setdefault(host, []).append(named)
    note(context, leftover_guests.note(host, named, embedded=suite.settings.uses_embedded_cloud))


@then('the server "{label}" is gone')
@names_the_request
def step_gone(context, label):
    """The server is gone (404), within timeout.server_deleted; a SOFT_DELETED one fails at once."""
    context.suite.creations.wait_until_server_gone(context.world.server(label).id)


def check_who_deleted(context, label, matcher, should_have_been: str) -> None:
    evidence = DeleteEvidence.from_actions(context.suite.compute.action_events(context.world.server(label).id))
    proven = evidence.who_deleted()
    assert_that(evidence, matcher, f'the delete of server "{label}" should have been {should_have_been}'
                + (f", but {proven}" if proven else ""))


@then('nova-api deleted the server "{label}" itself, without the compute host')
@names_the_request
def step_local_delete(context, label):
    """The delete was nova-api's local one: its instance action has no compute_terminate_instance event."""
    check_who_deleted(context, label, shows_local_delete(), "a local delete by nova-api")


@then('the compute host deleted the server "{label}", not nova-api alone')
@names_the_request
def step_compute_delete(context, label):
    """The delete was done by nova-compute: its instance action has the compute_terminate_instance event."""
    check_who_deleted(context, label, shows_compute_delete(), "done by nova-compute")


@then('the server "{label}" goes to ERROR because no valid host was found')
@names_the_request
def step_no_valid_host(context, label):
    """The server goes to ERROR with a NoValidHost fault."""
    server = settled(context, label)
    assert_that(server.status, equal_to("ERROR"), f'server "{label}" should have been refused')
    fault = (server.fault or {}).get("message", "")
    assert_that(fault, contains_string("No valid host was found"), f'the fault of server "{label}"')


@then('the server "{label}" is still ACTIVE on the {role:HostRole}')
@names_the_request
def step_still_active(context, label, role):
    """The server is still ACTIVE on the named host."""
    server = context.suite.compute.compute.get_server(context.world.server(label).id)
    assert_that(
        {"status": server.status, "host": server.compute_host},
        equal_to({"status": "ACTIVE", "host": host_of_role(context, role)}),
        f'server "{label}"',
    )
