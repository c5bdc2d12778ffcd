"""Steps about the flavors of the suite's servers."""

from behave import given


@given("a flavor with {vcpus:d} VCPU, {ram:d} MB of RAM and {disk:d} GB of disk")
def step_flavor_of_size(context, vcpus, ram, disk):
    """Creates a private flavor of that size for the scenario's servers."""
    context.world.flavor = context.suite.flavors.of_size(vcpus, ram, disk)


@given("a flavor for the suite's servers")
def step_default_flavor(context):
    """The flavor the suite's servers use: -D flavor, else a small private one the suite creates."""
    context.world.flavor = context.suite.flavors.default()
