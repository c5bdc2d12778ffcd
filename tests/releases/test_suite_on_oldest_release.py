"""The whole suite against the oldest release the embedded cloud runs
(2024.1, nova 29, eventlet), as a real-cloud user runs it: clouds.yaml,
command faults, nova's audit through `embedded-cloud nova-manage`.

The same run as ``python -m benchmarks.releases --release 2024.1`` (one way
to do it). Its first use installs the release's virtualenv (kept between
runs in ~/.cache/embedded-cloud/releases). Every scenario must pass there
as on the newest release: the allocation code under test is the same
(docs/releases.md says where nova differs, and why no cell does).
"""

from __future__ import annotations

import pytest

from benchmarks.releases import run_release
from tests.suite.behave_run import parsed_scenarios

OLDEST = "2024.1"


@pytest.fixture(scope="module")
def oldest_run(tmp_path_factory):
    run = run_release(OLDEST, tmp_path_factory.mktemp("releases"), keep=False)
    print(f"release {OLDEST}: cold start {run.up_s:.0f} s, suite {run.suite_s:.0f} s, "
          f"RSS {run.rss_mib:.0f} MiB")
    return run


def test_the_oldest_release_comes_up(oldest_run):
    assert "(cloud)" not in oldest_run.results, oldest_run.up_output[-3000:]


def test_every_scenario_passes_on_the_oldest_release(oldest_run):
    assert oldest_run.results == {name: "passed" for name in parsed_scenarios()}
    assert oldest_run.exit_code == 0
