"""The real acceptance suite, interrupted mid-scenario: the cloud is put
back and behave exits 130 (SIGINT) or 143 (SIGTERM); and bad input is one
line, exit 2, with nothing recorded.

behave runs the project's features/ from a scratch directory holding a copy
of behave.ini, so its reports and ledger land there. The signal is sent the
moment the ledger records the first compute-service change, i.e. while a
host is being taken down.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from acceptance.safety.ledger import read_records
from acceptance.safety.prefix import is_suite_name
from reports import junit
from tests.reports import junit_schema
from reports.junit_skips import NOT_RUN
from reports.junit_stops import FILE_NAME as STOPPED_RUN_FILE
from tests.openstack_kit import os_environment
from tests.safety import cloud_kit as kit
from tests.suite.behave_run import junit_testcases, parsed_scenarios

PROJECT = Path(__file__).resolve().parents[2]
SELECTION = "@fault-control and not @evacuate"


@pytest.fixture
def suite_copy(tmp_path):
    shutil.copy(PROJECT / "behave.ini", tmp_path / "behave.ini")
    return tmp_path


def start_suite(project, cloud, *args, os_env=None):
    """``os_env``: OS_* variables, for a run that knows the cloud only by them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env["EMBEDDED_CLOUD_DIR"] = str(cloud.layout.root)
    env.update(os_env or {})
    return subprocess.Popen(
        [sys.executable, "-m", "behave", str(PROJECT / "features"), "-f", "plain",
         "-D", f"embedded_cloud.run_dir={cloud.layout.root}",
         "-D", f"run_dir={project / 'run'}", *args],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_first_service_change(project, child, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in (project / "run" / "ledgers").glob("*.jsonl"):
            if any(r["event"] == "will_change_service" for r in read_records(path)):
                return path
        if child.poll() is not None:
            raise AssertionError(f"the suite ended first:\n{child.stdout.read()[-3000:]}\n{child.stderr.read()[-3000:]}")
        time.sleep(0.1)
    raise AssertionError("the suite never changed a compute service")


def assert_cloud_as_before(conn, usages_before, ledger_path):
    assert not [s.name for s in conn.compute.servers(all_projects=True) if is_suite_name(s.name)]
    assert not [f.name for f in conn.compute.flavors(is_public=None) if is_suite_name(f.name)]
    for host, service in kit.services(conn).items():
        assert (service.status, service.state, service.is_forced_down) == ("enabled", "up", False), host
    assert kit.provider_usages(conn) == usages_before
    from acceptance.safety.ledger import outstanding_from
    assert not outstanding_from(read_records(ledger_path))


@pytest.mark.parametrize("signals, status", [
    ([signal.SIGINT], 130),
    ([signal.SIGTERM], 143),
    ([signal.SIGINT, signal.SIGINT, signal.SIGINT], 130),  # impatient: the restore still completes
])
def test_an_interrupted_suite_puts_the_cloud_back(safety_cloud, conn, suite_copy, signals, status):
    usages_before = kit.provider_usages(conn)
    # Not @evacuate: its own restore test (test_evacuation_restore_cloud) covers it, and
    # interrupted there the restore waits minutes for the evacuation to settle.
    child = start_suite(suite_copy, safety_cloud, f"--tags={SELECTION}")
    ledger = wait_for_first_service_change(suite_copy, child)
    time.sleep(0.5)  # mid-change: nova-compute stopping, the service about to be forced down
    for signum in signals:
        child.send_signal(signum)
        time.sleep(1.0)
    out, err = child.communicate(timeout=600)
    assert child.returncode == status, f"{out[-3000:]}\n{err[-3000:]}"
    assert "Traceback" not in err
    assert_cloud_as_before(conn, usages_before, ledger)
    assert_junit_of_an_interrupted_run(suite_copy / "reports-out" / "junit", signals[0])


def assert_junit_of_an_interrupted_run(junit_dir, signum):
    """Every scenario has its testcase: those that ran with their outcome,
    the selected ones the interrupt kept from running marked so, the others
    as left out by the selection."""
    for path in junit.report_files(junit_dir):
        junit_schema.validate(path)
    cases = {case["name"]: case for case in junit_testcases(junit_dir)}
    scenarios = parsed_scenarios()
    assert set(cases) == set(scenarios)
    interrupted = f"not run: the run was interrupted ({signal.Signals(signum).name}) before this scenario"
    for name, case in cases.items():
        tags = set(scenarios[name].effective_tags)
        if "fault-control" not in tags or "evacuate" in tags:  # SELECTION
            assert case["skip_message"] == NOT_RUN, (name, case)
        else:
            assert case["skip_message"] in (None, interrupted), (name, case)
    ran = [case["status"] for case in cases.values() if case["skip_message"] is None]
    assert ran and set(ran) <= {"passed", "failed", "error"}, cases  # error: the one interrupted
    assert any(case["skip_message"] == interrupted for case in cases.values()), cases


@pytest.mark.parametrize("userdata, check, expected", [
    (["-D", "cloud=no-such-cloud"], "cloud access", "preflight: Cloud no-such-cloud was not found."),
    (["-D", "flavor=no-such-flavor"], "cloud resources", "preflight: flavor 'no-such-flavor' not found"),
    (["-D", "target_host=compute9"], "cloud resources",
     "preflight: target_host 'compute9' is not a compute host"),
    (["-D", "timeout.heal=soon"], "settings", "preflight: timeout.heal='soon' is not a number of seconds"),
    (["-D", "report_interval=often"], "settings",
     "preflight: report_interval='often' is not a number of seconds"),
    (["-D", "cut_placement_path_command=true"], "settings",
     "preflight: cut_placement_path_command is set but restore_placement_path_command is not"),
    (["-D", "compute_max_microversion=2.60"], "cloud access",
     "preflight: every scenario needs compute microversion 2.74 to boot a server onto a named host, "
     "but this run offers 2.60"),
    (["-D", "run_dir=/proc/version/run"], "run_dir", "preflight: run_dir '/proc/version/run' cannot hold"),
    (["-D", "embedded_cloud.run_dir=/proc/version/cloud"], "embedded cloud",
     "preflight: the embedded cloud did not start: `embedded-cloud up` exited 2: embedded-cloud: "
     "the embedded cloud cannot use its run directory /proc/version/cloud (/proc/version is not a directory)"),
    # A cloud known only by OS_* variables (as after sourcing an openrc file).
    (["OS_*"], "cloud resources",
     "preflight: no image named for cloud 'envvars' (from OS_AUTH_URL); pass -D image="),
    (["OS_*", "-D", "image=nope"], "cloud resources", "preflight: image 'nope' not found"),
    (["OS_*", "-D", "image=embedded-fake-image", "-D", "target_host=compute9"], "cloud resources",
     "preflight: target_host 'compute9' is not a compute host"),
    (["OS_*", "-D", "image=embedded-fake-image", "-D", "fault_control=embedded"], "settings",
     "preflight: fault_control='embedded' needs the embedded cloud"),
    (["OS_* but OS_PASSWORD"], "cloud access", "preflight: the cloud configuration is incomplete"),
])
def test_the_wired_suite_refuses_bad_input_in_one_line(safety_cloud, suite_copy, userdata, check, expected):
    """... and CI still gets a JUnit file: one failing testcase named for
    the check, carrying the line (an earlier run's files are gone)."""
    junit_dir = suite_copy / "reports-out" / "junit"
    junit_dir.mkdir(parents=True)
    (junit_dir / "TESTS-earlier-run.xml").write_text("<testsuite/>")
    os_env = None
    if userdata and userdata[0].startswith("OS_*"):
        os_env = os_environment(safety_cloud.layout.clouds_yaml)
        if "but OS_PASSWORD" in userdata[0]:
            del os_env["OS_PASSWORD"]
        userdata = userdata[1:]
    child = start_suite(suite_copy, safety_cloud, *userdata, os_env=os_env)
    out, err = child.communicate(timeout=120)  # a hang guard, not a speed check
    assert child.returncode == 2, f"{out[-2000:]}\n{err[-2000:]}"
    [line] = [line for line in err.splitlines() if line.startswith("preflight:")]
    assert line.startswith(expected), err
    assert err.rstrip().endswith(line)  # the last word, after the embedded cloud's own progress lines
    assert "Traceback" not in err + out
    assert [path.name for path in junit.report_files(junit_dir)] == [STOPPED_RUN_FILE]
    junit_schema.validate(junit_dir / STOPPED_RUN_FILE)
    [case] = junit_testcases(junit_dir)
    assert (case["name"], case["status"], case["message"]) == (check, "failed", line.removeprefix("preflight: "))
    assert not (suite_copy / "run" / "ledgers").exists() or not any(
        read_records(p) for p in (suite_copy / "run" / "ledgers").glob("*.jsonl"))
