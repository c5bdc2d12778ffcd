"""One run of the whole suite per pytest session (it costs 90-150 s), shared
by every test that reads its outcome or its reports, and one cheap run that
only skips."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.suite.behave_run import BehaveRun, compute_services, run_behave, suite_leftovers, usages

# Scenarios the skip run picks: with fault control off, each is skipped by
# the suite (with a reason); the other scenarios are left out by --tags.
SKIP_RUN_TAGS = "@kill or @freeze or @placement-path"


@dataclass
class SuiteRun:
    behave: BehaveRun
    usages_before: dict
    usages_after: dict
    services_after: dict
    leftovers_after: dict


@pytest.fixture(scope="session")
def suite_run(embedded_cloud, admin_conn, tmp_path_factory) -> SuiteRun:
    usages_before = usages(admin_conn)
    run = run_behave(tmp_path_factory.mktemp("suite-run"), embedded_cloud.layout.root)
    # The cloud's state right after the run: later tests may change it.
    return SuiteRun(run, usages_before, usages(admin_conn),
                    compute_services(admin_conn), suite_leftovers(admin_conn))


@pytest.fixture(scope="session")
def skip_run(embedded_cloud, tmp_path_factory) -> BehaveRun:
    return run_behave(tmp_path_factory.mktemp("skip-run"), embedded_cloud.layout.root,
                      "-D", "fault_control=none", f"--tags={SKIP_RUN_TAGS}")
