"""The start-up timeline's critical path, on canned spans (no cloud)."""
from __future__ import annotations

from embedded_cloud.startup_timeline import Span, Timeline


def timeline(spans: list[Span], reached: dict[str, tuple[str, float]]) -> Timeline:
    t = Timeline()
    t.origin = 0.0
    t.spans = spans
    t.reached = reached
    return t


def test_the_path_jumps_from_a_milestone_wait_to_the_task_that_reached_it():
    t = timeline([
        Span("database_server", "mariadb initialised", 0.0, 2.0),
        Span("database_server", "mariadb ready", 2.0, 3.0),
        Span("identity", "keystone ready", 0.0, 5.0),
        Span("nova_services", "waits for mariadb", 0.0, 3.0),
        Span("nova_services", "nova databases and cells", 3.0, 6.0),
        Span("nova_services", "waits for broker, users", 6.0, 6.0),
        Span("nova_services", "nova services ready", 6.0, 9.0),
    ], {"mariadb": ("database_server", 3.0), "users": ("identity", 5.0)})
    assert [(s.task, s.what) for s in t.critical_path()] == [
        ("database_server", "mariadb initialised"),
        ("database_server", "mariadb ready"),
        ("nova_services", "waits for mariadb"),
        ("nova_services", "nova databases and cells"),
        ("nova_services", "waits for broker, users"),
        ("nova_services", "nova services ready"),
    ]
    assert t.critical_path_lines()[-1] == "     9.0 s    3.0 s  nova_services: nova services ready"


def test_a_long_milestone_wait_leads_to_the_slower_task():
    t = timeline([
        Span("broker", "rabbitmq ready", 0.0, 7.0),
        Span("identity", "keystone ready", 0.0, 4.0),
        Span("nova_services", "waits for broker, users", 0.0, 7.0),
        Span("nova_services", "nova-conductor ready", 7.0, 10.0),
    ], {"broker": ("broker", 7.0), "users": ("identity", 4.0)})
    assert [s.what for s in t.critical_path()] == [
        "rabbitmq ready", "waits for broker, users", "nova-conductor ready"]


def test_an_empty_timeline_has_no_path():
    assert Timeline().critical_path() == []


def test_a_wait_on_the_path_counts_only_the_time_after_what_it_waited_for():
    # Each table entry's thread begins with its wait, at the start-up's start.
    t = timeline([
        Span("keystone", "keystone initialised", 0.0, 7.0),
        Span("keystone", "keystone ready", 7.0, 9.5),
        Span("users and endpoints", "waits for keystone", 0.0, 9.6),
        Span("users and endpoints", "users and endpoints", 9.6, 10.6),
    ], {"keystone": ("keystone", 9.5)})
    took = [float(line.split()[2]) for line in t.critical_path_lines()]
    assert took == [7.0, 2.5, 0.1, 1.0]
    assert round(sum(took), 1) == 10.6
