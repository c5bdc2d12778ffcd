"""One embedded cloud for the defect tests, brought to each module's defects in turn.

A module says which defects it needs in DEFECTS ({SERVICE: NAME}, as for
`embedded-cloud up --defect`), and the nova options its defect needs to show
in NOVA_OPTIONS (SECTION.KEY=VALUE, as for `--nova-option`); modules are
ordered so that each set is one `up`.
"""
from __future__ import annotations

import pytest

from embedded_cloud.defects.choice import choose
from embedded_cloud.services.nova import API, COMPUTE_HOSTS, compute_process

from tests.conftest import DEFECTS_CLOUD_DIR as RUN_DIR

from .kit import Cloud


@pytest.fixture
def standin_run_dirs():
    """The Neutron stand-in these tests may use is their own cloud's (tests/conftest.py)."""
    return [RUN_DIR]


# Package scope: this cloud (restarted with defects) is stopped as soon as the
# defect tests are done, not left running beside the session's clean cloud.
@pytest.fixture(scope="package")
def session_cloud():
    cloud = Cloud(RUN_DIR)
    yield cloud
    cloud.down()
    for defects, seconds in cloud.ups:
        print(f"\nembedded-cloud up {defects or 'clean'}: {seconds:.1f} s")


@pytest.fixture
def cloud(session_cloud, request):
    """The cloud with this module's defects; compute1 and nova-api's Placement path put back after."""
    defects = getattr(request.module, "DEFECTS", {})
    session_cloud.ensure(defects, getattr(request.module, "NOVA_OPTIONS", ()))
    # The plumbing: the very processes named got the defect, the others none.
    wanted = choose([f"{service}={name}" for service, name in defects.items()])
    assert session_cloud.defects_in_force() == wanted
    for process in (API, *(compute_process(h) for h in COMPUTE_HOSTS)):
        assert session_cloud.injected(process) == wanted.get(process), process
    yield session_cloud
    session_cloud.restore()
