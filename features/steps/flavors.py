"""Steps about the flavors of the suite's servers."""

from behave import given


@given("a flavor with {vcpus:d} VCPU, {ram:d} MB of RAM and {disk:d} GB of disk")
def step_flavor_of_size(context, vcpus, ram, disk):
    context.world.flavor = context.suite.flavors.of_size(vcpus, ram, disk)


@given("a flavor for the suite's servers")
def step_default_flavor(context):
    context.world.flavor = context.suite.flavors.default()
