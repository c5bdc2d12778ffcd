"""The safety tests run on the session's one embedded cloud (tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def safety_cloud(embedded_cloud):
    return embedded_cloud
