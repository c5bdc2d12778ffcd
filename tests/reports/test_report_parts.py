"""Unit tests of the report's building blocks (no behave run)."""

import json
import sys
from types import SimpleNamespace

from behave.model_type import Status

from reports import request_counts
from reports.attachments import PLACEMENT_USAGES, render_attachment
from reports.html_formatter import AttachmentLog
from reports.html_kit import format_duration, plural
from reports.problems import problem_of, render_problem
from tests.reports.html_sections import table_rows, text_of


def usages(**overrides):
    document = {"title": "t", "columns": ["before", "after"], "rows": {"VCPU": [0, 0]}}
    document.update(overrides)
    return json.dumps(document)


# -- attachments ---------------------------------------------------------------
def test_usages_accept_str_data_and_escape_names():
    html = render_attachment(PLACEMENT_USAGES, usages(rows={"<b>VCPU</b>": [1, 2]}))
    assert "&lt;b&gt;VCPU&lt;/b&gt;" in html
    assert table_rows(html)[1] == [("th", "", "<b>VCPU</b>"), ("td", "number", "1"),
                                   ("td", "number changed", "2")]


def test_malformed_usages_fall_back_to_a_note():
    for payload in (b"{not json", usages(rows=[1, 2]).encode(), b'{"rows": {}}'):
        text = text_of(render_attachment(PLACEMENT_USAGES, payload))
        assert text.startswith(f"attachment {PLACEMENT_USAGES} ({len(payload)} bytes): "
                               "could not be rendered")


def test_text_plain_with_charset_is_a_pre():
    html = render_attachment("text/plain; charset=utf-8", "a < b".encode())
    assert html == '<div class="attachment"><pre>a &lt; b</pre></div>'


def test_other_types_are_a_note_with_their_size():
    assert text_of(render_attachment("application/pdf", b"12345")) == \
        "attachment application/pdf (5 bytes)"


# -- request counts ------------------------------------------------------------
def test_request_counts_are_merged_and_malformed_rows_ignored():
    counts = [{"method": "get", "service": "placement", "status": 200, "count": 2},
              {"method": "GET", "service": "placement", "status": 200, "count": "3"},
              {"method": "GET"},
              None]
    assert request_counts.junit_properties(counts) == [
        ("requests.total", "5"), ("requests.GET.placement.200", "5")]


def test_no_request_counts_renders_nothing():
    assert request_counts.render_request_counts(None) == ""
    assert request_counts.render_request_counts([]) == ""


# -- failures and errors -------------------------------------------------------
def statement_raising(exception, status):
    try:
        raise exception
    except Exception as caught:     # noqa: BLE001 - any exception is the point
        return SimpleNamespace(exception=caught, exc_traceback=sys.exc_info()[2],
                               error_message="ignored", status=status, hook_failed=False)


def test_assertion_is_a_failure_without_traceback():
    problem = problem_of(statement_raising(AssertionError("\nExpected: <2>\n     but: was <1>\n"),
                                           Status.failed))
    assert problem.kind == "failure"
    assert problem.message == "Expected: <2>\n     but: was <1>"
    assert problem.traceback is None
    assert "<details>" not in render_problem(problem)


def test_other_exception_is_an_error_with_traceback():
    problem = problem_of(statement_raising(KeyError("server"), Status.error))
    assert problem.kind == "error"
    assert problem.message == "KeyError: 'server'"
    assert problem.traceback.startswith("Traceback (most recent call last)")
    assert "<details><summary>traceback</summary>" in render_problem(problem)


def test_assertion_in_a_hook_is_an_error():
    statement = statement_raising(AssertionError("cloud not ready"), Status.hook_error)
    statement.hook_failed = True
    assert problem_of(statement).kind == "error"


def test_failure_without_exception_uses_behave_text_minus_traceback():
    statement = SimpleNamespace(
        exception=None, error_message="ASSERT FAILED: nope\nTraceback (most recent call last):\n x",
        status=Status.failed)
    assert problem_of(statement).message == "nope"


def test_undefined_step_is_explained():
    statement = SimpleNamespace(exception=None, error_message=None, status=Status.undefined)
    assert "Undefined step" in problem_of(statement).message


# -- attachment routing and durations ------------------------------------------
def test_attachments_follow_the_running_step():
    scenario, first, second = object(), object(), object()
    log = AttachmentLog()
    log.enter(scenario)
    log.add("text/plain", b"before_scenario hook")
    log.announce_step(first)
    log.announce_step(second)
    log.add("text/plain", b"first step")
    log.finish_step()
    log.add("text/plain", b"second step")
    log.finish_step()
    log.add("text/plain", b"after_scenario hook")

    assert [d for _, d in log.for_element(scenario)] == [b"before_scenario hook",
                                                         b"after_scenario hook"]
    assert [d for _, d in log.for_element(first)] == [b"first step"]
    assert [d for _, d in log.for_element(second)] == [b"second step"]


def test_counts_read_well():
    assert [plural(n, "scenario") for n in (0, 1, 2)] == ["0 scenarios", "1 scenario", "2 scenarios"]


def test_durations_read_well():
    assert [format_duration(s) for s in (0, 0.0123, 12.34, 125)] == \
        ["0.000s", "0.012s", "12.3s", "2m 05.0s"]


def test_usages_are_compared_with_the_latest_baseline_column():
    """A scenario that boots a bystander records a new baseline; what
    stayed at that new baseline is not a change."""
    document = usages(columns=["baseline", "bystander active", "new baseline", "deleted"],
                      rows={"VCPU": [0, 1, 1, 1], "DISK_GB": [0, 1, 1, 2]})
    rows = table_rows(render_attachment(PLACEMENT_USAGES, document))
    assert [css for _, css, _ in rows[1][1:]] == ["number", "number changed", "number", "number"]
    assert [css for _, css, _ in rows[2][1:]] == ["number", "number changed", "number",
                                                  "number changed"]
