"""A run that may use less than the cloud's compute microversions skips,
one by one, the scenarios that need more, says why in the console, the
JUnit file and the HTML report, and runs the rest (Tempest's
``min_microversion``).

No release the embedded cloud offers lacks 2.95 (nova 2024.1 offers 2.96),
so the run lowers what it may use with ``-D compute_max_microversion``,
Tempest's ``[compute] max_microversion``: the cloud is the real one and
every scenario that runs talks to it as usual; only the selection is
tested here.
"""

from __future__ import annotations

import pytest

from reports import junit
from tests.reports import junit_schema
from tests.reports.html_sections import scenarios, text_of
from tests.suite.behave_run import FEATURES, junit_testcases, parsed_scenarios, run_behave

CAP = "2.90"  # below unshelve's 2.91 and evacuate's 2.95
SHELVE, EVACUATE = FEATURES / "compute.shelve.feature", FEATURES / "compute.evacuate.feature"


def reason(tag: str, version: str, what: str, cloud_max: str) -> str:
    return (f"@{tag}: needs compute microversion {version} ({what}); this run offers {CAP} "
            f"(-D compute_max_microversion={CAP}; the cloud offers {cloud_max})")


@pytest.fixture(scope="module")
def capped_run(embedded_cloud, tmp_path_factory):
    return run_behave(tmp_path_factory.mktemp("capped-run"), embedded_cloud.layout.root,
                      "-D", f"compute_max_microversion={CAP}",
                      "--include", r"compute\.(shelve|evacuate)\.feature")


@pytest.fixture(scope="module")
def expected(admin_conn):
    cloud_max = "%d.%d" % admin_conn.compute.get_endpoint_data().max_microversion[:2]
    named = parsed_scenarios()
    wanted = {}
    for name, scenario in named.items():
        if scenario.filename.endswith(EVACUATE.name):
            wanted[name] = reason("evacuate", "2.95", "evacuate keeps the server stopped", cloud_max)
        elif scenario.filename.endswith(SHELVE.name):
            wanted[name] = (reason("unshelve-to-host", "2.91", "unshelve onto a named host", cloud_max)
                            if "unshelve-to-host" in scenario.effective_tags else None)
    return wanted


def test_the_run_goes_on_past_the_skips_and_passes(capped_run, expected):
    assert capped_run.returncode == 0, capped_run.output()
    statuses = {case["name"]: case["status"] for case in junit_testcases(capped_run.junit_dir)}
    ran = [name for name, why in expected.items() if why is None]
    assert len(ran) == 2 and len(expected) == 7
    assert {name: statuses.get(name) for name in expected} == {
        name: "passed" if why is None else "skipped" for name, why in expected.items()
    }, capped_run.output()


def test_each_skip_gives_its_reason_on_the_console(capped_run, expected):
    for name, why in expected.items():
        if why is not None:
            assert f"SKIPPED {name}: {why}" in capped_run.stderr, capped_run.output()


def test_each_skip_gives_its_reason_in_junit(capped_run, expected):
    for path in junit.report_files(capped_run.junit_dir):
        junit_schema.validate(path)
    messages = {case["name"]: case["skip_message"] for case in junit_testcases(capped_run.junit_dir)}
    assert {name: messages.get(name) for name in expected} == expected


def test_each_skip_gives_its_reason_in_the_html_report(capped_run, expected):
    found = scenarios(capped_run.html_path.read_text(encoding="utf-8"))
    for name, why in expected.items():
        status, section = found[name]
        if why is None:
            assert status == "passed", name
        else:
            assert status == "skipped", name
            assert f"skipped: {why}" in text_of(section), name
