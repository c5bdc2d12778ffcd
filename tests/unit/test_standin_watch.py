"""The cloud tests' check on the Neutron stand-in's record (tests/standin_watch.py), and
what `embedded-cloud status` prints of it."""
from __future__ import annotations

from hamcrest import assert_that, contains_string, empty, equal_to

from embedded_cloud.cli import _print_unanswered
from embedded_cloud.layout import Layout
from embedded_cloud.wsgi.neutron_standin import record

from tests.standin_watch import StandinWatch


def asked(run_dir, method: str, path: str) -> None:
    run_dir.mkdir(parents=True, exist_ok=True)
    record(Layout(run_dir).standin_record, method, path)


def test_only_what_was_recorded_during_the_watch_counts(tmp_path):
    cloud = tmp_path / "cloud"
    asked(cloud, "GET", "/v2.0/before")
    watch = StandinWatch([cloud])
    assert_that(watch.problems(), empty())
    asked(cloud, "GET", "/v2.0/routers?name=r")
    assert_that(watch.problems(), equal_to([
        f"unanswered: GET /v2.0/routers?name=r (in {Layout(cloud).standin_record})"]))


def test_a_cloud_made_during_the_watch_or_made_anew_counts_whole(tmp_path):
    watched, made = tmp_path / "watched", tmp_path / "made"
    asked(watched, "GET", "/v2.0/old1")
    asked(watched, "GET", "/v2.0/old2")
    watch = StandinWatch([watched])
    Layout(watched).standin_record.unlink()  # the cloud's run directory made again
    asked(watched, "PUT", "/v2.0/new")
    asked(made, "POST", "/v2.0/ports")
    assert_that(watch.problems([made]), equal_to([
        f"unanswered: POST /v2.0/ports (in {Layout(made).standin_record})",
        f"unanswered: PUT /v2.0/new (in {Layout(watched).standin_record})"]))


def test_an_expected_request_must_be_recorded_and_is_not_a_problem(tmp_path):
    cloud = tmp_path / "cloud"
    watch = StandinWatch([cloud])
    watch.expect("GET", "/v2.0/routers")
    assert_that(watch.problems(), equal_to(["expected but not recorded: GET /v2.0/routers"]))
    asked(cloud, "GET", "/v2.0/routers?name=r")
    assert_that(watch.problems(), empty())


def test_status_prints_the_count_and_the_last_five(tmp_path, capsys):
    cloud = tmp_path / "cloud"
    _print_unanswered(Layout(cloud).standin_record)
    assert_that(capsys.readouterr().out, equal_to("neutron-standin: 0 unanswered requests\n"))
    for number in range(7):
        asked(cloud, "GET", f"/v2.0/q{number}")
    _print_unanswered(Layout(cloud).standin_record)
    out = capsys.readouterr().out.splitlines()
    assert_that(out[0], contains_string("neutron-standin: 7 unanswered requests ("))
    assert_that([line.split()[-1] for line in out[1:]], equal_to([f"/v2.0/q{n}" for n in range(2, 7)]))
