"""Steps about evacuating a server off a dead host, and what its migration says."""

from behave import then, when
from hamcrest import assert_that, equal_to

from acceptance.checks.matchers import allocates_exactly_on_each
from acceptance.checks.polling import wait_for
from acceptance.cloud.flavors import resources_of
from acceptance.cloud.waiters import CLOUD_POLL, wait_for_server_settled_on
from acceptance.safety.unforce import refused_for_evacuations
from acceptance.scenario.step_support import host_of_role, provider_names, sample_usages
from acceptance.scenario.step_types import OTHER, TARGET


@when('the server "{label}" is evacuated to the {role:HostRole}')
def step_evacuate(context, label, role):
    """Evacuates the server to the named host (admin, microversion 2.95: it stays stopped)."""
    context.suite.compute.evacuate(context.world.server(label).id, host_of_role(context, role))


@then('the server "{label}" arrives SHUTOFF on the {role:HostRole}')
def step_arrives_shutoff(context, label, role):
    """The evacuated server is SHUTOFF on the named host."""
    booted, host = context.world.server(label), host_of_role(context, role)
    suite = context.suite
    wait_for_server_settled_on(suite.compute, booted.id, "SHUTOFF", host, suite.settings.timeouts.server_active)
    booted.host = host
    sample_usages(context, f'"{label}" evacuated')


def evacuation_statuses(context, label):
    return [m.status for m in context.suite.compute.evacuations(context.world.server(label).id)]


@then('the evacuation of the server "{label}" is done')
def step_evacuation_done(context, label):
    # The destination marks it done a moment after the server settles.
    """The server's evacuation migration is done (the source has not cleaned up yet)."""
    wait_for(
        lambda: evacuation_statuses(context, label),
        equal_to(["done"]),
        timeout=context.suite.settings.timeouts.server_active,
        what=f'the evacuation migration of server "{label}" to be done',
        policy=CLOUD_POLL,
    )


@then('at once, the evacuation of the server "{label}" is completed')
def step_evacuation_completed(context, label):
    """The server's evacuation migration is completed at the first read."""
    assert_that(
        evacuation_statuses(context, label),
        equal_to(["completed"]),
        f'the evacuation migrations of server "{label}" once its source host has started',
    )


@then('the server "{label}" holds exactly its flavor on each provider of the target host and the other host')
def step_holds_flavor_on_both(context, label):
    """The server holds exactly its flavor on both the target and the other host's providers."""
    booted, placement = context.world.server(label), context.suite.placement
    providers = [placement.provider_of(host_of_role(context, role)).uuid for role in (TARGET, OTHER)]
    assert_that(
        placement.allocations_of(booted.id),
        allocates_exactly_on_each(resources_of(booted.flavor), providers, names=provider_names(context)),
        f'allocations of server "{label}"',
    )


@then("un-forcing the compute service of the {role:HostRole} is refused because done evacuations remain")
def step_unforce_refused(context, role):
    """Un-forcing the host's compute service is refused (400) while done evacuations remain."""
    host = host_of_role(context, role)
    try:
        context.suite.services.unforce(host)
        outcome = "it was accepted"
    except Exception as error:  # noqa: BLE001 - any other answer is the mismatch shown
        outcome = "refused for evacuations" if refused_for_evacuations(error) else f"it failed: {error}"
    assert_that(
        outcome,
        equal_to("refused for evacuations"),
        f"un-forcing the compute service of {host} while its evacuations are done",
    )
