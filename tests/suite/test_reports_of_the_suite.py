"""The reports of the session's one real suite run (see conftest.py): JUnit
files that CI can read, the HTML report a reviewer reads, that report in a
real browser; and a run that only skips, where every skip says why.

How a failing scenario is reported (a failure, not an error, with the
failing step and the matcher's mismatch) is checked on a throwaway project
in tests/reports/test_junit.py: the real suite is green.
"""

from __future__ import annotations

import re

import pytest

from reports import junit
from tests.reports import junit_schema
from reports.junit_skips import NOT_RUN
from tests.reports.browser import CHROMIUM, NO_CHROMIUM, looks_rendered, screenshot
from tests.reports.html_sections import scenarios, table_rows, text_of
from tests.suite.behave_run import FEATURES, junit_testcases, parsed_scenarios

SCENARIOS = parsed_scenarios()
FAULT_CONTROL_OFF = "@fault-control: fault control is switched off (-D fault_control=none)"
REQUEST_PROPERTY = re.compile(r"requests\.(GET|HEAD|POST|PUT|PATCH|DELETE)\.[a-z-]+\.\d{3}")
STEP_LINE = re.compile(r'<div class="step-line">(.*?)</div>', re.S)
USAGES_TABLE = re.compile(r'<table class="usages">.*?</table>', re.S)
REQUESTS_TABLE = re.compile(r'<table class="requests">.*?</table>', re.S)


def html_scenarios(run):
    return scenarios(run.html_path.read_text(encoding="utf-8"))


def requests_total(run):
    return {c["name"]: c["properties"]["requests.total"] for c in junit_testcases(run.junit_dir)}


# -- JUnit ----------------------------------------------------------------------
def test_junit_has_one_valid_file_per_feature(suite_run):
    files = junit.report_files(suite_run.behave.junit_dir)
    assert [p.name for p in files] == [f"TESTS-{p.stem}.xml" for p in sorted(FEATURES.glob("*.feature"))]
    for path in files:
        assert junit_schema.problems(path) == []


def test_junit_has_one_timed_testcase_per_scenario_and_examples_row(suite_run):
    cases = junit_testcases(suite_run.behave.junit_dir)
    assert sorted(c["name"] for c in cases) == sorted(SCENARIOS)
    assert [c["name"] for c in cases if not c["time"] > 0] == []


def test_junit_testcases_count_requests_by_method_service_and_status(suite_run):
    for case in junit_testcases(suite_run.behave.junit_dir):
        properties = dict(case["properties"])
        total = int(properties.pop("requests.total"))
        assert all(REQUEST_PROPERTY.fullmatch(name) for name in properties), properties
        assert sum(int(value) for value in properties.values()) == total, case["name"]
        services = {name.split(".")[2] for name in properties}
        assert {"compute", "placement"} <= services, case["name"]


# -- HTML -----------------------------------------------------------------------
def test_report_lists_every_scenario_as_passed_in_feature_order(suite_run):
    found = html_scenarios(suite_run.behave)
    assert [(name, status) for name, (status, _) in found.items()] == [
        (name, "passed") for name in SCENARIOS]
    page = suite_run.behave.html_path.read_text(encoding="utf-8")
    summary = page.split('<section class="summary">', 1)[1].split("</section>", 1)[0]
    assert f'<span class="badge passed">{len(SCENARIOS)} passed</span>' in summary
    assert '<span class="badge none">0 failed</span>' in summary     # grey, not red


def test_report_shows_every_step_with_its_status_and_time(suite_run):
    for name, (_, section) in html_scenarios(suite_run.behave).items():
        lines = [text_of(line) for line in STEP_LINE.findall(section)]
        expected = [f"{step.keyword} {step.name}" for step in SCENARIOS[name].all_steps]
        assert [line.rsplit("passed", 1)[0] for line in lines] == expected, name
        # Any of format_duration's forms: a restart takes over 10 s on a busy machine.
        assert all(re.search(r"passed(\d+\.\d{1,3}|\d+m \d\d\.\d)s$", line) for line in lines), lines
        assert re.search(r'<span class="duration">[\dm .]+s</span>', section), name


def test_report_shows_placement_usages_before_during_and_after(suite_run):
    for name, (_, section) in html_scenarios(suite_run.behave).items():
        tables = USAGES_TABLE.findall(section)
        assert tables, f"{name}: no usages table"
        rows = table_rows(tables[-1])
        header = [text for _, _, text in rows[0]]
        assert header[:2] == ["resource", "baseline"], name
        changed = [[cell[1] == "number changed" for cell in row[1:]] for row in rows[1:]]
        changed_in = [any(column) for column in zip(*changed)]   # per column
        if "no new servers" in name:
            assert not any(changed_in), name
        elif ends_holding_a_server(name):   # booted, evacuated or unshelved, and kept
            assert changed_in[-1], f"{name}: the server's usages are not shown"
        else:   # deleted or offloaded: usages rise (during), then are back (after)
            assert len(header) >= 4 and any(changed_in[1:-1]) and not changed_in[-1], (name, header)


def ends_holding_a_server(name):
    """Whether a server of the scenario still holds its flavor when it ends:
    none is deleted, and one shelved is unshelved again."""
    steps = " | ".join(step.name for step in SCENARIOS[name].all_steps)
    return " is deleted" not in steps and (" is shelved" not in steps or " is unshelved" in steps)


def test_report_shows_the_request_counts_of_every_scenario(suite_run):
    totals = requests_total(suite_run.behave)
    for name, (_, section) in html_scenarios(suite_run.behave).items():
        assert "API requests" in text_of(section), name
        rows = table_rows(REQUESTS_TABLE.search(section)[0])
        assert rows[1] == [("td", "", "total requests"), ("td", "number", totals[name])], name


@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
def test_report_renders_in_headless_chromium(suite_run, tmp_path_factory):
    # What the screenshots show besides the tables: each scenario's usage
    # chart, fault steps marked where the scenario took a host down.
    for name, (_, section) in html_scenarios(suite_run.behave).items():
        assert section.count('<svg class="usage-timeline"') == 1, name
        assert ('class="fault"' in section) == ("fault-control" in SCENARIOS[name].effective_tags), name
    shots = tmp_path_factory.mktemp("suite-report-screenshots")
    for png, height in ((shots / "report-top.png", 1600), (shots / "report-long.png", 8000)):
        result = screenshot(suite_run.behave.html_path, png, shots / "profile", height=height)
        assert png.exists(), result.stderr
        assert looks_rendered(png)
    print(f"screenshots of the suite's report: {shots}")


# -- skips ----------------------------------------------------------------------
def test_every_skip_says_why_in_junit_and_in_the_report(skip_run):
    assert skip_run.returncode == 0, skip_run.output()
    for path in junit.report_files(skip_run.junit_dir):
        junit_schema.validate(path)
    messages = {c["name"]: c["skip_message"] for c in junit_testcases(skip_run.junit_dir)}
    chosen = {name for name, s in SCENARIOS.items() if {"kill", "freeze", "placement-path"} & set(s.tags)}
    assert len(chosen) == 3
    assert messages == {name: FAULT_CONTROL_OFF if name in chosen else NOT_RUN for name in SCENARIOS}

    found = html_scenarios(skip_run)
    for name in chosen:
        status, section = found[name]
        assert status == "skipped"
        assert f"skipped: {FAULT_CONTROL_OFF}" in text_of(section)
