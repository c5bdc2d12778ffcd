"""Steps about compute services: taking nova-compute down, forcing its
service down, disabling it, and bringing it back."""

from behave import given, step, then, when
from hamcrest import assert_that

from acceptance.checks.matchers import has_service_state
from acceptance.cloud.waiters import wait_for_service_state
from acceptance.scenario.step_support import host_of_role, names_the_request, sample_usages
from acceptance.scenario.step_types import TARGET


@given("a target host the suite may take down")
@given("a target host the suite may disable")
def step_target_host(context):
    """Picks the host the scenario takes down or disables (-D target_host, else the emptiest) and checks no foreign server is on it."""
    suite = context.suite
    host = host_of_role(context, TARGET)
    assert_that(
        suite.compute.compute_service(host),
        has_service_state(status="enabled", state="up", forced_down=False),
        f"the target host {host} must start enabled, up and not forced down",
    )
    # Checked once by preflight, and again here: a server may have landed since.
    context.safety.check_host_is_ours(suite.conn, host)


@when("nova-compute on the {role:HostRole} is {fault:Outage} and its service is forced down")
def step_take_down(context, role, fault):
    """Stops, kills or freezes nova-compute on the host (a fault of acceptance/faults.py: stopped, killed (kill -9), frozen (SIGSTOP)), waits for its heartbeats to stop, then forces its service down."""
    host = host_of_role(context, role)
    services = context.suite.services
    context.world.timeline.mark(f"{host} {fault.name}, force down")
    services.take_down(host, fault)
    services.force_down(host)
    sample_usages(context, f"{host} {fault.done}, forced down")


@when("nova-compute on the {role:HostRole} is started again")
def step_start(context, role):
    """Starts nova-compute on the host again (a frozen one is thawed first) and waits for its first heartbeat (its start-up heal runs before it)."""
    host = host_of_role(context, role)
    context.world.timeline.mark(f"{host} start")
    context.suite.services.start(host)  # returns once its first heartbeat is seen
    # Read at once: nova heals at start-up, before that heartbeat, so the
    # "by its first heartbeat" check needs this read and no later one.
    context.world.usages_at_first_heartbeat[host] = sample_usages(context, f"{host} started")[host]


@when("the compute service of the {role:HostRole} is no longer forced down")
def step_unforce(context, role):
    """Clears forced_down on the host's compute service."""
    host = host_of_role(context, role)
    context.world.timeline.mark(f"{host} unforce")
    context.suite.services.unforce(host)
    sample_usages(context, f"{host} not forced down")


@step('the compute service of the {role:HostRole} is disabled with the reason "{reason}"')
def step_disable(context, role, reason):
    """Disables the host's compute service with the given reason (marked with the run's prefix)."""
    host = host_of_role(context, role)
    context.suite.services.disable(host, reason)


def wait_for_state(context, role, **state):
    wait_for_service_state(
        context.suite.compute,
        host_of_role(context, role),
        context.suite.settings.timeouts.service_state,
        **state,
    )


@then("the compute service of the {role:HostRole} is down")
@names_the_request
def step_is_down(context, role):
    """The host's compute service reports state down."""
    wait_for_state(context, role, state="down")


@then("the compute service of the {role:HostRole} is up and disabled")
@names_the_request
def step_up_and_disabled(context, role):
    """The host's compute service reports up and disabled."""
    wait_for_state(context, role, state="up", status="disabled")


@then("the compute service of the {role:HostRole} is up, enabled and not forced down")
@names_the_request
def step_healthy(context, role):
    """The host's compute service is up, enabled and not forced down."""
    wait_for_state(context, role, state="up", status="enabled", forced_down=False)


@then('the compute service of the {role:HostRole} is still disabled with the reason "{reason}"')
@names_the_request
def step_still_disabled(context, role, reason):
    """The host's compute service is still disabled, with the given reason."""
    host = host_of_role(context, role)
    assert_that(
        context.suite.compute.compute_service(host),
        # The reason as the suite sent it: marked with the run prefix.
        has_service_state(status="disabled", disabled_reason=context.suite.services.reason_sent(reason)),
        f"the compute service of {host}",
    )


@when("nova-api's path to Placement is cut")
def step_cut_placement_path(context):
    """Cuts nova-api's path to Placement (the computes keep theirs)."""
    context.world.timeline.mark("cut path")
    context.suite.services.cut_placement_path()


@when("nova-api's path to Placement is restored")
def step_restore_placement_path(context):
    """Restores nova-api's path to Placement."""
    context.world.timeline.mark("restore path")
    context.suite.services.restore_placement_path()
