"""Steps about shelving a server (offloaded at once) and unshelving it onto a named host."""

from behave import then, when

from acceptance.cloud.waiters import wait_for_server_settled_on
from acceptance.scenario import step_types
from acceptance.scenario.step_support import host_of_role, sample_usages

step_types.register()


def settle(context, label, status, host):
    """Wait until the server is ``status`` on ``host`` (None: on no host), and record the usages."""
    booted, suite = context.world.server(label), context.suite
    wait_for_server_settled_on(suite.compute, booted.id, status, host, suite.settings.timeouts.server_active)
    sample_usages(context, f'"{label}" {status.lower()}')


@when('the server "{label}" is shelved')
def step_shelve(context, label):
    context.suite.compute.shelve(context.world.server(label).id)


@then('the server "{label}" is SHELVED_OFFLOADED, on no host')
def step_offloaded(context, label):
    # Its host is cleared only after the offload removed its allocations.
    settle(context, label, "SHELVED_OFFLOADED", None)


@when('the server "{label}" is unshelved onto the {role:HostRole}')
def step_unshelve(context, label, role):
    context.suite.compute.unshelve(context.world.server(label).id, host_of_role(context, role))


@then('the server "{label}" becomes ACTIVE on the {role:HostRole}')
def step_active_on(context, label, role):
    host = host_of_role(context, role)
    settle(context, label, "ACTIVE", host)
    context.world.server(label).host = host
