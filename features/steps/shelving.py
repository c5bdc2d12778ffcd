"""Steps about shelving and offloading a server and unshelving it onto a named host."""

from behave import then, when

from acceptance.cloud.waiters import SHELVED, wait_for_server_settled_on, wait_for_shelve_done
from acceptance.scenario.step_support import host_of_role, note, sample_usages


def settle(context, label, status, host):
    """Wait until the server is ``status`` on ``host`` (None: on no host), and record the usages."""
    booted, suite = context.world.server(label), context.suite
    wait_for_server_settled_on(suite.compute, booted.id, status, host, suite.settings.timeouts.server_active)
    sample_usages(context, f'"{label}" {status.lower()}')


@when('the server "{label}" is shelved and offloaded')
def step_shelve(context, label):
    """When the server "shelved" is shelved and offloaded

    nova offloads at once by default (``shelved_offload_time = 0``); a cloud
    that keeps shelved servers leaves it SHELVED on its host, and the suite
    offloads it itself (``shelveOffload``, admin) and says so."""
    suite, server_id = context.suite, context.world.server(label).id
    suite.compute.shelve(server_id)
    server = wait_for_shelve_done(suite.compute, server_id, suite.settings.timeouts.server_active)
    if server.status == "ERROR":
        raise AssertionError(f'server "{label}" ({server_id}) went to ERROR while being shelved')
    if server.status == SHELVED:
        note(context, kept_note(label, server.compute_host))
        suite.compute.shelve_offload(server_id)


def kept_note(label: str, host: str | None) -> str:
    return (f'note: the cloud kept the shelved server "{label}" on {host} (its nova has '
            "shelved_offload_time other than 0); the suite offloaded it itself (shelveOffload)")


@then('the server "{label}" is SHELVED_OFFLOADED, on no host')
def step_offloaded(context, label):
    # Its host is cleared only after the offload removed its allocations.
    """The server is SHELVED_OFFLOADED and on no host."""
    settle(context, label, "SHELVED_OFFLOADED", None)


@when('the server "{label}" is unshelved onto the {role:HostRole}')
def step_unshelve(context, label, role):
    """Unshelves the server onto the named host (microversion 2.91)."""
    context.suite.compute.unshelve(context.world.server(label).id, host_of_role(context, role))


@then('the server "{label}" becomes ACTIVE on the {role:HostRole}')
def step_active_on(context, label, role):
    """The unshelved server becomes ACTIVE on the named host."""
    host = host_of_role(context, role)
    settle(context, label, "ACTIVE", host)
    context.world.server(label).host = host
