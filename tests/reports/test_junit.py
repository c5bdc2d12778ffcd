"""behave's JUnit output for the sample project, checked against our XSD."""

import shutil
from xml.etree import ElementTree

import pytest

from reports import junit, request_counts
from tests.reports import junit_schema
from tests.reports.sample_project import SKIP_REASON

FAILING = "Allocations leak on compute1"


def cases_by_name(junit_dir):
    """{testcase name: element} over every JUnit file."""
    cases = {}
    for path in junit.report_files(junit_dir):
        for case in ElementTree.parse(path).getroot().iter("testcase"):
            cases[case.get("name")] = case
    return cases


def test_behave_writes_one_valid_file_per_feature(behave_run):
    files = junit.report_files(behave_run.junit_dir)
    assert [path.name for path in files] == ["TESTS-local_delete.xml"]
    for path in files:
        assert junit_schema.problems(path) == []
        assert junit_schema.validate(path) == path


def test_assertion_is_a_failure_with_the_hamcrest_text(behave_run):
    case = cases_by_name(behave_run.junit_dir)[FAILING]
    assert case.find("error") is None
    failure = case.find("failure")
    assert failure.get("type") == "AssertionError"
    assert "Expected: <2>" in failure.get("message")
    assert "but: was <1>" in failure.get("message")
    assert "Failing step: Then compute1 still uses 2 VCPU" in failure.text


def test_other_exceptions_are_errors(behave_run):
    case = cases_by_name(behave_run.junit_dir)["The cloud API breaks"]
    assert case.find("failure") is None
    assert case.find("error").get("type") == "RuntimeError"


def test_outline_rows_are_separate_testcases(behave_run):
    names = set(cases_by_name(behave_run.junit_dir))
    assert {"Flavor m1.tiny gives back its VCPUs -- @1.1 flavors",
            "Flavor m1.small gives back its VCPUs -- @1.2 flavors"} <= names
    assert len(names) == 7


def test_skipped_scenario_is_skipped_but_behave_writes_no_reason(behave_run):
    """behave 1.3's JUnit reporter writes a bare <skipped/>: the reason
    given to scenario.skip() appears nowhere in the file. If this starts
    failing, behave learned to carry it; update the report docs."""
    case = cases_by_name(behave_run.junit_dir)["Bare metal allocations are released"]
    skipped = case.find("skipped")
    assert skipped is not None
    assert skipped.get("message") is None
    assert not (skipped.text or "").strip()
    assert SKIP_REASON not in junit.report_files(behave_run.junit_dir)[0].read_text()


def test_add_properties_keeps_the_files_valid(behave_run, tmp_path):
    junit_dir = tmp_path / "junit"
    shutil.copytree(behave_run.junit_dir, junit_dir)
    counts = [{"method": "GET", "service": "placement", "status": 200, "count": 7},
              {"method": "GET", "service": "placement", "status": 200, "count": 2},
              {"method": "DELETE", "service": "compute", "status": 204, "count": 1}]

    updated = junit.add_properties(junit_dir, {FAILING: request_counts.junit_properties(counts)})

    assert updated == 1
    for path in junit.report_files(junit_dir):
        junit_schema.validate(path)
    case = cases_by_name(junit_dir)[FAILING]
    assert list(case)[0].tag == "properties"
    assert [(p.get("name"), p.get("value")) for p in case.iter("property")] == [
        ("requests.total", "10"),
        ("requests.DELETE.compute.204", "1"),
        ("requests.GET.placement.200", "9"),
    ]
    # behave's own content survives the rewrite.
    assert "Expected: <2>" in case.find("failure").get("message")
    assert "@scenario.begin" in case.find("system-out").text


def test_add_properties_by_classname_and_merges_into_existing_properties(behave_run, tmp_path):
    junit_dir = tmp_path / "junit"
    shutil.copytree(behave_run.junit_dir, junit_dir)
    case = cases_by_name(junit_dir)[FAILING]
    key = (case.get("classname"), FAILING)

    junit.add_properties(junit_dir, {key: {"first": "1"}})
    junit.add_properties(junit_dir, {key: [("second", 2)]})

    case = cases_by_name(junit_dir)[FAILING]
    assert len(case.findall("properties")) == 1
    assert [p.get("name") for p in case.iter("property")] == ["first", "second"]
    assert junit_schema.problems(junit.report_files(junit_dir)[0]) == []


def test_unknown_testcases_leave_files_untouched(behave_run, tmp_path):
    junit_dir = tmp_path / "junit"
    shutil.copytree(behave_run.junit_dir, junit_dir)
    before = junit.report_files(junit_dir)[0].read_bytes()
    assert junit.add_properties(junit_dir, {"no such scenario": {"a": "b"}}) == 0
    assert junit.report_files(junit_dir)[0].read_bytes() == before


@pytest.mark.parametrize("document, complaint", [
    ('<testsuite name="s" tests="1" failures="0" errors="0"><testcase/></testsuite>',
     "missing required attribute 'name'"),
    ('<testsuite name="s" tests="one" failures="0" errors="0"/>', "tests='one'"),
    ('<testsuite name="s" tests="1" failures="0" errors="0">'
     '<testcase name="c"><surprise/></testcase></testsuite>', "surprise"),
    ('<testsuite name="s" tests="1" failures="0" errors="0" time="5e-05"/>', "time='5e-05'"),
    ("<testsuite", "not well-formed XML"),
])
def test_invalid_reports_are_rejected_with_a_reason(tmp_path, document, complaint):
    path = tmp_path / "TESTS-bad.xml"
    path.write_text(document)
    with pytest.raises(junit_schema.InvalidJUnitReport) as raised:
        junit_schema.validate(path)
    assert complaint in str(raised.value)


def test_schema_accepts_a_testsuites_root_with_properties_and_skip_message(tmp_path):
    path = tmp_path / "TESTS-all.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<testsuites name="all" tests="2" failures="0" errors="0" time="1,234.5">'
        '<testsuite name="s" tests="2" failures="0" errors="0" skipped="1" time="0.5"'
        ' timestamp="2024-01-01T00:00:00" hostname="ci">'
        '<properties><property name="cloud" value="devstack"/></properties>'
        '<testcase classname="f.s" name="a" time="0.1"/>'
        '<testcase classname="f.s" name="b" time="0"><skipped message="no ironic"/></testcase>'
        '<system-out>out</system-out></testsuite></testsuites>')
    assert junit_schema.problems(path) == []
