"""A real embedded cloud for tests that run the acceptance suite end to end.

``embedded_cloud`` is started (or found running) once per pytest session and
stopped at the end by its recorded PIDs. Its run dir is
$SUITE_TEST_CLOUD_DIR, else the project's .run/pytest-cloud.
"""

from __future__ import annotations

import os
from pathlib import Path

import openstack
import pytest
from openstack.config import loader

PROJECT = Path(__file__).resolve().parents[2]
SUITE_CLOUD_DIR = Path(os.environ.get("SUITE_TEST_CLOUD_DIR") or PROJECT / ".run" / "pytest-cloud")


@pytest.fixture(scope="session")
def embedded_cloud():
    from embedded_cloud.cloud import EmbeddedCloud

    cloud = EmbeddedCloud(SUITE_CLOUD_DIR, progress=lambda line: print(line, flush=True))
    cloud.up()
    yield cloud
    cloud.down()


@pytest.fixture(scope="session")
def embedded_admin_conn(embedded_cloud):
    """An admin connection from the cloud's own clouds.yaml (OS_* ignored)."""
    from embedded_cloud.clouds_yaml import ADMIN_CLOUD

    config = loader.OpenStackConfig(config_files=[str(embedded_cloud.layout.clouds_yaml)], load_envvars=False)
    return openstack.connection.Connection(config=config.get_one(cloud=ADMIN_CLOUD))
