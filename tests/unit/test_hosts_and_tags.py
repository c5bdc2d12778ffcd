from types import SimpleNamespace

from acceptance.cloud import fault_control as faults
from acceptance.cloud.hosts import Hosts, choose_hosts
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


def suite(fault_control, hosts=Hosts("c1", "c2"), why_not_admin=None):
    return SimpleNamespace(fault_control=fault_control, hosts=hosts, why_not_admin=why_not_admin)


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
