"""The safety tests' own embedded cloud, in its own run dir.

Started (or found) once per session and stopped at the end by its recorded
PIDs. SAFETY_TEST_CLOUD_DIR picks another run dir; SAFETY_TEST_CLOUD_KEEP=1
leaves it running (for quick re-runs while developing).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
SAFETY_CLOUD_DIR = Path(os.environ.get("SAFETY_TEST_CLOUD_DIR")
                        or PROJECT / ".run" / "safety-test-cloud")


@pytest.fixture(scope="session")
def safety_cloud():
    from embedded_cloud.cloud import EmbeddedCloud

    cloud = EmbeddedCloud(SAFETY_CLOUD_DIR, progress=lambda line: print(line, flush=True))
    cloud.up()
    yield cloud
    if not os.environ.get("SAFETY_TEST_CLOUD_KEEP"):
        cloud.down()
