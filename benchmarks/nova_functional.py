"""Time nova's own functional tests of the same behaviours, one test at a time.

nova/tests/functional/regressions/test_bug_1679750.py (local delete, heal)
and test_servers.py's ServerMovingTests (evacuate, shelve; in the nova wheel)
run nova-api, conductor, scheduler, compute and Placement in one process
with the fake driver. Each test is run in a process of its own so that each
has its own time; testtools prints the test's time ("Ran 1 test in 3.6s"),
which leaves out the seconds spent importing nova.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TEST_CLASS = "nova.tests.functional.regressions.test_bug_1679750.TestLocalDeleteAllocations"
MOVING_CLASS = "nova.tests.functional.test_servers.ServerMovingTests"
FROM_API = "test_local_delete_removes_allocations_from_api"
AFTER_RESTART = "test_local_delete_removes_allocations_after_compute_restart"
# Boot, stop and force down the source, evacuate, restart the source: its
# usages back to 0, the flavor on the destination; then delete.
EVACUATE = "test_evacuate_clean_hypervisor"
# Boot, shelve, offload (no allocations), unshelve onto the other host (the
# source disabled): exactly the flavor there.
UNSHELVE = "test_shelve_offload_unshelve_diff_host"
TESTS = (FROM_API, AFTER_RESTART, EVACUATE, UNSHELVE)
TEST_IDS = {FROM_API: f"{TEST_CLASS}.{FROM_API}", AFTER_RESTART: f"{TEST_CLASS}.{AFTER_RESTART}",
            EVACUATE: f"{MOVING_CLASS}.{EVACUATE}", UNSHELVE: f"{MOVING_CLASS}.{UNSHELVE}"}
TIMEOUT_S = 600
_RAN = re.compile(r"^Ran (\d+) tests? in ([\d.]+)s$", re.M)


@dataclass(frozen=True)
class NovaTiming:
    test: str
    test_s: float | None  # testtools' time for the test (set-up included); None if it did not run
    process_s: float  # the whole process, imports included
    passed: bool


def paste_config(prefix: str = sys.prefix) -> Path:
    """The api-paste.ini the nova wheel installs under the venv's etc/."""
    return Path(prefix) / "etc" / "nova" / "api-paste.ini"


def parse_testtools_output(output: str, returncode: int) -> tuple[float | None, bool]:
    """(seconds testtools reports, whether it passed) from its output."""
    ran = _RAN.search(output)
    seconds = float(ran[2]) if ran else None
    passed = returncode == 0 and ran is not None and re.search(r"^OK\b", output, re.M) is not None
    return seconds, passed


def time_test(test: str, python: str = sys.executable) -> NovaTiming:
    # No OS_* variables (a cloud's credentials mean nothing to this test)
    # except the one that points nova at its paste file; a neutral cwd so
    # nothing in this checkout is picked up.
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env["OS_WSGI__API_PASTE_CONFIG"] = str(paste_config())
    with tempfile.TemporaryDirectory(prefix="nova-functional-") as cwd:
        started = time.monotonic()
        done = subprocess.run(
            [python, "-m", "testtools.run", TEST_IDS[test]],
            cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT_S,
        )  # fmt: skip
        process_s = time.monotonic() - started
    seconds, passed = parse_testtools_output(done.stdout + done.stderr, done.returncode)
    return NovaTiming(test, seconds, process_s, passed)
