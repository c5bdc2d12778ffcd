"""The start order: the dependency runner on fake entries, and the cloud's own table (no cloud)."""
from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest
from hamcrest import assert_that, contains_string, equal_to, has_item, is_not

from embedded_cloud.context import Ctx
from embedded_cloud.layout import Layout
from embedded_cloud.runtime.parallel import Milestones, check_order, run_in_order
from embedded_cloud.service_table import (DATABASES, INFRASTRUCTURE, PORT_NAMES, PROCESS_ORDER,
                                          SERVICE_USERS, TABLE, endpoints)
from embedded_cloud.state import State


@dataclass(frozen=True)
class Fake:
    name: str
    after: tuple[str, ...] = ()


def started_order(entries, fail: str | None = None) -> list[str]:
    order, lock = [], threading.Lock()

    def start(entry):
        if entry.name == fail:
            raise RuntimeError(f"{entry.name} broke")
        with lock:
            order.append(entry.name)

    run_in_order(entries, start, Milestones())
    return order


def test_each_entry_starts_only_after_everything_it_waits_for():
    entries = [Fake("d", ("b", "c")), Fake("b", ("a",)), Fake("c", ("a",)), Fake("a"), Fake("e")]
    for _ in range(20):  # threads: the order between independent entries varies
        order = started_order(entries)
        assert_that(sorted(order), equal_to(["a", "b", "c", "d", "e"]))
        assert order.index("a") < order.index("b") < order.index("d")
        assert order.index("a") < order.index("c") < order.index("d")


def test_a_failure_is_raised_and_what_waits_for_it_never_starts():
    entries = [Fake("a"), Fake("b", ("a",)), Fake("c", ("b",)), Fake("free")]
    order = []
    with pytest.raises(RuntimeError, match="a broke"):
        order = started_order(entries, fail="a")
    assert_that(order, is_not(has_item("b")))
    assert_that(order, is_not(has_item("c")))


@pytest.mark.parametrize("entries, message", [
    ([Fake("a", ("ghost",))], "'a' waits for 'ghost', which is no entry"),
    ([Fake("a", ("b",)), Fake("b", ("c",)), Fake("c", ("a",))], "wait for each other: a -> b -> c -> a"),
    ([Fake("a"), Fake("a")], "two entries are named 'a'"),
])
def test_a_bad_order_is_refused_before_anything_starts(entries, message):
    started = []
    with pytest.raises(ValueError) as raised:
        run_in_order(entries, started.append, Milestones())
    assert_that(str(raised.value), contains_string(message))
    assert_that(started, equal_to([]))


def test_the_cloud_table_has_no_cycle_and_every_after_names_an_entry():
    check_order(TABLE)  # raises ValueError naming the culprit
    names = {entry.name for entry in TABLE}
    assert_that([(e.name, a) for e in TABLE for a in e.after if a not in names], equal_to([]))
    # The timeline joins the names waited for with ", " (its critical path splits them).
    assert_that([name for name in names if ", " in name], equal_to([]))


def test_status_stop_ports_users_and_databases_are_derived_from_the_table():
    assert_that(PROCESS_ORDER, equal_to((
        "epmd", "rabbitmq", "mariadb", "keystone", "neutron-standin", "placement",
        "placement-relay", "glance", "nova-zygote", "nova-conductor", "nova-scheduler", "nova-api",
        "nova-compute-compute1", "nova-compute-compute2")))
    assert_that(INFRASTRUCTURE, equal_to(("epmd", "rabbitmq", "mariadb")))
    assert_that(sorted(PORT_NAMES), equal_to(sorted((
        "epmd", "rabbitmq", "rabbitmq-dist", "keystone", "placement", "placement-relay", "glance",
        "neutron-standin", "nova-api"))))
    assert_that(SERVICE_USERS, equal_to(("placement", "glance", "nova")))
    assert_that(DATABASES, equal_to(("placement", "nova_api", "nova_cell0", "nova_cell1")))


def test_the_catalog_lists_every_endpoint_of_the_table(tmp_path):
    ports = {name: 5000 + number for number, name in enumerate(PORT_NAMES)}
    ctx = Ctx(Layout(tmp_path), State(ports=ports))
    url = lambda name: f"http://127.0.0.1:{ports[name]}"  # noqa: E731
    assert_that(endpoints(ctx), equal_to({
        "identity": ("keystone", f"{url('keystone')}/v3"),
        "compute": ("nova", f"{url('nova-api')}/v2.1"),
        "placement": ("placement", url("placement")),
        "image": ("glance", url("glance")),
        "network": ("neutron", url("neutron-standin")),
    }))
