"""python -m benchmarks without a cloud: its table from canned
figures, the JUnit and testtools readers, the scenario clock on a tiny
behave project, and --help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from benchmarks.nova_functional import (
    AFTER_RESTART,
    EVACUATE,
    FROM_API,
    TEST_IDS,
    TESTS,
    UNSHELVE,
    NovaTiming,
    parse_testtools_output,
)
from benchmarks.suite_timing import ScenarioTiming, SuiteTiming, read_scenarios
from benchmarks.table import ColdStart, Measurements, lines

PROJECT = Path(__file__).resolve().parents[2]

JUNIT = """<?xml version='1.0' encoding='UTF-8'?>
<testsuite name="compute.heal.Heal" tests="2" errors="0" failures="0" skipped="1" time="9.5">
<testcase classname="compute.heal.Heal" name="Heals" status="passed" time="9.5">
<properties><property name="requests.total" value="39" /></properties></testcase>
<testcase classname="compute.heal.Heal" name="Skips" status="skipped" time="0"><skipped /></testcase>
</testsuite>
"""


def measurements(cold_start=ColdStart(20.04, 15.0, 1200.4)):
    scenarios = [
        ScenarioTiming("compute.disabled", "Disabled is not down", "passed", 6.8, 6.4, 33),
        ScenarioTiming("compute.heal", "Heals on start", "passed", 12.0, 11.0, 39),
        ScenarioTiming("compute.local_delete", "Local delete -- @1.1 stopped", "failed", 9.0, 2.5, 30),
        ScenarioTiming("compute.evacuate", "Evacuated", "passed", 15.0, 14.0, 60),
        ScenarioTiming("compute.shelve", "Unshelved elsewhere", "passed", 10.0, 9.0, 50),
    ]
    nova = {FROM_API: NovaTiming(FROM_API, 3.0, 6.0, True),
            AFTER_RESTART: NovaTiming(AFTER_RESTART, 4.0, 7.5, True),
            EVACUATE: NovaTiming(EVACUATE, 5.0, 9.0, True),
            UNSHELVE: NovaTiming(UNSHELVE, 2.0, 6.0, True)}
    return Measurements(2, 1.5, 2.25, cold_start, SuiteTiming(80.0, 1, scenarios, Path("/x")), nova)


def test_the_table_has_a_row_per_scenario_with_its_ratio_to_the_nova_test():
    out = lines(measurements())
    assert out[0] == "acceptance suite benchmark: 2 cores, load average 1.50 at start"
    assert out[1] == "embedded cloud cold start: 20.0 s wall, 15.0 s CPU, 1200 MiB RSS"
    assert out[2] == "whole suite (one behave process): 80.0 s, 4/5 scenarios passed, exit 1"
    assert f"  {FROM_API}: 3.0 s (process 6.0 s, imports included), OK" in out
    table = [line for line in out if line.startswith("|")]
    assert table == [
        "| scenario | wall s | steps s | requests | nova test | x nova |",
        "|---|---:|---:|---:|---|---:|",
        "| compute.disabled: Disabled is not down | 6.8 | 6.4 | 33 | — | — |",
        "| compute.heal: Heals on start | 12.0 | 11.0 | 39 | after_compute_restart | 3.0 |",
        "| compute.local_delete: Local delete -- @1.1 stopped (failed) | 9.0 | 2.5 | 30 | from_api | 3.0 |",
        "| compute.evacuate: Evacuated | 15.0 | 14.0 | 60 | evacuate_clean_hypervisor | 3.0 |",
        "| compute.shelve: Unshelved elsewhere | 10.0 | 9.0 | 50 | shelve_offload_unshelve_diff_host | 5.0 |",
        "| **all scenarios** | 52.8 | 42.9 | 212 | | |",
    ]
    assert out[-1] == "load average 2.25 at end"


def test_no_ratio_when_the_nova_test_failed_and_no_cold_start_with_an_existing_cloud():
    m = measurements(cold_start=None)
    m.nova[FROM_API] = NovaTiming(FROM_API, None, 1.0, False)
    out = lines(m)
    assert out[1].startswith("embedded cloud cold start: not measured")
    assert f"  {FROM_API}: did not run (process 1.0 s, imports included), FAILED" in out
    assert "| compute.local_delete: Local delete -- @1.1 stopped (failed) | 9.0 | 2.5 | 30 | from_api | — |" in out


def test_each_nova_test_is_named_by_its_full_id_in_the_nova_wheel():
    assert set(TEST_IDS) == set(TESTS)
    assert TEST_IDS[EVACUATE] == "nova.tests.functional.test_servers.ServerMovingTests.test_evacuate_clean_hypervisor"
    assert TEST_IDS[FROM_API].startswith("nova.tests.functional.regressions.test_bug_1679750.")


def test_scenarios_are_read_from_junit_with_the_clock_s_wall_time(tmp_path):
    (tmp_path / "TESTS-compute.heal.xml").write_text(JUNIT)
    assert read_scenarios(tmp_path, {"Heals": 12.25}) == [
        ScenarioTiming("compute.heal", "Heals", "passed", 12.25, 9.5, 39),
        ScenarioTiming("compute.heal", "Skips", "skipped", 0.0, 0.0, 0),
    ]


def test_testtools_output_gives_the_test_time_and_whether_it_passed():
    ok = "....\nRan 1 test in 3.609s\nOK\n"
    assert parse_testtools_output(ok, 0) == (3.609, True)
    failed = "Ran 1 test in 2.5s\nFAILED (failures=1)\n"
    assert parse_testtools_output(failed, 1) == (2.5, False)
    assert parse_testtools_output("ImportError: No module named nova\n", 1) == (None, False)


def test_the_scenario_clock_counts_the_hooks_as_well_as_the_steps(tmp_path):
    features = tmp_path / "features"
    (features / "steps").mkdir(parents=True)
    (features / "a.feature").write_text(
        "Feature: F\n  Scenario: One\n    Given a step\n  Scenario: Two\n    Given a step\n")
    (features / "steps" / "steps.py").write_text(
        "from behave import given\n@given('a step')\ndef step(context):\n    pass\n")
    # An after_scenario hook as slow as the suite's restore of a compute.
    (features / "environment.py").write_text(
        "import time\ndef after_scenario(context, scenario):\n    time.sleep(0.3)\n")
    done = subprocess.run(
        [sys.executable, "-m", "behave", "--no-capture", "-f", "benchmarks.scenario_clock:ScenarioClock",
         "-o", "clock.json", "features"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        # benchmarks/ is the checkout's, not an installed package
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert done.returncode == 0, done.stdout + done.stderr
    clock = json.loads((tmp_path / "clock.json").read_text())
    assert sorted(clock) == ["One", "Two"]
    # Each scenario's time includes its after_scenario hook (the 0.3 s sleep).
    assert all(seconds >= 0.3 for seconds in clock.values()), clock


def test_help_describes_the_command_and_exits_0():
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--help"],
                          cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: python -m benchmarks")
    assert "nova's own functional test" in done.stdout and "--run-dir DIR" in done.stdout


def test_the_suite_benchmark_runs_the_projects_features_and_behave_ini():
    from benchmarks import suite_timing

    assert suite_timing.PROJECT == PROJECT
    assert (suite_timing.PROJECT / "behave.ini").is_file()
    assert list((suite_timing.PROJECT / "features").glob("*.feature"))
