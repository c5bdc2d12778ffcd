"""The acceptance suite, run as QA runs it (``behave`` with the project's
behave.ini), against a real embedded cloud: green, within its request
budget, and the cloud is left exactly as it was found."""

from __future__ import annotations

from acceptance.cloud.request_log import REQUEST_BUDGET_PER_SCENARIO
from tests.suite.behave_run import junit_testcases


def test_the_suite_is_green_and_leaves_the_cloud_as_it_found_it(suite_run):
    run = suite_run.behave
    assert run.returncode == 0, run.output()
    cases = junit_testcases(run.junit_dir)
    assert len(cases) >= 9, run.output()
    not_passed = [(c["name"], c["status"]) for c in cases if c["status"] != "passed"]
    assert not_passed == [], run.output()
    assert run.html_path.is_file()

    assert suite_run.leftovers_after == {"servers": [], "flavors": []}
    for host, service in suite_run.services_after.items():
        assert service == {"status": "enabled", "state": "up", "forced_down": False}, host
    assert suite_run.usages_after == suite_run.usages_before


def test_every_scenario_stays_within_the_request_budget(suite_run):
    totals = {c["name"]: int(c["properties"]["requests.total"])
              for c in junit_testcases(suite_run.behave.junit_dir)}
    assert all(total > 0 for total in totals.values()), totals
    over = {name: total for name, total in totals.items() if total > REQUEST_BUDGET_PER_SCENARIO}
    assert over == {}, f"budget {REQUEST_BUDGET_PER_SCENARIO} requests per scenario"


def test_the_run_says_which_hosts_may_still_run_guests_of_servers_it_deleted_locally(suite_run):
    run = suite_run.behave
    summary = [line for line in run.stderr.splitlines() if line.startswith("leftover guests: host ")]
    assert summary, run.output()
    for line in summary:
        assert "may still run the guests of" in line and "deleted while its nova-compute was down" in line
        assert "running_deleted_instance_poll_interval=1800 s" in line, line
    assert "leftover guests: on the embedded cloud nova's fake driver runs no guests" in run.stderr
    report = run.html_path.read_text(encoding="utf-8")
    assert "may still run the guest of server" in report
    assert "running_deleted_instance_action=reap" in report
