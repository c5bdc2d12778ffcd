"""One embedded cloud for the defect tests, brought to each module's defects in turn.

A module says which defects it needs in DEFECTS ({SERVICE: NAME}, as for
`embedded-cloud up --defect`); modules are ordered so that each set is one `up`.
"""
from __future__ import annotations

import pytest

from .kit import PROJECT, Cloud

RUN_DIR = PROJECT / ".run" / "defects-tests"


@pytest.fixture(scope="session")
def session_cloud():
    cloud = Cloud(RUN_DIR)
    yield cloud
    cloud.down()
    for defects, seconds in cloud.ups:
        print(f"\nembedded-cloud up {defects or 'clean'}: {seconds:.1f} s")


@pytest.fixture
def cloud(session_cloud, request):
    """The cloud with this module's defects; compute1 and nova-api's Placement path put back after."""
    session_cloud.ensure(getattr(request.module, "DEFECTS", {}))
    yield session_cloud
    session_cloud.restore()
