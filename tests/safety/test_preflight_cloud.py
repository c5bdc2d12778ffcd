"""Preflight on the embedded cloud: each bad input is one line, and under
behave the run exits 2 with no traceback and nothing created. (How long
preflight takes is a figure for the benchmark, not a check here.)"""

import os
import re
import socket
import subprocess
import sys

import pytest
import yaml

from acceptance.cloud.connection import connection_factory
from acceptance.safety.preflight import Needs, PreflightError, run_preflight
from acceptance.settings import SuiteSettings
from embedded_cloud.setup.clouds_yaml import ADMIN_CLOUD, MEMBER_CLOUD
from tests.safety import cloud_kit as kit


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def clouds_yaml(safety_cloud, tmp_path):
    """A copy of the cloud's clouds.yaml with broken variants added."""
    config = yaml.safe_load(safety_cloud.layout.clouds_yaml.read_text())
    admin = config["clouds"][ADMIN_CLOUD]
    config["clouds"]["wrong-password"] = {**admin, "auth": {**admin["auth"], "password": "not-it"}}
    config["clouds"]["closed-port"] = {
        **admin, "auth": {**admin["auth"], "auth_url": f"http://127.0.0.1:{closed_port()}/v3"}}
    path = tmp_path / "clouds.yaml"
    path.write_text(yaml.safe_dump(config))
    return str(path)


def preflight(clouds_yaml, cloud=ADMIN_CLOUD, needs=Needs(), **settings):
    try:
        run_preflight(connection_factory(cloud, clouds_yaml=clouds_yaml), SuiteSettings(**settings),
                      needs)
    except PreflightError as error:
        message = str(error)
    else:
        message = None
    return message


@pytest.mark.parametrize("cloud, settings, needs, expected", [
    ("no-such-cloud", {}, Needs(), r"Cloud no-such-cloud was not found.*-D cloud="),
    ("wrong-password", {}, Needs(), r"refused the credentials \(HTTP 401.*fix them"),
    ("closed-port", {}, Needs(), r"cannot reach the cloud.*check the auth URL"),
    (MEMBER_CLOUD, {}, Needs(), r"may not list compute services \(HTTP 403\).*admin"),
    (ADMIN_CLOUD, {"flavor": "no-such-flavor"}, Needs(), r"flavor 'no-such-flavor' not found.*-D flavor="),
    (ADMIN_CLOUD, {"image": "no-such-image"}, Needs(), r"image 'no-such-image' not found.*embedded-fake-image"),
    (ADMIN_CLOUD, {"target_host": "compute9"}, Needs(), r"target_host 'compute9' is not a compute host.*compute1, compute2"),
    (ADMIN_CLOUD, {}, Needs(computes=3), r"need 3 enabled, up compute host\(s\).*but 2 qualify"),
    (ADMIN_CLOUD, {}, Needs(compute_calls=("2.999",)), r"needs compute microversion 2\.999.*this cloud offers 2\.104"),
    (ADMIN_CLOUD, {}, Needs(placement_microversion="1.99"), r"Placement goes up to microversion 1\.39"),
])
def test_each_bad_input_is_one_line(clouds_yaml, cloud, settings, needs, expected):
    message = preflight(clouds_yaml, cloud, needs, **settings)
    assert message is not None, "preflight passed"
    assert "\n" not in message
    assert re.search(expected, message), message
    assert "not-it" not in message


def test_a_good_cloud_passes_and_reports_what_it_found(clouds_yaml):
    result = run_preflight(connection_factory(ADMIN_CLOUD, clouds_yaml=clouds_yaml),
                           SuiteSettings(image=kit.IMAGE, target_host="compute1"), Needs(computes=2))
    assert sorted(result.usable_hosts) == ["compute1", "compute2"]
    assert result.compute_max == "2.104" and result.placement_max == "1.39"
    assert result.image_id


def test_a_forced_down_host_is_named_as_the_reason(safety_cloud, clouds_yaml):
    conn = kit.admin(safety_cloud)
    service = kit.services(conn)["compute2"]
    conn.compute.update_service(service.id, forced_down=True)
    try:
        message = preflight(clouds_yaml, needs=Needs(computes=2))
    finally:
        conn.compute.update_service(service.id, forced_down=False)
    assert "compute2 is forced down" in message and "--tags=~@two-computes" in message


ENVIRONMENT = '''
import os
from acceptance.cloud.connection import connection_factory
from acceptance.safety.preflight import Needs, PreflightError, fail_cleanly, needs_for, run_preflight
from acceptance.settings import resolve

def before_all(context):
    settings = resolve(context.config.userdata, {})
    connect = connection_factory(os.environ["CLOUD"], clouds_yaml=os.environ["CLOUDS_YAML"])
    try:
        run_preflight(connect, settings, needs_for(context._runner.features, context.config))
    except PreflightError as error:
        fail_cleanly(str(error))
    print("PREFLIGHT PASSED")
'''

FEATURES = '''Feature: needs
  Scenario: one host
    Given nothing
  @two-computes
  Scenario: two hosts
    Given nothing
'''


@pytest.fixture
def project(tmp_path):
    (tmp_path / "features" / "steps").mkdir(parents=True)
    (tmp_path / "features" / "environment.py").write_text(ENVIRONMENT)
    (tmp_path / "features" / "steps" / "steps.py").write_text(
        "from behave import given\n@given('nothing')\ndef nothing(context):\n    pass\n")
    (tmp_path / "features" / "needs.feature").write_text(FEATURES)
    return tmp_path


def behave(project, clouds_yaml, cloud, *args):
    return subprocess.run([sys.executable, "-m", "behave", "-f", "plain", *args, "features"],
                            cwd=project, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "CLOUD": cloud, "CLOUDS_YAML": clouds_yaml})


@pytest.mark.parametrize("cloud, userdata, expected", [
    ("wrong-password", [], "preflight: the cloud refused the credentials"),
    ("closed-port", [], "preflight: cannot reach the cloud"),
    (MEMBER_CLOUD, [], "preflight: demo may not list compute services"),
    (ADMIN_CLOUD, ["-D", "flavor=nope"], "preflight: flavor 'nope' not found"),
])
def test_behave_exits_2_with_one_line_and_no_traceback(project, clouds_yaml, cloud, userdata, expected):
    result = behave(project, clouds_yaml, cloud, *userdata)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.strip().startswith(expected), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "PREFLIGHT PASSED" not in result.stdout


def test_two_compute_scenarios_count_only_when_selected(safety_cloud, project, clouds_yaml):
    conn = kit.admin(safety_cloud)
    service = kit.services(conn)["compute2"]
    conn.compute.update_service(service.id, forced_down=True)
    try:
        both = behave(project, clouds_yaml, ADMIN_CLOUD)
        one = behave(project, clouds_yaml, ADMIN_CLOUD, "--tags=~@two-computes")
    finally:
        conn.compute.update_service(service.id, forced_down=False)
    assert both.returncode == 2 and "need 2 enabled, up compute host(s)" in both.stderr
    assert one.returncode == 0, one.stdout + one.stderr
