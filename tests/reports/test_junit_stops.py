"""The JUnit file of a run stopped before any scenario (reports/junit_stops.py)."""

from tests.reports import junit_schema
from reports.junit_stops import FILE_NAME, write_stopped_run
from tests.suite.behave_run import junit_testcases

LINE = "image 'nope' not found; pass -D image=<name or id> of an active image (e.g. cirros & \"x\" <y>)"


def test_one_failing_testcase_named_for_the_check_carries_the_line(tmp_path):
    path = write_stopped_run(tmp_path / "junit", "cloud resources", LINE)
    assert path == tmp_path / "junit" / FILE_NAME
    junit_schema.validate(path)
    [case] = junit_testcases(tmp_path / "junit")
    assert (case["name"], case["status"], case["message"]) == ("cloud resources", "failed", LINE)
    assert not list((tmp_path / "junit").glob("*.partial"))


def test_a_second_stop_replaces_the_file(tmp_path):
    write_stopped_run(tmp_path, "settings", "first")
    write_stopped_run(tmp_path, "cloud access", "second")
    assert [c["name"] for c in junit_testcases(tmp_path)] == ["cloud access"]
