"""The HTML report of a real behave run of the sample project."""

import re

from tests.reports.conftest import HTML_FORMATTER, run_python
from tests.reports.html_sections import scenarios, table_rows, text_of
from tests.reports.sample_project import SKIP_REASON

FAILING = "Allocations leak on compute1"
ERRORING = "The cloud API breaks"
PASSING = "Allocations are released after a local delete"
SKIPPED = "Bare metal allocations are released"
MARKUP = "Tables, docstrings and <b>markup</b> are shown verbatim"

EXPECTED_STATUSES = {
    PASSING: "passed",
    FAILING: "failed",
    "Flavor m1.tiny gives back its VCPUs -- @1.1 flavors": "passed",
    "Flavor m1.small gives back its VCPUs -- @1.2 flavors": "passed",
    SKIPPED: "skipped",
    ERRORING: "error",
    MARKUP: "passed",
}


def test_behave_run_fails_because_of_the_failing_scenario(behave_run):
    assert behave_run.returncode == 1
    assert "1 failed" in behave_run.stdout


def test_every_scenario_and_outline_row_has_its_status(behave_run):
    found = scenarios(behave_run.html)
    assert {name: status for name, (status, _) in found.items()} == EXPECTED_STATUSES
    assert list(found) == list(EXPECTED_STATUSES)    # feature order kept


def test_summary_counts_scenarios_per_status(behave_run):
    summary = text_of(behave_run.html.split('<section class="summary">', 1)[1].split("</section>", 1)[0])
    for count in ("4 passed", "1 failed", "1 error", "1 skipped"):
        assert count in summary
    assert "7 scenarios" in summary
    assert "total time" in summary


def test_failed_step_shows_the_hamcrest_mismatch_not_a_traceback(behave_run):
    _, section = scenarios(behave_run.html)[FAILING]
    text = text_of(section)
    assert "Expected: <2>" in text
    assert "but: was <1>" in text
    assert "Traceback" not in text
    assert "<details>" not in section
    assert '<pre class="failure">' in section


def test_error_step_shows_message_and_a_collapsed_traceback(behave_run):
    _, section = scenarios(behave_run.html)[ERRORING]
    assert "RuntimeError: connection refused by nova-api" in text_of(section)
    details = re.search(r"<details>(.*?)</details>", section, re.S)
    assert details, "the traceback must sit in a <details> element"
    assert "Traceback (most recent call last)" in text_of(details[1])
    assert "open" not in section.split("<details", 1)[1].split(">", 1)[0]


def test_steps_show_keyword_text_status_and_duration(behave_run):
    _, section = scenarios(behave_run.html)[FAILING]
    lines = [text_of(line) for line in re.findall(r'<div class="step-line">(.*?)</div>', section, re.S)]
    assert lines[0].startswith("Given a cloud with 2 compute hosts")   # background step
    assert re.fullmatch(r"Then compute1 still uses 2 VCPUfailed\d+\.\d{3}s", lines[-1])


def test_tags_and_duration_of_a_scenario(behave_run):
    _, section = scenarios(behave_run.html)[FAILING]
    assert '<span class="tag">@bug</span>' in section
    assert re.search(r'<span class="duration">\d+\.\d{3}s</span>', section)


def test_placement_usages_attachment_is_a_table_with_changes_highlighted(behave_run):
    _, section = scenarios(behave_run.html)[PASSING]
    table = re.search(r'<table class="usages">.*?</table>', section, re.S)[0]
    assert table_rows(table) == [
        [("th", "", "resource"), ("th", "", "before"), ("th", "", "during"), ("th", "", "after")],
        [("th", "", "compute1 VCPU"), ("td", "number", "0"),
         ("td", "number changed", "1"), ("td", "number", "0")],
        [("th", "", "compute1 MEMORY_MB"), ("td", "number", "0"),
         ("td", "number changed", "512"), ("td", "number changed", "512")],
    ]
    assert "Placement usages" in text_of(section)


def test_attachments_land_under_the_step_that_made_them(behave_run):
    _, section = scenarios(behave_run.html)[PASSING]
    steps = re.findall(r'<li class="step[^"]*">(.*?)</li>', section, re.S)
    when, then = steps[1], steps[2]
    assert "<pre>DELETE /servers/abc -&gt; 204</pre>" in when
    assert 'class="usages"' in then
    assert "attachment image/png (100 bytes)" in text_of(then)


def test_request_counts_table_starts_with_the_total(behave_run):
    _, section = scenarios(behave_run.html)[PASSING]
    table = re.search(r'<table class="requests">.*?</table>', section, re.S)[0]
    rows = [[text for _, _, text in row] for row in table_rows(table)]
    assert rows == [["service", "method", "status", "count"],
                    ["total requests", "8"],
                    ["compute", "DELETE", "204", "1"],
                    ["placement", "GET", "200", "7"]]


def test_skipped_scenario_shows_its_reason(behave_run):
    status, section = scenarios(behave_run.html)[SKIPPED]
    assert status == "skipped"
    assert f"skipped: {SKIP_REASON}" in text_of(section)


def test_feature_text_is_escaped(behave_run):
    report = behave_run.html
    assert "<b>markup</b>" not in report
    assert "&lt;b&gt;markup&lt;/b&gt;" in report
    assert "<script" not in report
    assert "a &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; note" in report
    assert "<td>&lt;down&gt; &amp; out</td>" in report


def test_report_is_utf8_with_the_feature_description(behave_run):
    text = text_of(behave_run.html_path.read_bytes().decode("utf-8"))
    assert "even when nova-compute — the service on the host — cannot be reached." in text


def test_no_skipped_option_leaves_skipped_scenarios_out(behave_run):
    result = run_python(["-m", "behave", "--no-skipped", "-f", HTML_FORMATTER,
                         "-o", "out/no-skipped.html", "features"], cwd=behave_run.project)
    report = (behave_run.project / "out" / "no-skipped.html").read_text(encoding="utf-8")

    assert result.returncode == 1
    assert SKIPPED not in scenarios(report)
    assert len(scenarios(report)) == len(EXPECTED_STATUSES) - 1
    assert "1 skipped" not in text_of(report)


def test_report_is_self_contained(behave_run):
    report = behave_run.html
    assert report.startswith("<!DOCTYPE html>")
    assert "<style>" in report
    for external in ("http://", "https://", "<link", " src=", "@import", "url("):
        assert external not in report


RULES_FEATURE = """\
Feature: Rules and broken hooks
  Rule: Hooks may break
    Scenario: before_scenario raises
      Given nothing

  Rule: Steps may be missing
    Scenario: a step nobody wrote
      Given nothing
      And a step nobody implemented
"""

RULES_STEPS = """\
from behave import given

@given("nothing")
def step_nothing(context):
    pass
"""

RULES_ENVIRONMENT = """\
def before_scenario(context, scenario):
    if "raises" in scenario.name:
        raise ValueError("keystone token expired")
"""


def test_rules_hook_errors_and_undefined_steps(tmp_path):
    (tmp_path / "features" / "steps").mkdir(parents=True)
    (tmp_path / "features" / "rules.feature").write_text(RULES_FEATURE)
    (tmp_path / "features" / "steps" / "steps.py").write_text(RULES_STEPS)
    (tmp_path / "features" / "environment.py").write_text(RULES_ENVIRONMENT)

    run_python(["-m", "behave", "-f", HTML_FORMATTER, "-o", "report.html", "features"],
               cwd=tmp_path)
    report = (tmp_path / "report.html").read_text(encoding="utf-8")

    assert report.count('<section class="rule">') == 2
    found = scenarios(report)
    hook_status, hook_section = found["before_scenario raises"]
    assert hook_status == "error"
    assert "ValueError: keystone token expired" in text_of(hook_section)
    assert "<details><summary>traceback</summary>" in hook_section
    undefined_status, undefined_section = found["a step nobody wrote"]
    assert undefined_status == "error"
    assert "Undefined step" in text_of(undefined_section)
    assert 'class="step undefined"' in undefined_section
