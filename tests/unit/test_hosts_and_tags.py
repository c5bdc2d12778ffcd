from types import SimpleNamespace

from acceptance.cloud import fault_control as faults
from acceptance.cloud.hosts import Hosts, choose_hosts
from acceptance.microversions import Offered
from acceptance.settings import resolve
from acceptance.tags import unmet


def service(host, status="enabled", state="up", forced_down=False):
    return SimpleNamespace(host=host, status=status, state=state, is_forced_down=forced_down)


class Compute:
    def __init__(self, *services, held=None):
        self._services = services
        self.held = held or {}

    def compute_services(self):
        return list(self._services)

    def servers_per_host(self):
        return dict(self.held)


def test_the_first_two_healthy_hosts_by_name_are_target_and_other():
    compute = Compute(service("c3"), service("c1", status="disabled"), service("c2"), service("c4", state="down"))
    assert choose_hosts(resolve({}, {}), compute) == Hosts("c2", "c3")


def test_the_target_is_the_healthy_host_holding_the_fewest_servers():
    compute = Compute(service("c1"), service("c2"), service("c3"), service("c4", status="disabled"),
                      held={"c1": 3, "c2": 1, "c3": 2})
    assert choose_hosts(resolve({}, {}), compute) == Hosts("c2", "c3")
    # -D target_host still wins, even over an emptier host.
    assert choose_hosts(resolve({"target_host": "c1"}, {}), compute) == Hosts("c1", "c2")


def test_named_hosts_win_and_unknown_names_say_which_hosts_exist():
    compute = Compute(service("c1"), service("c2"))
    assert choose_hosts(resolve({"target_host": "c2"}, {}), compute) == Hosts("c2", "c1")
    hosts = choose_hosts(resolve({"target_host": "cx"}, {}), compute)
    assert hosts.target is None
    assert hosts.why_no_target == "-D target_host=cx is not a compute host; hosts: c1, c2"


def test_one_healthy_host_means_no_other_host_and_says_why():
    hosts = choose_hosts(resolve({}, {}), Compute(service("c1"), service("c2", forced_down=True)))
    assert (hosts.target, hosts.other) == ("c1", None)
    assert hosts.why_no_other == "no second compute host is enabled, up and not forced down (hosts: c1, c2)"


def suite(fault_control, hosts=Hosts("c1", "c2"), why_not_admin=None, offered=Offered("2.104")):
    return SimpleNamespace(fault_control=fault_control, hosts=hosts, why_not_admin=why_not_admin,
                           microversions=offered)


def test_tags_without_needs_are_fine():
    assert unmet(suite(faults.NoFaultControl("off")), ["wip", "placement"]) is None


def test_the_first_unmet_need_is_named_with_its_tag():
    commands = faults.CommandFaultControl(stop="stop {host}", start="start {host}")
    assert unmet(suite(commands), ["admin", "fault-control"]) is None
    assert unmet(suite(commands), ["fault-control", "kill"]).startswith("@kill: fault_control=command has no kill")
    assert unmet(suite(commands), ["placement-path"]).startswith("@placement-path: cutting nova-api's path")
    assert unmet(suite(commands, Hosts("c1", None, None, "only one")), ["two-computes"]) == "@two-computes: only one"
    assert unmet(suite(commands, why_not_admin="needs admin"), ["admin"]) == "@admin: needs admin"
    assert unmet(suite(faults.NoFaultControl("off")), ["fault-control"]) == "@fault-control: off"


def test_the_reason_does_not_depend_on_the_order_of_the_tags():
    """behave's effective tags are a set: the broadest need is named first."""
    off = suite(faults.NoFaultControl("off"))
    for tags in (["placement-path", "fault-control", "kill"], ["kill", "fault-control", "placement-path"]):
        assert unmet(off, tags) == "@fault-control: off"


# -- microversions, Tempest's min_microversion ----------------------------------
COMMANDS = faults.CommandFaultControl(stop="stop {host}", start="start {host}")


def test_a_scenario_needing_more_than_the_cloud_offers_is_skipped_saying_both_versions():
    older = suite(COMMANDS, offered=Offered("2.93"))
    assert unmet(older, ["admin", "fault-control", "evacuate"]) == (
        "@evacuate: needs compute microversion 2.95 (evacuate keeps the server stopped); "
        "this cloud offers 2.93")
    assert unmet(older, ["unshelve-to-host"]) is None  # 2.91 <= 2.93
    assert unmet(suite(COMMANDS, offered=Offered("2.90")), ["unshelve-to-host"]) == (
        "@unshelve-to-host: needs compute microversion 2.91 (unshelve onto a named host); "
        "this cloud offers 2.90")


def test_microversions_compare_as_numbers_not_text():
    """2.100 (nova 2025.1) is above 2.95, though "2.100" < "2.95" as text."""
    assert unmet(suite(COMMANDS, offered=Offered("2.100")), ["evacuate", "unshelve-to-host"]) is None
    assert unmet(suite(COMMANDS, offered=Offered("2.95")), ["evacuate"]) is None


def test_a_cap_below_the_cloud_says_where_it_comes_from():
    capped = suite(COMMANDS, offered=Offered("2.104", cap="2.90"))
    assert unmet(capped, ["evacuate"]) == (
        "@evacuate: needs compute microversion 2.95 (evacuate keeps the server stopped); "
        "this run offers 2.90 (-D compute_max_microversion=2.90; the cloud offers 2.104)")
    # A cap above the cloud's maximum changes nothing: the cloud's is the limit.
    assert Offered("2.93", cap="2.99").why_not("2.95", "x") == (
        "needs compute microversion 2.95 (x); this cloud offers 2.93")


def test_a_need_that_cannot_be_met_by_configuration_is_named_after_the_ones_that_can():
    """Tag order decides: fault control is named before a microversion."""
    off = suite(faults.NoFaultControl("off"), offered=Offered("2.90"))
    assert unmet(off, ["evacuate", "fault-control"]) == "@fault-control: off"
