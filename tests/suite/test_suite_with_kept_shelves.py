"""The shelve feature on a cloud that keeps shelved servers on their host
(``shelved_offload_time = -1``, as many clouds set it so that unshelving is
fast): its own embedded cloud started with
``--nova-option DEFAULT.shelved_offload_time=-1``, beside the soft-delete run.

Every shelve scenario passes: the suite sees the server stay SHELVED, offloads
it itself (shelveOffload) and says so, then checks the same facts. The
defect that breaks that path is caught in tests/defects.
"""

from __future__ import annotations

import html

import pytest

from tests.conftest import PROJECT
from tests.suite.behave_run import assert_nothing_left, outcomes, run_on_nova_options, scenarios_by_feature

RUN_DIR = PROJECT / ".run" / "kept-shelves-cloud"
KEEP = "DEFAULT.shelved_offload_time=-1"
SHELVE_FEATURE = PROJECT / "features" / "compute.shelve.feature"
OFFLOADED_BY_SUITE = 'note: the cloud kept the shelved server "shelved" on '


@pytest.fixture(scope="module")
def kept_shelves_run(tmp_path_factory):
    return run_on_nova_options(RUN_DIR, (KEEP,), tmp_path_factory.mktemp("kept-shelves-run"),
                               "--include", "compute.shelve")


def test_every_shelve_scenario_passes(kept_shelves_run):
    run = kept_shelves_run["run"]
    expected = {scenario.name for scenario in scenarios_by_feature()[SHELVE_FEATURE]}
    assert outcomes(run.junit_dir) == {name: ("passed", "") for name in expected}, run.output()
    assert run.returncode == 0, run.output()


def test_each_scenario_says_the_suite_offloaded_the_server_itself(kept_shelves_run):
    run = kept_shelves_run["run"]
    # Once per scenario: in the step's output (JUnit system-out), suite.log and the HTML report.
    junit = "".join(path.read_text() for path in run.junit_dir.glob("*.xml"))
    assert junit.count(OFFLOADED_BY_SUITE) >= 3, run.output()
    assert (run.project / "run" / "suite.log").read_text().count(OFFLOADED_BY_SUITE) == 3
    assert html.escape(OFFLOADED_BY_SUITE) in run.html_path.read_text(), "the HTML report lacks the note"


def test_nothing_is_left_behind(kept_shelves_run):
    assert_nothing_left(kept_shelves_run)
