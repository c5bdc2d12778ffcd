"""The safety tests run on the session's one embedded cloud (tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.safety import cloud_kit as kit


@pytest.fixture(scope="session")
def safety_cloud(embedded_cloud):
    return embedded_cloud


@pytest.fixture
def conn(safety_cloud):
    """An admin connection, with every compute put back before and after the test."""
    conn = kit.admin(safety_cloud)
    kit.put_every_compute_back(safety_cloud, conn)
    yield conn
    kit.put_every_compute_back(safety_cloud, conn)
