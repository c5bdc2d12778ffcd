"""`embedded-cloud status | head -1`: the reader leaving is no error."""
from __future__ import annotations

import subprocess
import sys

from hamcrest import assert_that, equal_to


def test_status_into_a_pipe_closed_early_is_quiet(tmp_path):
    # A run directory with no cloud: status lists every process as not started.
    pipeline = subprocess.run(
        ["bash", "-c", f'set -o pipefail; "{sys.executable}" -m embedded_cloud --run-dir "{tmp_path}" '
                       f'status | head -c 1 >/dev/null'],
        capture_output=True, text=True, timeout=60)
    assert_that((pipeline.returncode, pipeline.stderr), equal_to((0, "")))
