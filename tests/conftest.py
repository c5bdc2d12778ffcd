"""Fixtures shared by every test package.

`embedded_cloud` is the one real cloud of a test session: started (or found)
once, clean (no defects), and stopped by its recorded PIDs at the end, so a
CI run pays for one cold start and never leaves a process behind. It lives in
.run/test-cloud, or in $TEST_CLOUD_DIR.
"""
from __future__ import annotations

import os
from pathlib import Path

import openstack
import pytest
from openstack.config import loader

from embedded_cloud.setup.clouds_yaml import ADMIN_CLOUD, MEMBER_CLOUD
from embedded_cloud.layout import DEFAULT_CLOUD_DIR

PROJECT = Path(__file__).resolve().parents[1]
# TEST_CLOUD_DIR: another directory, so that two pytest sessions on one
# checkout do not share (and stop) each other's cloud.
SESSION_CLOUD_DIR = Path(os.environ.get("TEST_CLOUD_DIR") or PROJECT / ".run" / "test-cloud")
# The defect tests' own cloud (tests/defects), on the other xdist worker.
DEFECTS_CLOUD_DIR = PROJECT / ".run" / "defects-tests"
# The test packages whose tests use clouds: each such test fails when the
# Neutron stand-in of a cloud it may use could not answer a request meanwhile.
CLOUD_TEST_PACKAGES = ("tests/cloud/", "tests/safety/", "tests/suite/", "tests/defects/")


def connect(clouds_yaml: Path, cloud: str = ADMIN_CLOUD, **versions) -> openstack.connection.Connection:
    """An openstacksdk connection from the cloud's own clouds.yaml, ignoring OS_* variables."""
    config = loader.OpenStackConfig(config_files=[str(clouds_yaml)], load_envvars=False)
    return openstack.connection.Connection(config=config.get_one(cloud=cloud, **versions))


@pytest.fixture(scope="session")
def embedded_cloud():
    from embedded_cloud.cloud import EmbeddedCloud

    cloud = EmbeddedCloud(SESSION_CLOUD_DIR, progress=lambda line: print(line, flush=True))
    cloud.up()
    yield cloud
    cloud.down()


@pytest.fixture
def standin_run_dirs() -> list[Path]:
    """The clouds a test may use: the session's and those the tests start in .run/ (not
    the user's own .run/cloud, nor the defect tests', which override this fixture)."""
    others = (PROJECT / ".run").glob("*") if (PROJECT / ".run").is_dir() else []
    skipped = {DEFAULT_CLOUD_DIR, DEFECTS_CLOUD_DIR}
    return sorted({SESSION_CLOUD_DIR, *(d for d in others if d.is_dir() and d not in skipped)})


@pytest.fixture(autouse=True)
def standin_watch(request):
    """A cloud test fails if a Neutron stand-in it may have used could not answer a
    request during it (tests/standin_watch.py); `standin_watch.expect(...)` for one it
    provokes on purpose."""
    if not request.node.nodeid.startswith(CLOUD_TEST_PACKAGES):
        yield None
        return
    from tests.standin_watch import StandinWatch

    watch = StandinWatch(request.getfixturevalue("standin_run_dirs"))
    yield watch
    # Clouds the test made in its own tmp_path (schema cache tests) count too.
    tmp = request.node.funcargs.get("tmp_path")
    problems = watch.problems([d for d in tmp.iterdir() if d.is_dir()] if tmp else [])
    if problems:
        pytest.fail("the Neutron stand-in: " + "; ".join(problems) + ". Nova or a client asked "
                    "what it does not answer: answer it as Neutron does in "
                    "embedded_cloud/wsgi/neutron_standin.py, or find who asks", pytrace=False)


class FollowingConnection:
    """A connection to the session cloud that follows it across restarts: a
    test that stops and starts the cloud gives it new ports, and a connection
    made before would talk to the old ones (connection refused)."""

    def __init__(self, clouds_yaml: Path, cloud: str, **versions) -> None:
        self._clouds_yaml, self._cloud, self._versions = clouds_yaml, cloud, versions
        self._seen: str | None = None
        self._conn = None

    def _current(self):
        text = self._clouds_yaml.read_text()
        if text != self._seen:
            self._conn = connect(self._clouds_yaml, self._cloud, **self._versions)
            self._seen = text
        return self._conn

    def __getattr__(self, name):
        return getattr(self._current(), name)


@pytest.fixture(scope="session")
def admin_conn(embedded_cloud):
    return FollowingConnection(embedded_cloud.layout.clouds_yaml, ADMIN_CLOUD, compute_api_version="2.74")


@pytest.fixture(scope="session")
def member_conn(embedded_cloud):
    return FollowingConnection(embedded_cloud.layout.clouds_yaml, MEMBER_CLOUD, compute_api_version="2.74")


# bin/run-tests runs two workers (pytest-xdist): the defect tests, which bring
# their own cloud, on one; all the rest, on the session's cloud, on the other.
# Much of a cloud test is waiting on nova, so on 2 cores the two overlap well,
# and no cloud is shared between workers. (xdist's own --dist loadgroup reads
# a node id that pytest 9 no longer lets it change: hence this scheduler.)
@pytest.hookimpl(optionalhook=True)  # only when xdist is loaded
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class OneWorkerPerCloud(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith("tests/releases/"):
                return "releases"  # a cloud of an older release, of its own
            return "defects" if nodeid.startswith("tests/defects/") else "session-cloud"

    return OneWorkerPerCloud(config, log)


def pytest_sessionstart(session):
    # CI must see the host as a fresh machine does (bin/run-tests -> bin/fresh-host):
    # a green run that leaned on leftovers in /etc/keystone once hid a broken release.
    if os.environ.get("CI") == "true" and os.environ.get("FRESH_HOST_ACTIVE") != "1":
        pytest.exit("CI runs the tests through bin/run-tests, which hides this host's "
                    "OpenStack directories (bin/fresh-host); run it that way", returncode=2)
