"""A throwaway behave project that exercises every report feature.

Written into a pytest tmp_path at test time; it needs no cloud.
"""

from pathlib import Path

FEATURE = '''\
@placement
Feature: Deleting a server while its compute host is down
  Nova must hand back to Placement everything the server held,
  even when nova-compute — the service on the host — cannot be reached.

  Background:
    Given a cloud with 2 compute hosts

  Scenario: Allocations are released after a local delete
    When I delete the server while compute1 is down
    Then the usages are back to the baseline

  @bug
  Scenario: Allocations leak on compute1
    When I delete the server while compute1 is down
    Then compute1 still uses 2 VCPU

  Scenario Outline: Flavor <flavor> gives back its VCPUs
    Given a server of flavor "<flavor>"
    Then it used <vcpus> VCPU

    Examples: flavors
      | flavor   | vcpus |
      | m1.tiny  | 1     |
      | m1.small | 1     |

  @needs_ironic
  Scenario: Bare metal allocations are released
    Given a bare metal node
    Then nothing is leaked

  Scenario: The cloud API breaks
    When the compute API explodes

  Scenario: Tables, docstrings and <b>markup</b> are shown verbatim
    Given these hosts:
      | host     | state         |
      | compute1 | <down> & out  |
    And this note:
      """
      a <script>alert("x")</script> & note
      """
'''

STEPS = '''\
import json

from behave import given, when, then
from hamcrest import assert_that, equal_to

USAGES = {
    "title": "Placement usages",
    "columns": ["before", "during", "after"],
    "rows": {"compute1 VCPU": [0, 1, 0], "compute1 MEMORY_MB": [0, 512, 512]},
}


@given("a cloud with {count:d} compute hosts")
def step_cloud(context, count):
    context.hosts = count


@when("I delete the server while compute1 is down")
def step_delete(context):
    context.attach("text/plain", b"DELETE /servers/abc -> 204")


@then("the usages are back to the baseline")
def step_usages(context):
    context.usages = USAGES  # the hook charts them, as the suite's timeline
    context.attach("application/vnd.placement-usages+json",
                   json.dumps(USAGES).encode("utf-8"))
    context.attach("image/png", b"\\x89PNG" + b"0" * 96)


@then("compute1 still uses 2 VCPU")
def step_leak(context):
    assert_that(1, equal_to(2))


@given('a server of flavor "{flavor}"')
def step_flavor(context, flavor):
    context.flavor = flavor


@then("it used {vcpus:d} VCPU")
def step_used(context, vcpus):
    assert_that(vcpus, equal_to(1))


@given("a bare metal node")
def step_bare_metal(context):
    raise RuntimeError("must not run: the scenario is skipped")


@then("nothing is leaked")
def step_nothing(context):
    pass


@when("the compute API explodes")
def step_explodes(context):
    raise RuntimeError("connection refused by nova-api")


@given("these hosts:")
def step_hosts(context):
    pass


@given("this note:")
def step_note(context):
    pass
'''

ENVIRONMENT = '''\
import json

SKIP_REASON = "Ironic is not deployed in this cloud"


def before_scenario(context, scenario):
    if "needs_ironic" in scenario.effective_tags:
        scenario.skip(SKIP_REASON)


def after_scenario(context, scenario):
    # What the real suite's hook does with its request recorder.
    scenario.request_counts = [
        {"method": "GET", "service": "placement", "status": 200, "count": 7},
        {"method": "DELETE", "service": "compute", "status": 204, "count": 1},
    ]
    # What the real suite's hook attaches: the scenario's usages with its
    # fault steps (here: compute1 stopped after the first sample).
    if getattr(context, "usages", None):
        timeline = {**context.usages, "events": [{"at": 1, "label": "compute1 stop, force down"}]}
        context.attach("application/vnd.placement-usage-timeline+json", json.dumps(timeline).encode())
'''

SKIP_REASON = "Ironic is not deployed in this cloud"


def write_sample_project(root):
    """Create features/, steps and environment under ``root``; return the
    features directory."""
    features = Path(root) / "features"
    (features / "steps").mkdir(parents=True)
    (features / "local_delete.feature").write_text(FEATURE, encoding="utf-8")
    (features / "steps" / "steps.py").write_text(STEPS, encoding="utf-8")
    (features / "environment.py").write_text(ENVIRONMENT, encoding="utf-8")
    return features
