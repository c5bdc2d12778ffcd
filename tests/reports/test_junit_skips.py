from xml.etree import ElementTree

from tests.reports.junit_schema import validate
from reports.junit_skips import NOT_RUN, add_skip_messages

REPORT = """<?xml version='1.0' encoding='UTF-8'?>
<testsuite name="compute.heal.Heal" tests="2" errors="0" failures="0" skipped="1" time="0.0">
<testcase classname="compute.heal.Heal" name="Heals" status="skipped" time="0"><skipped /></testcase>
<testcase classname="compute.heal.Heal" name="Runs" status="passed" time="1.0" />
</testsuite>
"""


def test_skip_reasons_become_the_message_of_skipped_testcases_only(tmp_path):
    path = tmp_path / "TESTS-compute.heal.xml"
    path.write_text(REPORT)
    reasons = {"Heals": "@placement-path: needs the embedded cloud", "Runs": "not skipped"}
    assert add_skip_messages(tmp_path, reasons) == 1
    text = path.read_text()
    assert '<skipped message="@placement-path: needs the embedded cloud" />' in text
    assert "not skipped" not in text
    validate(path)



def test_a_skip_the_suite_never_saw_says_it_was_not_run(tmp_path):
    """behave reports a scenario left out by --tags as skipped, bare."""
    path = tmp_path / "TESTS-compute.heal.xml"
    path.write_text(REPORT.replace(
        'name="Runs" status="passed" time="1.0" />',
        'name="Runs" status="skipped" time="0"><skipped message="kept" /></testcase>'))
    assert add_skip_messages(tmp_path, {}) == 1
    messages = {case.get("name"): case.find("skipped").get("message")
                for case in ElementTree.parse(path).getroot().iter("testcase")}
    assert messages == {"Heals": NOT_RUN, "Runs": "kept"}
    validate(path)
