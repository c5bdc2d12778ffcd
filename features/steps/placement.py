"""Steps about Placement: baselines, usages and allocations.

"at once" checks the cloud now (a local delete frees before its DELETE
returns). Without it, a check after an ordinary delete reads once and then
polls only up to timeout.delete_frees (nova-compute frees a moment after the
404); when it had to wait, the step says that a periodic clean-up could
have freed what it saw. "by its first heartbeat" checks the one read taken
when a restarted nova-compute first reported (nova heals at start-up).
Every usages check attaches the usages sampled so far to the report.
"""

from behave import given, then
from hamcrest import assert_that, has_entries

from acceptance.cloud.waiters import CLOUD_POLL
from acceptance.checks.eventually import eventually
from acceptance.cloud.flavors import resources_of
from acceptance.checks.matchers import allocates_exactly, has_no_allocations, has_usages, usages_raised_by
from acceptance.scenario.step_support import (
    attach_usages,
    bounded_by_delete,
    host_of_role,
    names_the_request,
    provider_names,
    record_baseline,
    sample_usages,
    usages_of_host,
)


@given("the Placement usages of every compute host are recorded as the baseline")
def step_baseline(context):
    """Records every compute host's Placement usages (and consumers) as the scenario's baseline."""
    world = context.world
    world.baseline = record_baseline(context)
    world.timeline.record("baseline" if not world.timeline.samples else "new baseline", world.baseline)
    world.baseline_sample = len(world.timeline.samples) - 1


# ----------------------------------------------------------- allocations
def check_holds_flavor(context, label, host):
    booted = context.world.server(label)
    provider = context.suite.placement.provider_of(host)
    assert_that(
        context.suite.placement.allocations_of(booted.id),
        allocates_exactly(resources_of(booted.flavor), provider.uuid, names=provider_names(context)),
        f'allocations of server "{label}"',
    )


@then('the server "{label}" holds exactly its flavor on the provider of its host')
@names_the_request
def step_holds_flavor_on_its_host(context, label):
    """The server's allocations are exactly its flavor, on the provider of the host it runs on."""
    check_holds_flavor(context, label, context.world.server(label).host)


@then('the server "{label}" holds exactly its flavor on the provider of the {role:HostRole}')
@then('the server "{label}" still holds exactly its flavor on the provider of the {role:HostRole}')
@names_the_request
def step_holds_flavor_on_host(context, label, role):
    """The server's allocations are exactly its flavor, on the provider of the named host."""
    check_holds_flavor(context, label, host_of_role(context, role))


def allocations_probe(context, label):
    server_id = context.world.server(label).id
    return lambda: context.suite.placement.allocations_of(server_id)


@then('at once, the server "{label}" holds no allocations')
@names_the_request
def step_no_allocations_now(context, label):
    """The server holds no allocations, read once right after the step before (no waiting)."""
    assert_that(
        allocations_probe(context, label)(),
        has_no_allocations(provider_names(context)),
        f'allocations of server "{label}"',
    )


@then('the server "{label}" holds no allocations')
@names_the_request
def step_no_allocations(context, label):
    """The server holds no allocations, within timeout.delete_frees."""
    what = f'allocations of server "{label}"'
    probe = bounded_by_delete(context, allocations_probe(context, label), what)
    assert_that(
        probe,
        eventually(
            has_no_allocations(provider_names(context)),
            within=context.suite.settings.timeouts.delete_frees,
            policy=CLOUD_POLL,
        ),
        what,
    )


# ---------------------------------------------------------------- usages
def check_usages(context, host, matcher, *, within=0.0, what):
    """Usages of ``host`` match now (within=0) or within ``within`` seconds;
    the usages sampled so far are attached either way."""
    try:
        # Named before the samples below replace the call that showed the usages.
        with context.suite.requests.names_last_call():
            if within:
                assert_that(
                    bounded_by_delete(context, lambda: usages_of_host(context, host), what),
                    eventually(matcher, within=within, policy=CLOUD_POLL),
                    what,
                )
            else:
                assert_that(usages_of_host(context, host), matcher, what)
    finally:
        sample_usages(context, "checked")
        attach_usages(context, what)


def baseline_of(context, host):
    return context.world.baseline[host]


@then('the usages of the server "{label}"\'s host rose by exactly its flavor')
@names_the_request
def step_host_usages_rose(context, label):
    """The usages of the server's host rose from the baseline by exactly its flavor."""
    booted = context.world.server(label)
    check_usages(
        context,
        booted.host,
        usages_raised_by(baseline_of(context, booted.host), resources_of(booted.flavor)),
        what=f"usages of {booted.host}, the host of server \"{label}\"",
    )


@then('the usages of the {role:HostRole} are still raised by the flavor of the server "{label}"')
@names_the_request
def step_usages_still_raised(context, role, label):
    """The host's usages are still the baseline plus the server's flavor."""
    host = host_of_role(context, role)
    check_usages(
        context,
        host,
        usages_raised_by(baseline_of(context, host), resources_of(context.world.server(label).flavor)),
        what=f"usages of the {role} host {host}",
    )


@then("the usages of every other compute host are at the baseline")
@names_the_request
def step_other_hosts_at_baseline(context):
    """Every compute host the scenario did not name is at its baseline usages."""
    busy = {booted.host for booted in context.world.servers.values()}
    others = {host: usages for host, usages in context.world.baseline.items() if host not in busy}
    try:
        with context.suite.requests.names_last_call():
            assert_that(
                {host: usages_of_host(context, host) for host in others},
                has_entries({host: has_usages(usages) for host, usages in others.items()}),
                "usages of the compute hosts the scenario's servers are not on",
            )
    finally:
        sample_usages(context, "checked")
        attach_usages(context, "usages of every compute host")


@then("at once, the usages of the {role:HostRole} are back to the baseline")
@then("the usages of the {role:HostRole} are at the baseline")
@names_the_request
def step_usages_at_baseline_now(context, role):
    """The host's usages equal the baseline, read once (no waiting)."""
    host = host_of_role(context, role)
    check_usages(context, host, has_usages(baseline_of(context, host)), what=f"usages of the {role} host {host}")


@then("the usages of the {role:HostRole} are back to the baseline")
@names_the_request
def step_usages_back_to_baseline(context, role):
    """The host's usages return to the baseline, within timeout.delete_frees."""
    host = host_of_role(context, role)
    check_usages(
        context,
        host,
        has_usages(baseline_of(context, host)),
        within=context.suite.settings.timeouts.delete_frees,
        what=f"usages of the {role} host {host}",
    )


@then("by its first heartbeat, the usages of the {role:HostRole} are back to the baseline")
def step_usages_healed_at_start(context, role):
    """The host's usages were back to the baseline when its restarted nova-compute first reported up."""
    host = host_of_role(context, role)
    read = context.world.usages_at_first_heartbeat.get(host)
    if read is None:
        raise AssertionError(f"nova-compute on the {role} host {host} was not started again in this scenario")
    try:
        baseline = baseline_of(context, host)
        above = any(read.get(rc, 0) > used for rc, used in baseline.items())
        assert_that(
            read,
            has_usages(baseline),
            f"usages of the {role} host {host} read when its restarted nova-compute first reported up "
            "(nova frees at start-up, before that heartbeat)"
            + (": the allocations were still there when the compute reported up" if above else ""),
        )
    finally:
        attach_usages(context, f"usages of the {role} host {host}")


@then("the usages of the {role:HostRole} stayed at the baseline at every step")
def step_usages_stayed(context, role):
    """The host's usages sampled at every step of the scenario all equal the baseline."""
    host = host_of_role(context, role)
    world = context.world
    since_baseline = world.timeline.samples[world.baseline_sample:]
    try:
        assert_that(
            {label: by_host[host] for label, by_host in since_baseline},
            has_entries({label: has_usages(baseline_of(context, host)) for label, _ in since_baseline}),
            f"usages of the {role} host {host} at each step since the baseline",
        )
    finally:
        attach_usages(context, f"usages of the {role} host {host} at each step")
